package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.GroupBoundaries;
import io.personalize.job.Descriptors;
import io.personalize.job.GroupCoordinatorFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.online.CountsSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCoordinatorFunction} with {@code regroupEveryEvents} = 3: boundaries (log of the
 * smallest and largest count of events per user) after every third rating when they changed, with
 * increasing versions, never re-sent unchanged, and counts that survive a restore.
 */
class GroupCoordinatorFunctionTest {
  private static final JobConfig CONFIG = Fixtures.config(100, 1_000, 3, 5_000, 86_400_000L);
  private static final int GROUPS = CONFIG.model().groups();

  private KeyedOneInputStreamOperatorTestHarness<Integer, ValidEvent, GroupBoundaries> harness;

  private static KeyedOneInputStreamOperatorTestHarness<Integer, ValidEvent, GroupBoundaries> open(
      OperatorSubtaskState restored) throws Exception {
    return open(CONFIG, restored);
  }

  private static KeyedOneInputStreamOperatorTestHarness<Integer, ValidEvent, GroupBoundaries> open(
      JobConfig config, OperatorSubtaskState restored) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<Integer, ValidEvent, GroupBoundaries>(
            new KeyedProcessOperator<>(new GroupCoordinatorFunction(config)), e -> 0, Types.INT);
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void ratings(String... users) throws Exception {
    ratings(harness, users);
  }

  private static void ratings(
      KeyedOneInputStreamOperatorTestHarness<Integer, ValidEvent, GroupBoundaries> h,
      String... users)
      throws Exception {
    for (String user : users) {
      h.processElement(rating(user, "i1", 4, 0), 0);
    }
  }

  private static void assertBoundaries(
      GroupBoundaries b, long version, long minCount, long maxCount, long users) {
    assertThat(b.getVersion()).isEqualTo(version);
    assertThat(b.getGroups()).isEqualTo(GROUPS);
    assertThat(b.getLogCountMin()).isEqualTo(Math.log(minCount));
    assertThat(b.getLogCountMax()).isEqualTo(Math.log(maxCount));
    assertThat(b.getUsers()).isEqualTo(users);
  }

  @Test
  void emitsChangedBoundariesEveryThirdRatingWithIncreasingVersions() throws Exception {
    harness = open(null);
    long before = System.currentTimeMillis();

    ratings("u1", "u1");
    assertThat(harness.extractOutputValues()).isEmpty();
    ratings("u2");
    // u1: 2, u2: 1
    assertThat(harness.extractOutputValues()).hasSize(1);
    GroupBoundaries first = harness.extractOutputValues().get(0);
    assertBoundaries(first, 1, 1, 2, 2);
    assertThat(first.getComputedAtMillis()).isBetween(before, System.currentTimeMillis());

    ratings("u1", "u1", "u3");
    // u1: 4, u2: 1, u3: 1
    assertThat(harness.extractOutputValues()).hasSize(2);
    assertBoundaries(harness.extractOutputValues().get(1), 2, 1, 4, 3);

    ratings("u4", "u4", "u4");
    // u4: 3 lies inside [1, 4]: unchanged, not re-sent
    assertThat(harness.extractOutputValues()).hasSize(2);

    ratings("u1", "u1", "u1");
    // u1: 7
    assertThat(harness.extractOutputValues()).hasSize(3);
    assertBoundaries(harness.extractOutputValues().get(2), 3, 1, 7, 4);
    assertThat(harness.extractOutputValues())
        .extracting(GroupBoundaries::getVersion)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void clicksAreNotCountedAndDoNotAdvanceTheRegroupClock() throws Exception {
    harness = open(null);
    ratings("u1", "u1");
    harness.processElement(click("u2", "i1", 0), 0);
    harness.processElement(click("u2", "i2", 0), 0);
    harness.processElement(click("u2", "i3", 0), 0);
    assertThat(harness.extractOutputValues()).isEmpty();

    ratings("u3");

    assertThat(harness.extractOutputValues()).hasSize(1);
    // u2 only clicked: it is not a user with data
    assertBoundaries(harness.extractOutputValues().get(0), 1, 1, 2, 2);
  }

  @Test
  void restoredCoordinatorKeepsCountsVersionAndRegroupClock() throws Exception {
    harness = open(null);
    ratings("u1", "u1", "u2", "u1", "u1", "u3");
    assertThat(harness.extractOutputValues())
        .extracting(GroupBoundaries::getVersion)
        .containsExactly(1L, 2L);
    ratings("u2");
    // u1: 4, u2: 2, u3: 1, and one rating into the next regroup window
    OperatorSubtaskState state = harness.snapshot(1L, 1L);

    try (var restored = open(state)) {
      ratings(restored, "u1", "u1");
      // two more complete the window of three: u1: 6, u2: 2, u3: 1
      assertThat(restored.extractOutputValues()).hasSize(1);
      assertBoundaries(restored.extractOutputValues().get(0), 3, 1, 6, 3);

      ratings(restored, "u5", "u5", "u5");
      assertThat(restored.extractOutputValues()).hasSize(1);
    }
  }

  @Test
  void restoredCoordinatorDoesNotResendUnchangedBoundaries() throws Exception {
    harness = open(null);
    ratings("u1", "u1", "u2", "u1", "u1", "u3");
    // u1: 4, u2: 1, u3: 1: version 2 with [log 1, log 4]
    assertBoundaries(harness.extractOutputValues().get(1), 2, 1, 4, 3);
    OperatorSubtaskState state = harness.snapshot(1L, 1L);

    try (var restored = open(state)) {
      ratings(restored, "u2", "u4", "u4");
      // u2: 2, u4: 2: still [log 1, log 4]
      assertThat(restored.extractOutputValues()).isEmpty();
    }
  }

  @Test
  void functionAsTheJobShipsItSendsTheFirstBoundaries() throws Exception {
    // The job serializes every function into the job graph; this is what a task deserializes.
    GroupCoordinatorFunction shipped =
        InstantiationUtil.clone(new GroupCoordinatorFunction(CONFIG));
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(shipped), e -> 0, Types.INT);
    harness.open();

    ratings("u1", "u2", "u3");

    // As the unserialized function does: the first boundaries always go out.
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertBoundaries(harness.extractOutputValues().get(0), 1, 1, 1, 3);
  }

  /** The operator's counts as its snapshot stores them, least recently seen user first. */
  private CountsSnapshot storedCounts() throws Exception {
    harness.snapshot(1L, 1L);
    List<CountsSnapshot> stored = new ArrayList<>();
    harness
        .getOperator()
        .getOperatorStateBackend()
        .getListState(Descriptors.userCounts())
        .get()
        .forEach(stored::add);
    assertThat(stored).hasSize(1);
    return stored.get(0);
  }

  @Test
  void withMaxUsersTwoAThirdUserEvictsTheLeastRecentlySeenAndTheBoundariesFollow()
      throws Exception {
    JobConfig config =
        Fixtures.config(100, 1_000, 1, 5_000, 86_400_000L).with(PersonalizeOptions.MAX_USERS, 2);
    harness = open(config, null);

    ratings("u1", "u2", "u2", "u2", "u1");
    // u1: 2, u2: 3, and u1 seen last
    assertThat(harness.extractOutputValues()).hasSize(4);
    assertBoundaries(harness.extractOutputValues().get(3), 4, 2, 3, 2);

    ratings("u3");

    // u2, the least recently seen, is dropped: u1: 2, u3: 1. (Keeping u2 would leave the
    // boundaries at [log 1, log 3], unchanged, and send nothing.)
    assertThat(harness.extractOutputValues()).hasSize(5);
    assertBoundaries(harness.extractOutputValues().get(4), 5, 1, 2, 2);
    CountsSnapshot counts = storedCounts();
    assertThat(counts.users).containsExactly("u1", "u3");
    assertThat(OperatorMetrics.gauge(harness, "users-counted")).isEqualTo(2L);
    assertThat(OperatorMetrics.gauge(harness, "users-evicted")).isEqualTo(1L);
    assertThat(counts.counts).containsExactly(2, 1);

    ratings("u2");

    // u2 starts again from 1 and u1 goes: u3: 1, u2: 1
    assertThat(harness.extractOutputValues()).hasSize(6);
    assertBoundaries(harness.extractOutputValues().get(5), 6, 1, 1, 2);
    counts = storedCounts();
    assertThat(counts.users).containsExactly("u3", "u2");
    assertThat(OperatorMetrics.gauge(harness, "users-evicted")).isEqualTo(2L);
    assertThat(counts.counts).containsExactly(1, 1);
  }

  @Test
  void countsOfUsersIdleForTheIdleExpiryAreForgottenAndTheBoundariesFollow() throws Exception {
    // One-event users flooding in must not pile up counts up to max-users: the per-user
    // operators forget a user after the idle expiry, so does the coordinator.
    harness = open(Fixtures.config(100, 1_000, 1, 5_000, 10_000L), null);

    harness.processElement(rating("u1", "i1", 4, 1_000), 0);
    harness.processElement(rating("u1", "i2", 4, 2_000), 0);
    harness.processElement(rating("u1", "i3", 4, 3_000), 0);
    harness.processElement(rating("u2", "i1", 4, 4_000), 0);
    // u1: 3, u2: 1
    assertBoundaries(
        harness.extractOutputValues().get(harness.extractOutputValues().size() - 1),
        harness.extractOutputValues().size(),
        1,
        3,
        2);

    harness.processElement(rating("u3", "i1", 4, 13_500), 0);

    // u1, last seen at 3 s, is idle for 10 s at 13.5 s and goes with its count: u2: 1, u3: 1
    GroupBoundaries last =
        harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
    assertBoundaries(last, harness.extractOutputValues().size(), 1, 1, 2);
    assertThat(storedCounts().users).containsExactly("u2", "u3");
    assertThat(OperatorMetrics.gauge(harness, "users-counted")).isEqualTo(2L);
    assertThat(OperatorMetrics.gauge(harness, "users-expired")).isEqualTo(1L);
    assertThat(OperatorMetrics.gauge(harness, "users-evicted")).isEqualTo(0L);
  }
}
