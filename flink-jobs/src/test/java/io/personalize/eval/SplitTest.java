package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SyntheticData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {

  private static final EventLog GENERATED = EventLog.of(SyntheticData.generate(11, 60, 90, 1_000));

  @Test
  void randomSplitHasTheRequestedSizesAndIsDisjointAndComplete() {
    Split split = Split.random(GENERATED, 0.2, 42);

    assertThat(split.test()).hasSize(200);
    assertThat(split.train()).hasSize(800);
    assertThat(split.test()).isSorted();
    assertThat(split.train()).isSorted();
    assertDisjointAndComplete(split, GENERATED.events());
  }

  @Test
  void randomSplitRoundsTheTestSize() {
    EventLog log = EventLog.of(SyntheticData.generate(3, 20, 80, 999));
    // 999 * 0.25 = 249.75 -> 250; 999 * 0.1 = 99.9 -> 100
    assertThat(Split.random(log, 0.25, 1).test()).hasSize(250);
    assertThat(Split.random(log, 0.1, 1).test()).hasSize(100);
    assertDisjointAndComplete(Split.random(log, 0.25, 1), 999);
  }

  @Test
  void randomSplitIsDeterministicForASeedAndDiffersAcrossSeeds() {
    Split first = Split.random(GENERATED, 0.2, 42);
    Split again = Split.random(GENERATED, 0.2, 42);
    Split other = Split.random(GENERATED, 0.2, 43);

    assertThat(again.test()).containsExactly(first.test());
    assertThat(again.train()).containsExactly(first.train());
    assertThat(other.test()).hasSize(200);
    assertThat(Arrays.equals(other.test(), first.test())).isFalse();
  }

  @Test
  void randomSplitIsNotBiasedTowardTheStartOrEndOfTheLog() {
    // A shuffle that forgot part of the array would leave the test part in one region of time.
    Split split = Split.random(GENERATED, 0.2, 42);
    long early = Arrays.stream(split.test()).filter(e -> e < 500).count();
    assertThat(early).isBetween(70L, 130L);
  }

  @Test
  void perUserSplitTakesEachUsersLastFifthByTime() {
    List<Interaction> events = new ArrayList<>();
    // User "a": 10 events, written out of time order; the last two by time are at 900 and 1000.
    long[] aTimes = {500, 1000, 100, 300, 900, 200, 700, 400, 800, 600};
    for (int k = 0; k < aTimes.length; k++) {
      events.add(new Interaction("a", "i" + k, 1 + k % 5, aTimes[k]));
    }
    // User "b": 5 events -> round(1.0) = 1 test event, the latest (at 950).
    long[] bTimes = {150, 950, 350, 550, 750};
    for (int k = 0; k < bTimes.length; k++) {
      events.add(new Interaction("b", "i" + k, 3, bTimes[k]));
    }
    // User "c": 3 events -> round(0.6) = 1 test event (at 850).
    events.add(new Interaction("c", "i1", 4, 850));
    events.add(new Interaction("c", "i2", 4, 250));
    events.add(new Interaction("c", "i3", 4, 450));
    // User "d": 2 events -> round(0.4) = 0 test events.
    events.add(new Interaction("d", "i1", 2, 120));
    events.add(new Interaction("d", "i2", 2, 980));
    // User "e": a single event stays in training.
    events.add(new Interaction("e", "i1", 5, 990));
    EventLog log = EventLog.of(new Dataset("hand", "generated", events, Map.of()));

    Split split = Split.perUserByTime(log, 0.2);

    assertDisjointAndComplete(split, log.events());
    assertThat(testTimes(log, split, "a")).containsExactlyInAnyOrder(900L, 1000L);
    assertThat(testTimes(log, split, "b")).containsExactly(950L);
    assertThat(testTimes(log, split, "c")).containsExactly(850L);
    assertThat(testTimes(log, split, "d")).isEmpty();
    assertThat(testTimes(log, split, "e")).isEmpty();
    assertThat(split.test()).hasSize(4);
    assertThat(split.train()).hasSize(log.events() - 4);
  }

  @Test
  void perUserSplitKeepsAtLeastOneTrainingEventPerUser() {
    List<Interaction> events = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      events.add(new Interaction("many", "i" + k, 3, 1000 + k));
    }
    events.add(new Interaction("two", "i1", 3, 5));
    events.add(new Interaction("two", "i2", 3, 6));
    events.add(new Interaction("one", "i1", 3, 7));
    EventLog log = EventLog.of(new Dataset("hand", "generated", events, Map.of()));

    // 0.95 of 10 rounds to 10 and of 2 to 2: both are capped so that one event is left to train on.
    Split split = Split.perUserByTime(log, 0.95);

    assertDisjointAndComplete(split, log.events());
    assertThat(trainTimes(log, split, "many")).containsExactly(1000L);
    assertThat(testTimes(log, split, "many")).hasSize(9);
    assertThat(trainTimes(log, split, "two")).containsExactly(5L);
    assertThat(testTimes(log, split, "two")).containsExactly(6L);
    assertThat(trainTimes(log, split, "one")).containsExactly(7L);
    assertThat(testTimes(log, split, "one")).isEmpty();
  }

  @Test
  void perUserSplitOnGeneratedDataIsAFutureHoldOutForEveryUser() {
    Split split = Split.perUserByTime(GENERATED, 0.2);
    assertDisjointAndComplete(split, GENERATED.events());

    long[] all = GENERATED.countsPerUser(GENERATED.allEvents());
    long[] train = GENERATED.countsPerUser(split.train());
    long[] test = GENERATED.countsPerUser(split.test());
    long[] lastTrainTime = new long[GENERATED.users()];
    Arrays.fill(lastTrainTime, Long.MIN_VALUE);
    for (int e : split.train()) {
      int u = GENERATED.user[e];
      lastTrainTime[u] = Math.max(lastTrainTime[u], GENERATED.time[e]);
    }
    for (int u = 0; u < GENERATED.users(); u++) {
      assertThat(train[u]).as("training events of user %d", u).isGreaterThanOrEqualTo(1);
      assertThat(test[u]).isEqualTo(Math.min(all[u] - 1, Math.round(all[u] * 0.2)));
    }
    for (int e : split.test()) {
      assertThat(GENERATED.time[e]).isGreaterThanOrEqualTo(lastTrainTime[GENERATED.user[e]]);
    }
  }

  private static void assertDisjointAndComplete(Split split, int events) {
    Set<Integer> train = new HashSet<>();
    Arrays.stream(split.train()).forEach(train::add);
    Set<Integer> test = new HashSet<>();
    Arrays.stream(split.test()).forEach(test::add);
    assertThat(train).hasSize(split.train().length); // no duplicates
    assertThat(test).hasSize(split.test().length);
    assertThat(train).doesNotContainAnyElementsOf(test);
    Set<Integer> union = new HashSet<>(train);
    union.addAll(test);
    assertThat(union)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, events).boxed().toList());
  }

  private static List<Long> testTimes(EventLog log, Split split, String userId) {
    return times(log, split.test(), userId);
  }

  private static List<Long> trainTimes(EventLog log, Split split, String userId) {
    return times(log, split.train(), userId);
  }

  private static List<Long> times(EventLog log, int[] events, String userId) {
    Map<String, Integer> index = new HashMap<>();
    for (int u = 0; u < log.users(); u++) {
      index.put(log.userIds.get(u), u);
    }
    int user = index.get(userId);
    List<Long> times = new ArrayList<>();
    for (int e : events) {
      if (log.user[e] == user) {
        times.add(log.time[e]);
      }
    }
    return times;
  }
}
