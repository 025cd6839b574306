package io.personalize.settings;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a key under a prefix that names no setting: a misspelt key would otherwise leave its
 * setting at the default without a word ({@code personalize.model.factor: 16}, and the model keeps
 * 32 factors). The job and the server each check their own prefixes, since one config file may hold
 * both.
 */
public final class UnknownKeys {
  private UnknownKeys() {}

  /**
   * @param given every key of the configuration
   * @param checked prefixes whose keys must be known (e.g. {@code personalize.serve.})
   * @param skipped prefixes within those that others check (e.g. {@code personalize.kafka.})
   * @param known every setting's key
   * @throws IllegalArgumentException naming the first unknown key, and the setting it most likely
   *     meant
   */
  public static void refuse(
      Collection<String> given,
      Collection<String> checked,
      Collection<String> skipped,
      Set<String> known) {
    for (String key : new TreeSet<>(given)) {
      if (checked.stream().anyMatch(key::startsWith)
          && skipped.stream().noneMatch(key::startsWith)
          && !known.contains(key)) {
        throw new IllegalArgumentException(
            "unknown setting "
                + key
                + closest(key, known).map(k -> " (did you mean " + k + "?)").orElse("")
                + ": docs/configuration.md lists every setting");
      }
    }
  }

  /** The known key fewest edits away, if a few edits reach it. */
  static Optional<String> closest(String key, Set<String> known) {
    return known.stream()
        .min(Comparator.comparingInt(k -> distance(key, k)))
        .filter(k -> distance(key, k) <= Math.max(2, key.length() / 8));
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
