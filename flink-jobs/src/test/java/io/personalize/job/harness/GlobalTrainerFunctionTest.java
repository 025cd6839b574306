package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.ModelKind;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.Descriptors;
import io.personalize.job.GlobalTrainerFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.GlobalModel;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GlobalTrainerFunction}: one global prediction per rating (the plain-Java {@link
 * GlobalModel}'s, exactly), clicks counted but not learned, a versioned sparse checkpoint every
 * {@code checkpointEveryEvents} events or {@code checkpointEveryMillis} of processing time (never
 * an empty one), item metadata in either order, and a restore that continues exactly where the
 * uninterrupted run goes.
 */
class GlobalTrainerFunctionTest {
  private static final int EVERY_EVENTS = 4;
  private static final long EVERY_MILLIS = 1_000;
  private static final JobConfig CONFIG =
      Fixtures.config(EVERY_EVENTS, EVERY_MILLIS, 1_000, 5_000, 365L * 86_400_000L);

  private KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, Prediction>
      harness;

  private static KeyedTwoInputStreamOperatorTestHarness<
          Integer, ValidEvent, ItemMetadata, Prediction>
      open(OperatorSubtaskState restored) throws Exception {
    return open(CONFIG, restored);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          Integer, ValidEvent, ItemMetadata, Prediction>
      open(JobConfig config, OperatorSubtaskState restored) throws Exception {
    KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, Prediction> h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new GlobalTrainerFunction(config)),
            e -> 0,
            i -> 0,
            Types.INT);
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

  private List<Prediction> predictions() {
    return harness.extractOutputValues();
  }

  private List<GradientCheckpoint> checkpoints() {
    return checkpoints(harness);
  }

  private static List<GradientCheckpoint> checkpoints(
      KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, Prediction> h) {
    var side = h.getSideOutput(Descriptors.CHECKPOINTS);
    return side == null
        ? List.of()
        : side.stream().map(StreamRecord::getValue).map(CoreRecords::toAvro).toList();
  }

  private static Map<String, ItemParameterDelta> byItem(GradientCheckpoint checkpoint) {
    return checkpoint.getItemDeltas().stream()
        .collect(Collectors.toMap(ItemParameterDelta::getItemId, d -> d));
  }

  private static Map<String, Long> counts(GradientCheckpoint checkpoint) {
    return checkpoint.getItemDeltas().stream()
        .collect(
            Collectors.toMap(ItemParameterDelta::getItemId, ItemParameterDelta::getCountDelta));
  }

  private static ItemMetadata comedy(String item) {
    return ItemMetadata.newBuilder()
        .setItemId(item)
        .setGenres(List.of("Comedy"))
        .setYear(1995)
        .setUpdateTimeMillis(0)
        .build();
  }

  @Test
  void oneGlobalPredictionPerRatingEqualToThePlainJavaModelAndNoneForClicks() throws Exception {
    harness = open(null);
    GlobalModel reference = Fixtures.globalModel(CONFIG);
    List<ValidEvent> events =
        List.of(
            rating("u1", "i1", 4, 1_000),
            click("u1", "i2", 1_500),
            rating("u2", "i1", 2, 2_000),
            rating("u1", "i2", 5, 3_000));

    for (ValidEvent e : events) {
      harness.processElement1(e, e.eventTimeMillis);
    }

    List<Prediction> out = predictions();
    assertThat(out).hasSize(3);
    List<ValidEvent> ratings = events.stream().filter(e -> e.eventType.equals("RATING")).toList();
    for (int n = 0; n < ratings.size(); n++) {
      ValidEvent e = ratings.get(n);
      Prediction p = out.get(n);
      double expected =
          CONFIG.scale().clamp(reference.learn(e.userId, e.itemId, e.value, e.eventTimeMillis));
      assertThat(p.mode).isEqualTo("global");
      assertThat(p.userId).isEqualTo(e.userId);
      assertThat(p.label).isEqualTo(e.value);
      assertThat(p.eventTimeMillis).isEqualTo(e.eventTimeMillis);
      assertThat(p.prediction).isEqualTo(expected);
      assertThat(p.checkpointVersion).isZero();
      assertThat(p.userEvents).isZero();
      assertThat(p.group).isZero();
    }
    // The untrained model predicts the middle of the scale plus small random factor products.
    assertThat(out.get(0).prediction).isCloseTo(3.0, within(0.5));
    // The click was counted as not learned: three events toward the checkpoint of four.
    assertThat(checkpoints()).isEmpty();
  }

  @Test
  void closesCheckpointAfterExactlyCheckpointEveryEventsWithTheItemsSeen() throws Exception {
    harness = open(null);
    harness.processElement1(rating("u1", "i1", 4, 5_000), 0);
    harness.processElement1(rating("u2", "i2", 3, 9_000), 0);
    harness.processElement1(click("u3", "i9", 20_000), 0);
    harness.processElement1(rating("u1", "i3", 1, 7_000), 0);
    assertThat(checkpoints()).as("3 ratings and a click: not yet").isEmpty();

    harness.processElement1(rating("u3", "i1", 5, 8_000), 0);

    assertThat(checkpoints()).hasSize(1);
    GradientCheckpoint first = checkpoints().get(0);
    assertThat(first.getModelKind()).isEqualTo(ModelKind.HYBRID);
    assertThat(first.getVersion()).isEqualTo(1);
    assertThat(first.getPreviousVersion()).isZero();
    assertThat(first.getEventsCovered()).isEqualTo(4);
    assertThat(first.getMaxEventTimeMillis()).as("the click is not covered").isEqualTo(9_000);
    assertThat(first.getFactors()).isEqualTo(CONFIG.model().factors());
    assertThat(first.getFeatureDimension()).isEqualTo(CONFIG.featureSpace().dimension());
    assertThat(counts(first)).isEqualTo(Map.of("i1", 2L, "i2", 1L, "i3", 1L));
    assertThat(first.getItemDeltas())
        .allSatisfy(d -> assertThat(d.getFactorDelta()).hasSize(CONFIG.model().factors()));
    assertThat(first.getItemDeltas())
        .as("an item's first delta carries its whole value, initial factors included")
        .allSatisfy(d -> assertThat(d.getFactorDelta()).anyMatch(f -> f != 0f));
    assertThat(first.getGlobalMeanDelta()).isNotZero();
    assertThat(predictions()).extracting(p -> p.checkpointVersion).containsOnly(0L);

    harness.processElement1(rating("u4", "i3", 2, 10_000), 0);
    harness.processElement1(rating("u4", "i4", 4, 12_000), 0);
    harness.processElement1(rating("u1", "i4", 3, 11_000), 0);
    harness.processElement1(rating("u2", "i4", 5, 6_000), 0);

    assertThat(checkpoints()).hasSize(2);
    GradientCheckpoint second = checkpoints().get(1);
    assertThat(second.getVersion()).isEqualTo(2);
    assertThat(second.getPreviousVersion()).isEqualTo(1);
    assertThat(second.getEventsCovered()).isEqualTo(8);
    assertThat(second.getMaxEventTimeMillis()).isEqualTo(12_000);
    assertThat(counts(second))
        .as("only the items touched since")
        .isEqualTo(Map.of("i3", 1L, "i4", 3L));
    assertThat(predictions().subList(4, 8)).extracting(p -> p.checkpointVersion).containsOnly(1L);
  }

  @Test
  void consecutiveCheckpointsSumToTheMastersWholeChange() throws Exception {
    harness = open(null);
    GlobalModel reference = Fixtures.globalModel(CONFIG);
    for (int n = 0; n < 2 * EVERY_EVENTS; n++) {
      ValidEvent e = rating("u" + n % 3, "i" + n % 5, 1 + n % 5, 1_000L * n);
      harness.processElement1(e, 0);
      reference.learn(e.userId, e.itemId, e.value, e.eventTimeMillis);
    }
    GradientCheckpoint expected = CoreRecords.toAvro(reference.closeCheckpoint(0));

    // The sum of both emitted checkpoints equals the one checkpoint the reference closes at once.
    Map<String, Double> biasSum = new HashMap<>();
    Map<String, Long> countSum = new HashMap<>();
    double meanSum = 0;
    for (GradientCheckpoint c : checkpoints()) {
      meanSum += c.getGlobalMeanDelta();
      for (ItemParameterDelta d : c.getItemDeltas()) {
        biasSum.merge(d.getItemId(), d.getBiasDelta(), Double::sum);
        countSum.merge(d.getItemId(), d.getCountDelta(), Long::sum);
      }
    }
    assertThat(checkpoints()).hasSize(2);
    assertThat(meanSum).isCloseTo(expected.getGlobalMeanDelta(), within(1e-12));
    assertThat(countSum).isEqualTo(counts(expected));
    for (ItemParameterDelta d : expected.getItemDeltas()) {
      assertThat(biasSum.get(d.getItemId())).isCloseTo(d.getBiasDelta(), within(1e-12));
    }
  }

  @Test
  void processingTimeTimerClosesACheckpointAndNothingChangedMeansNoCheckpoint() throws Exception {
    harness = open(null);
    harness.setProcessingTime(10_000);
    harness.processElement1(rating("u1", "i1", 4, 100), 0);
    harness.setProcessingTime(10_400);
    harness.processElement1(rating("u2", "i2", 2, 300), 0);
    assertThat(harness.numProcessingTimeTimers())
        .as("one timer for the open checkpoint")
        .isEqualTo(1);

    harness.setProcessingTime(10_000 + EVERY_MILLIS - 1);
    assertThat(checkpoints()).isEmpty();
    harness.setProcessingTime(10_000 + EVERY_MILLIS);

    assertThat(checkpoints()).hasSize(1);
    GradientCheckpoint timed = checkpoints().get(0);
    assertThat(timed.getVersion()).isEqualTo(1);
    assertThat(timed.getPreviousVersion()).isZero();
    assertThat(timed.getEventsCovered()).isEqualTo(2);
    assertThat(timed.getMaxEventTimeMillis()).isEqualTo(300);
    assertThat(counts(timed)).isEqualTo(Map.of("i1", 1L, "i2", 1L));
    assertThat(harness.numProcessingTimeTimers()).isZero();

    // Quiet: no timer, no checkpoint.
    harness.setProcessingTime(60_000);
    assertThat(checkpoints()).hasSize(1);

    // A full count closes a checkpoint; its timer then finds nothing new and emits nothing.
    for (int n = 0; n < EVERY_EVENTS; n++) {
      harness.processElement1(rating("u3", "i3", 3, 400 + n), 0);
    }
    assertThat(checkpoints()).hasSize(2);
    assertThat(checkpoints().get(1).getVersion()).isEqualTo(2);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    harness.setProcessingTime(60_000 + EVERY_MILLIS);
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(checkpoints()).as("no empty checkpoint").hasSize(2);

    // Clicks alone are not learned: they start no timer and close no checkpoint.
    harness.processElement1(click("u4", "i4", 500), 0);
    assertThat(harness.numProcessingTimeTimers()).isZero();
    harness.setProcessingTime(120_000);
    assertThat(checkpoints()).hasSize(2);
    assertThat(predictions()).hasSize(2 + EVERY_EVENTS);
  }

  @Test
  void itemMetadataBeforeTheEvents() throws Exception {
    harness = open(null);
    GlobalModel reference = Fixtures.globalModel(CONFIG);
    FeatureSpace space = CONFIG.featureSpace();
    int comedyIndex = space.describe(List.of("Comedy"), null, Map.of()).indices()[0];

    harness.processElement2(comedy("i1"), 0);
    reference.describeItem("i1", space.describe(List.of("Comedy"), 1995, Map.of()));
    assertThat(predictions()).isEmpty();
    for (int n = 0; n < EVERY_EVENTS; n++) {
      ValidEvent e = rating("u" + n, "i1", 5, n);
      harness.processElement1(e, 0);
      assertThat(predictions().get(n).prediction)
          .isEqualTo(CONFIG.scale().clamp(reference.learn(e.userId, e.itemId, e.value, n)));
    }

    GradientCheckpoint checkpoint = checkpoints().get(0);
    assertThat(checkpoint.getFeatureWeightDeltas())
        .extracting(FeatureWeightDelta::getIndex)
        .contains(comedyIndex);
    assertThat(
            checkpoint.getFeatureWeightDeltas().stream()
                .filter(d -> d.getIndex() == comedyIndex)
                .findFirst()
                .orElseThrow()
                .getDelta())
        .as("four 5-star ratings of a comedy raise the comedy weight")
        .isPositive();
  }

  @Test
  void itemMetadataAfterTheEvents() throws Exception {
    harness = open(null);
    GlobalModel reference = Fixtures.globalModel(CONFIG);
    FeatureSpace space = CONFIG.featureSpace();
    int comedyIndex = space.describe(List.of("Comedy"), null, Map.of()).indices()[0];

    for (int n = 0; n < EVERY_EVENTS; n++) {
      harness.processElement1(rating("u" + n, "i1", 5, n), 0);
      reference.learn("u" + n, "i1", 5, n);
    }
    harness.processElement2(comedy("i1"), 0);
    reference.describeItem("i1", space.describe(List.of("Comedy"), 1995, Map.of()));
    for (int n = 0; n < EVERY_EVENTS; n++) {
      harness.processElement1(rating("v" + n, "i1", 5, 10 + n), 0);
      assertThat(predictions().get(EVERY_EVENTS + n).prediction)
          .isEqualTo(CONFIG.scale().clamp(reference.learn("v" + n, "i1", 5, 10 + n)));
    }

    assertThat(checkpoints()).hasSize(2);
    assertThat(checkpoints().get(0).getFeatureWeightDeltas())
        .extracting(FeatureWeightDelta::getIndex)
        .doesNotContain(comedyIndex);
    assertThat(checkpoints().get(1).getFeatureWeightDeltas())
        .extracting(FeatureWeightDelta::getIndex)
        .contains(comedyIndex);
  }

  /**
   * A hybrid model fed ratings and no item metadata at all runs without item features: the job says
   * so once, after {@value GlobalTrainerFunction#RATINGS_BEFORE_NO_METADATA_WARNING} ratings, and
   * the gauge of described items reads 0 (a cluster test once ran like this unnoticed).
   */
  @Test
  void withNoItemMetadataAtAllTheJobWarnsOnceAfterAThousandRatings() throws Exception {
    harness = open(null);
    long warnAt = GlobalTrainerFunction.RATINGS_BEFORE_NO_METADATA_WARNING;
    try (LogCapture log = LogCapture.of(GlobalTrainerFunction.class)) {
      for (int n = 0; n < warnAt - 1; n++) {
        harness.processElement1(rating("u" + n % 50, "i" + n % 20, 4, n), 0);
      }
      assertThat(log.at(Level.WARN)).isEmpty();
      harness.processElement1(click("u1", "i1", warnAt), 0); // clicks are not learned ratings
      assertThat(log.at(Level.WARN)).isEmpty();
      harness.processElement1(rating("u1", "i1", 4, warnAt), 0);
      assertThat(log.at(Level.WARN))
          .singleElement(as(STRING))
          .startsWith("1000 ratings learned and no item metadata yet on topic 'items'")
          .contains("personalize.model.kind=MF");
      for (int n = 0; n < 2 * warnAt; n++) {
        harness.processElement1(rating("u" + n % 50, "i" + n % 20, 4, warnAt + n), 0);
      }
      assertThat(log.at(Level.WARN)).as("said once").hasSize(1);
    }
    assertThat(OperatorMetrics.gauge(harness, "global-items-described")).isEqualTo(0L);
    assertThat(OperatorMetrics.gauge(harness, "global-items")).isEqualTo(20L);
  }

  @Test
  void withItemMetadataTheJobDoesNotWarnAndCountsTheDescribedItems() throws Exception {
    harness = open(null);
    harness.processElement2(comedy("i1"), 0);
    harness.processElement2(comedy("i2"), 0);
    harness.processElement2(comedy("i1"), 0); // an update: still two items described
    try (LogCapture log = LogCapture.of(GlobalTrainerFunction.class)) {
      for (int n = 0; n < GlobalTrainerFunction.RATINGS_BEFORE_NO_METADATA_WARNING + 10; n++) {
        harness.processElement1(rating("u" + n % 50, "i" + n % 20, 4, n), 0);
      }
      assertThat(log.at(Level.WARN)).isEmpty();
    }
    assertThat(OperatorMetrics.gauge(harness, "global-items-described")).isEqualTo(2L);
  }

  @Test
  void restoredOperatorContinuesLikeTheUninterruptedOne() throws Exception {
    harness = open(null);
    harness.processElement2(comedy("i2"), 0);
    for (int n = 0; n < EVERY_EVENTS + 2; n++) {
      harness.processElement1(rating("u" + n % 3, "i" + n, 1 + n % 5, 1_000L * n), 0);
    }
    assertThat(checkpoints()).extracting(GradientCheckpoint::getVersion).containsExactly(1L);
    OperatorSubtaskState state = harness.snapshot(1L, 1L);

    try (var restored = open(state)) {
      // The same two events (closing version 2), then a new item and user: on both.
      List<ValidEvent> next =
          List.of(
              rating("u1", "i2", 4, 6_000),
              rating("u2", "i3", 2, 7_500),
              rating("u9", "i9", 5, 7_000));
      for (ValidEvent e : next) {
        harness.processElement1(e, 0);
        restored.processElement1(e, 0);
      }

      List<Prediction> uninterrupted = predictions().subList(EVERY_EVENTS + 2, EVERY_EVENTS + 5);
      List<Prediction> afterRestore = restored.extractOutputValues();
      assertThat(afterRestore).hasSize(3);
      for (int n = 0; n < 3; n++) {
        assertThat(afterRestore.get(n).prediction).isEqualTo(uninterrupted.get(n).prediction);
      }
      assertThat(afterRestore).extracting(p -> p.checkpointVersion).containsExactly(1L, 1L, 2L);
      assertThat(uninterrupted).extracting(p -> p.checkpointVersion).containsExactly(1L, 1L, 2L);
      // Same event-count rule after the restore: 6 + 2 = 8 closes version 2.
      assertThat(checkpoints(restored)).hasSize(1);
      GradientCheckpoint a = checkpoints().get(1);
      GradientCheckpoint b = checkpoints(restored).get(0);
      assertThat(b.getVersion()).isEqualTo(a.getVersion()).isEqualTo(2);
      assertThat(b.getPreviousVersion()).isEqualTo(1);
      assertThat(b.getEventsCovered()).isEqualTo(a.getEventsCovered()).isEqualTo(8);
      assertThat(b.getMaxEventTimeMillis()).isEqualTo(a.getMaxEventTimeMillis()).isEqualTo(7_500);
      assertThat(b.getGlobalMeanDelta()).isEqualTo(a.getGlobalMeanDelta());
      Map<String, ItemParameterDelta> restoredItems = byItem(b);
      for (ItemParameterDelta d : a.getItemDeltas()) {
        assertThat(restoredItems.get(d.getItemId())).as(d.getItemId()).isEqualTo(d);
      }
      assertThat(counts(a)).isEqualTo(Map.of("i4", 1L, "i5", 1L, "i2", 1L, "i3", 1L));
      // After a restore every item is sent again: untouched ones carry only the mirror's rounding.
      assertThat(restoredItems.keySet())
          .containsExactlyInAnyOrder("i0", "i1", "i2", "i3", "i4", "i5");
      for (ItemParameterDelta d : b.getItemDeltas()) {
        if (!counts(a).containsKey(d.getItemId())) {
          assertThat(d.getCountDelta()).isZero();
          assertThat(Math.abs(d.getBiasDelta())).isLessThan(1e-12);
          assertThat(d.getFactorDelta()).allMatch(f -> Math.abs(f) < 1e-6);
        }
      }

      // And the event after that is predicted identically too.
      harness.processElement1(rating("u0", "i0", 3, 8_000), 0);
      restored.processElement1(rating("u0", "i0", 3, 8_000), 0);
      assertThat(restored.extractOutputValues().get(3).prediction)
          .isEqualTo(predictions().get(EVERY_EVENTS + 5).prediction);
      assertThat(restored.extractOutputValues().get(3).checkpointVersion).isEqualTo(2);
    }
  }

  /**
   * The snapshot handed to the list state is Flink's to copy while the checkpoint is taken; once
   * the checkpoint is complete the list no longer holds it (it would be a second copy of the model
   * on the heap), nor after a restore has read it, and the checkpoint still restores.
   */
  @Test
  void theStoredSnapshotIsReleasedOnceTheCheckpointIsCompleteAndStillRestores() throws Exception {
    harness = open(null);
    for (int n = 0; n < EVERY_EVENTS + 2; n++) {
      harness.processElement1(rating("u" + n % 3, "i" + n, 1 + n % 5, 1_000L * n), 0);
    }
    OperatorSubtaskState state = harness.snapshot(1L, 1L);
    assertThat(storedModels(harness)).hasSize(1);
    harness.notifyOfCompletedCheckpoint(1L);
    assertThat(storedModels(harness)).isEmpty();

    try (var restored = open(state)) {
      assertThat(storedModels(restored)).isEmpty();
      ValidEvent next = rating("u1", "i2", 4, 9_000);
      harness.processElement1(next, 0);
      restored.processElement1(next, 0);
      assertThat(restored.extractOutputValues().get(0).prediction)
          .isEqualTo(predictions().get(EVERY_EVENTS + 2).prediction);
    }
  }

  private static List<GlobalModelSnapshot> storedModels(
      KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, Prediction> h)
      throws Exception {
    List<GlobalModelSnapshot> stored = new ArrayList<>();
    h.getOperator()
        .getOperatorStateBackend()
        .getListState(Descriptors.globalModel())
        .get()
        .forEach(stored::add);
    return stored;
  }

  /** The user rows the operator keeps, least recently seen first, as its snapshot stores them. */
  private List<String> storedUsers() throws Exception {
    harness.snapshot(1L, 1L);
    List<GlobalModelSnapshot> stored = new ArrayList<>();
    harness
        .getOperator()
        .getOperatorStateBackend()
        .getListState(Descriptors.globalModel())
        .get()
        .forEach(stored::add);
    assertThat(stored).hasSize(1);
    return List.of(stored.get(0).userIds);
  }

  @Test
  void userRowsIdleForTheIdleExpiryAreForgottenAsEventTimeMovesOn() throws Exception {
    // A flood of one-event users must not pile up user rows on the heap and in every checkpoint up
    // to max-users: the per-user operators forget a user after the idle expiry, so does this one.
    JobConfig tenSeconds = Fixtures.config(EVERY_EVENTS, EVERY_MILLIS, 1_000, 5_000, 10_000);
    harness = open(tenSeconds, null);

    harness.processElement1(rating("u1", "i1", 4, 1_000), 0);
    harness.processElement1(rating("u2", "i2", 2, 5_000), 0);
    harness.processElement1(rating("u1", "i2", 5, 8_000), 0);
    harness.processElement1(rating("u3", "i1", 3, 15_000), 0);
    // u2, last seen at 5 s, is idle for 10 s at 15 s; u1 (8 s) is not
    assertThat(storedUsers()).containsExactly("u1", "u3");
    harness.processElement1(rating("u4", "i1", 3, 40_000), 0);

    assertThat(storedUsers()).containsExactly("u4");
    assertThat(OperatorMetrics.gauge(harness, "global-users")).isEqualTo(1L);
    assertThat(OperatorMetrics.gauge(harness, "global-users-expired")).isEqualTo(3L);
    assertThat(OperatorMetrics.gauge(harness, "global-users-evicted")).isEqualTo(0L);
  }

  @Test
  void restoredUserRowsAreKeptForAnIdleExpiryAfterTheRestore() throws Exception {
    JobConfig tenSeconds = Fixtures.config(EVERY_EVENTS, EVERY_MILLIS, 1_000, 5_000, 10_000);
    harness = open(tenSeconds, null);
    harness.processElement1(rating("u1", "i1", 4, 1_000), 0);
    harness.processElement1(rating("u2", "i2", 2, 9_000), 0);
    OperatorSubtaskState state = harness.snapshot(1L, 1L);
    harness.close();

    harness = open(tenSeconds, state);
    // The snapshot keeps no time per user: both count as seen at the latest event time, 9 s.
    harness.processElement1(rating("u3", "i1", 3, 12_000), 0);
    assertThat(storedUsers()).containsExactly("u1", "u2", "u3");
    harness.processElement1(rating("u4", "i1", 3, 19_500), 0);
    assertThat(storedUsers()).containsExactly("u3", "u4");
  }

  @Test
  void withMaxUsersTwoAThirdUserEvictsTheLeastRecentlySeenUserRow() throws Exception {
    JobConfig twoUsers = CONFIG.with(PersonalizeOptions.MAX_USERS, 2);
    harness = open(twoUsers, null);
    GlobalModel bounded = Fixtures.globalModel(twoUsers);
    GlobalModel unbounded = Fixtures.globalModel(CONFIG);
    List<ValidEvent> events =
        List.of(
            rating("u1", "i1", 4, 1_000),
            rating("u2", "i2", 2, 2_000),
            rating("u1", "i2", 5, 3_000),
            // u1 was seen after u2: u2's row goes, not the first inserted u1's
            rating("u3", "i1", 3, 4_000),
            // u2 is back, from its initial row; u1 is now the least recently seen
            rating("u2", "i2", 1, 5_000));
    List<List<String>> kept = new ArrayList<>();
    double[] expected = new double[events.size()];
    double[] withoutBound = new double[events.size()];
    for (int n = 0; n < events.size(); n++) {
      ValidEvent e = events.get(n);
      harness.processElement1(e, 0);
      kept.add(storedUsers());
      assertThat(OperatorMetrics.gauge(harness, "global-users"))
          .isEqualTo((long) kept.get(n).size());
      expected[n] = twoUsers.scale().clamp(bounded.learn(e.userId, e.itemId, e.value, n));
      withoutBound[n] = CONFIG.scale().clamp(unbounded.learn(e.userId, e.itemId, e.value, n));
    }

    assertThat(kept)
        .containsExactly(
            List.of("u1"),
            List.of("u1", "u2"),
            List.of("u2", "u1"),
            List.of("u1", "u3"),
            List.of("u3", "u2"));
    assertThat(OperatorMetrics.gauge(harness, "global-users")).isEqualTo(2L);
    assertThat(OperatorMetrics.gauge(harness, "global-users-evicted")).isEqualTo(2L);
    assertThat(predictions()).extracting(p -> p.prediction).containsExactly(boxed(expected));
    // Only the returning user's prediction differs from an unbounded model's: its row restarted.
    for (int n = 0; n < events.size() - 1; n++) {
      assertThat(expected[n]).isEqualTo(withoutBound[n]);
    }
    assertThat(expected[4]).isNotEqualTo(withoutBound[4]);
  }

  private static Double[] boxed(double[] values) {
    return Arrays.stream(values).boxed().toArray(Double[]::new);
  }
}
