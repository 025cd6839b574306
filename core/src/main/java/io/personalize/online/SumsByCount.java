package io.personalize.online;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scoreboard's kept users summed by event count, per mode: a user's group depends on its count
 * alone, so a report adds up one entry per distinct count instead of walking every user. Kept
 * beside the per-user sums and moved with them when a user's count changes or the user leaves.
 */
final class SumsByCount {
  /** Per mode, per count: sse, sae, n and users of the kept users with that count. */
  private final Map<String, Map<Long, double[]>> sums = new HashMap<>();

  /** Kept users per count, for the smallest and largest count the group boundaries need. */
  private final TreeMap<Long, Long> usersByCount = new TreeMap<>();

  /** Forgets everything, before a rebuild. */
  void clear() {
    sums.clear();
    usersByCount.clear();
  }

  /** A kept user now has {@code count} events. */
  void addUser(long count) {
    usersByCount.merge(count, 1L, Long::sum);
  }

  /** A kept user with {@code count} events left, or its count changed from it. */
  void removeUser(long count) {
    usersByCount.computeIfPresent(count, (c, users) -> users == 1 ? null : users - 1);
  }

  /**
   * Adds one prediction's two sums to a mode's users with {@code count} events, counting the user
   * there if this is its first prediction of the mode.
   */
  void add(String mode, long count, double first, double second, boolean newUser) {
    add(mode, count, first, second, 1, newUser ? 1 : 0);
  }

  /** Adds a user's sums {@code acc} (sse, sae, n) of a mode under {@code count}. */
  void addUserSums(String mode, long count, double[] acc) {
    add(mode, count, acc[0], acc[1], acc[2], 1);
  }

  private void add(String mode, long count, double sse, double sae, double n, int users) {
    double[] s =
        sums.computeIfAbsent(mode, m -> new HashMap<>()).computeIfAbsent(count, c -> new double[4]);
    s[0] += sse;
    s[1] += sae;
    s[2] += n;
    s[3] += users;
  }

  /**
   * Takes a user's sums of a mode out of {@code count}; the entry goes once it holds no user, so
   * that rounding left by the subtractions does not outlive its users.
   */
  void removeUserSums(String mode, long count, double[] acc) {
    Map<Long, double[]> byCount = sums.get(mode);
    double[] s = byCount == null ? null : byCount.get(count);
    if (s == null) {
      return;
    }
    if (s[3] <= 1) {
      byCount.remove(count);
      return;
    }
    for (int i = 0; i < 3; i++) {
      s[i] -= acc[i];
    }
    s[3] -= 1;
  }

  /** The smallest count above 0 of a kept user, or 0 without one. */
  long smallestPositiveCount() {
    Long count = usersByCount.higherKey(0L);
    return count == null ? 0 : count;
  }

  /** The largest count of a kept user, or 0 without one. */
  long largestCount() {
    return usersByCount.isEmpty() ? 0 : Math.max(0, usersByCount.lastKey());
  }

  /** A mode's sums per count: sse, sae, n, users; empty for a mode without kept users. */
  Map<Long, double[]> of(String mode) {
    return sums.getOrDefault(mode, Map.of());
  }
}
