package io.personalize.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Train and test event indices of a batch protocol. */
record Split(int[] train, int[] test) {

  /** Seeded random split of all events. */
  static Split random(EventLog log, double testFraction, long seed) {
    int[] all = log.allEvents();
    shuffle(all, new Random(seed));
    int testSize = (int) Math.round(all.length * testFraction);
    int[] test = Arrays.copyOfRange(all, 0, testSize);
    int[] train = Arrays.copyOfRange(all, testSize, all.length);
    Arrays.sort(test);
    Arrays.sort(train);
    return new Split(train, test);
  }

  /**
   * Each user's last {@code testFraction} of events by time (rounded, at least one training event
   * kept) is test. The log is in time order, so a user's events are already sorted.
   */
  static Split perUserByTime(EventLog log, double testFraction) {
    List<List<Integer>> byUser = eventsByUser(log, log.allEvents());
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (List<Integer> events : byUser) {
      int n = events.size();
      int testSize = Math.min(n - 1, (int) Math.round(n * testFraction));
      train.addAll(events.subList(0, n - testSize));
      test.addAll(events.subList(n - testSize, n));
    }
    return new Split(sortedArray(train), sortedArray(test));
  }

  static List<List<Integer>> eventsByUser(EventLog log, int[] events) {
    List<List<Integer>> byUser = new ArrayList<>(log.users());
    for (int u = 0; u < log.users(); u++) {
      byUser.add(new ArrayList<>());
    }
    for (int e : events) {
      byUser.get(log.user[e]).add(e);
    }
    return byUser;
  }

  static int[] sortedArray(List<Integer> events) {
    int[] array = events.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(array);
    return array;
  }

  static void shuffle(int[] array, Random random) {
    for (int i = array.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
  }
}
