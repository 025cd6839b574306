package io.personalize.job.config;

import io.personalize.serving.serve.ServeOptions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;

/**
 * Refuses a {@code personalize.*} key that names no setting: a misspelt key would otherwise leave
 * its setting at the default without a word ({@code personalize.model.factor: 16} and the model
 * keeps 32 factors). Kafka client settings ({@code personalize.kafka.*}) are Kafka's to check, and
 * the server's ({@code personalize.serve.*}) the server's, since one file may hold both.
 */
final class UnknownSettings {
  private static final Set<String> KNOWN =
      Stream.concat(
              PersonalizeOptions.ALL.stream().map(Setting::option), EvaluatorOptions.ALL.stream())
          .map(ConfigOption::key)
          .collect(Collectors.toCollection(TreeSet::new));

  private UnknownSettings() {}

  /**
   * @throws IllegalArgumentException naming the first unknown key, and the setting it most likely
   *     meant
   */
  static void refuse(Set<String> keys) {
    for (String key : new TreeSet<>(keys)) {
      if (key.startsWith(PersonalizeOptions.PREFIX)
          && !key.startsWith(PersonalizeOptions.KAFKA_CLIENT_PREFIX)
          && !key.startsWith(ServeOptions.PREFIX)
          && !KNOWN.contains(key)) {
        throw new IllegalArgumentException(
            "unknown setting "
                + key
                + closest(key).map(k -> " (did you mean " + k + "?)").orElse("")
                + ": docs/configuration.md lists every setting");
      }
    }
  }

  /** The known key fewest edits away, if a few edits reach it. */
  static Optional<String> closest(String key) {
    return KNOWN.stream()
        .min(Comparator.comparingInt(known -> distance(key, known)))
        .filter(known -> distance(key, known) <= Math.max(2, key.length() / 8));
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
