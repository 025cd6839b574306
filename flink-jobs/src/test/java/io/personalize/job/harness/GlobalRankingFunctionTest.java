package io.personalize.job.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.ItemMetadata;
import io.personalize.job.GlobalRankingFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.online.GlobalModel;
import io.personalize.online.ModelDelta;
import io.personalize.rank.RankingSteps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global ranking operator against its own core: the same events and negatives learned directly
 * by a {@link GlobalModel} give the same checkpoints, one every {@code EVERY_EVENTS} learned events
 * or {@code EVERY_MILLIS} of processing time, all of objective RANKING; events of a kind with
 * signal weight 0 are not learned; a restore continues the version sequence and the model exactly.
 */
class GlobalRankingFunctionTest {
  private static final int EVERY_EVENTS = 4;
  private static final long EVERY_MILLIS = 1_000;
  private static final JobConfig CONFIG =
      Fixtures.config(EVERY_EVENTS, EVERY_MILLIS, 1_000, 5_000, 365L * 86_400_000L)
          .with(RecommendationOptions.RANKING_SIGNAL_WEIGHTS, "RATING=1,CLICK=1,VIEW=0,PURCHASE=2");

  private KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, ModelDelta>
      harness;

  private static KeyedTwoInputStreamOperatorTestHarness<
          Integer, ValidEvent, ItemMetadata, ModelDelta>
      open(OperatorSubtaskState restored) throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, ModelDelta>(
            new KeyedCoProcessOperator<>(new GlobalRankingFunction(CONFIG)),
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

  private static ValidEvent event(int n, String kind) {
    ValidEvent e = new ValidEvent("u" + (n % 3), "i" + (n % 5), kind, 1, 1_000L * n);
    e.negatives = new String[] {"i" + ((n + 1) % 5), "i" + ((n + 2) % 5)};
    return e;
  }

  /** The same event learned by the core directly, as the operator must. */
  private static void learn(GlobalModel model, RankingSteps steps, ValidEvent e) {
    int[] negatives = new int[e.negatives.length];
    for (int n = 0; n < negatives.length; n++) {
      negatives[n] = model.item(e.negatives[n]);
    }
    if (steps.use(model.item(e.itemId), e.kind(), negatives, negatives.length) > 0) {
      model.learnExamples(e.userId, steps, e.eventTimeMillis);
    }
  }

  private static GlobalModel reference() {
    return new GlobalModel(
        CONFIG.rankingModel(), CONFIG.featureSpace(), 0, CONFIG.get(PersonalizeOptions.MAX_USERS));
  }

  private static RankingSteps steps() {
    return new RankingSteps(
        CONFIG.signalWeights(), CONFIG.get(RecommendationOptions.RANKING_NEGATIVES), null);
  }

  @Test
  void checkpointsEveryFewLearnedEventsAreTheCoresOwnAndRankingOnes() throws Exception {
    harness = open(null);
    GlobalModel model = reference();
    RankingSteps steps = steps();
    for (int n = 1; n <= 8; n++) {
      ValidEvent e = event(n, n % 2 == 0 ? "VIEW" : "CLICK");
      harness.processElement1(e, e.eventTimeMillis);
      learn(model, steps, e);
    }
    // Only the 4 clicks were learned: one checkpoint, equal to the core's.
    List<ModelDelta> out = harness.extractOutputValues();
    assertThat(out).hasSize(1);
    ModelDelta expected = model.closeCheckpoint(0);
    ModelDelta actual = out.get(0);
    assertThat(actual.objective).isEqualTo(ModelDelta.RANKING);
    assertThat(actual.version).isEqualTo(1);
    assertThat(actual.itemIds).containsExactly(expected.itemIds);
    assertThat(actual.itemBiasDeltas).containsExactly(expected.itemBiasDeltas);
    assertThat(actual.itemFactorDeltas).containsExactly(expected.itemFactorDeltas);
    assertThat(actual.itemCountDeltas).containsExactly(expected.itemCountDeltas);
    assertThat(actual.maxEventTimeMillis).isEqualTo(7_000);

    // One more click, then the timer closes a checkpoint of it alone.
    ValidEvent e = event(9, "CLICK");
    harness.processElement1(e, e.eventTimeMillis);
    assertThat(harness.extractOutputValues()).hasSize(1);
    harness.setProcessingTime(EVERY_MILLIS);
    assertThat(harness.extractOutputValues()).hasSize(2);
    assertThat(harness.extractOutputValues().get(1).version).isEqualTo(2);
    assertThat(harness.extractOutputValues().get(1).maxEventTimeMillis).isEqualTo(9_000);
  }

  @Test
  void aRestoreContinuesTheModelAndTheVersions() throws Exception {
    harness = open(null);
    GlobalModel model = reference();
    RankingSteps steps = steps();
    for (int n = 1; n <= 6; n++) {
      ValidEvent e = event(n, "CLICK");
      harness.processElement1(e, e.eventTimeMillis);
      learn(model, steps, e);
      if (n == EVERY_EVENTS) {
        model.closeCheckpoint(0); // as the operator did
      }
    }
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = open(snapshot);
    for (int n = 7; n <= 8; n++) {
      ValidEvent e = event(n, "CLICK");
      harness.processElement1(e, e.eventTimeMillis);
      learn(model, steps, e);
    }
    // Events 5..8 since the first checkpoint, two of them before the restore.
    List<ModelDelta> out = harness.extractOutputValues();
    assertThat(out).hasSize(1);
    ModelDelta expected = model.closeCheckpoint(0);
    assertThat(out.get(0).version).isEqualTo(2);
    assertThat(out.get(0).previousVersion).isEqualTo(1);
    // A restored model lists the touched items in another order: compare item by item.
    assertThat(byItem(out.get(0))).isEqualTo(byItem(expected));
  }

  /** Each item's bias delta followed by its factor deltas. */
  private static Map<String, List<Double>> byItem(ModelDelta delta) {
    int k = delta.itemFactorDeltas.length / delta.itemIds.length;
    Map<String, List<Double>> items = new HashMap<>();
    for (int i = 0; i < delta.itemIds.length; i++) {
      List<Double> values = new ArrayList<>();
      values.add(delta.itemBiasDeltas[i]);
      for (int f = 0; f < k; f++) {
        values.add((double) delta.itemFactorDeltas[i * k + f]);
      }
      items.put(delta.itemIds[i], values);
    }
    return items;
  }
}
