package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.GraphDelta;
import io.personalize.graph.ItemEdges;
import io.personalize.job.Control;
import io.personalize.job.Descriptors;
import io.personalize.job.RecommendationFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.state.RecommendationView;
import java.util.List;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RecommendationFunction} on a graph and a ranking model given by hand through the broadcast
 * channel: a -> b and a -> c (weight 1 each), the "no item yet" node -> x and y; the ranking
 * checkpoint gives c item bias 2 and b 1 (item factors 0, so they decide the order of b and c) and
 * popularity x 5 events, y 3. Both apply once the watermark passes their latest event (500).
 */
class RecommendationFunctionTest {
  private static final long IDLE = 10_000;
  private static final JobConfig CONFIG = Fixtures.config(100, 1_000, 1_000, 5_000, IDLE);

  private KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new RecommendationFunction(CONFIG),
            e -> e.userId,
            Types.STRING,
            Descriptors.CONTROL_CHANNEL);
    harness.processBroadcastElement(Control.of(graph()), 0);
    harness.processBroadcastElement(Control.of(rankingCheckpoint()), 0);
    harness.watermark(600);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static GraphDelta graph() {
    GraphDelta delta = new GraphDelta();
    delta.version = 1;
    delta.previousVersion = 0;
    delta.maxEventTimeMillis = 500;
    delta.items = new String[] {CoInteractionGraph.NO_ITEM, "a"};
    delta.edges = new ItemEdges[] {edges(500, "x", "y"), edges(500, "b", "c")};
    return delta;
  }

  private static ItemEdges edges(long time, String... neighbors) {
    ItemEdges edges = new ItemEdges();
    for (String neighbor : neighbors) {
      edges.add(neighbor, 1, time, CONFIG.graphSettings());
    }
    return edges;
  }

  private static ModelDelta rankingCheckpoint() {
    int k = CONFIG.rankingModel().factors();
    ModelDelta delta = new ModelDelta();
    delta.modelKind = CONFIG.rankingModel().kind().name();
    delta.objective = ModelDelta.RANKING;
    delta.version = 1;
    delta.previousVersion = 0;
    delta.maxEventTimeMillis = 500;
    delta.factors = k;
    delta.featureDimension = CONFIG.featureSpace().dimension();
    delta.itemIds = new String[] {"b", "c", "x", "y"};
    delta.itemBiasDeltas = new double[] {1, 2, 0, 0};
    delta.itemFactorDeltas = new float[4 * k];
    delta.itemCountDeltas = new long[] {0, 0, 5, 3};
    return delta;
  }

  private RecommendationView list(String user) throws Exception {
    return keyed(user, Descriptors.recommendations());
  }

  private <T> T keyed(String user, ValueStateDescriptor<T> descriptor) throws Exception {
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(user);
    return backend
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor)
        .value();
  }

  private List<RecommendationView> published() {
    return harness.getSideOutput(Descriptors.RECOMMENDATIONS).stream()
        .map(record -> record.getValue())
        .toList();
  }

  @Test
  void aListIsWalkCandidatesRankedByTheModelThenPopularity() throws Exception {
    harness.processElement(click("u1", "a", 1_000), 1_000);
    RecommendationView view = list("u1");
    // The walks from a reach b and c; the model ranks c (bias 2) before b (bias 1); popularity
    // fills x (5) and y (3). a is the user's own: left out.
    assertThat(view.itemIds).containsExactly("c", "b", "x", "y");
    assertThat(view.sources).containsExactly("walks", "walks", "popularity", "popularity");
    assertThat(view.recommender).isEqualTo("walks+rank+mmr");
    assertThat(view.modelVersion).isEqualTo(1);
    assertThat(view.graphVersion).isEqualTo(1);
    assertThat(view.eventTimeMillis).isEqualTo(1_000);
    assertThat(published()).containsExactly(view);
    assertThat(harness.extractOutputValues()).as("no list to check at a first event").isEmpty();
  }

  @Test
  void theNextEventIsCheckedAgainstTheCurrentListBeforeItIsLearned() throws Exception {
    harness.processElement(click("u1", "a", 1_000), 1_000);
    harness.processElement(click("u1", "b", 2_000), 2_000);
    Prediction check = harness.extractOutputValues().get(0);
    assertThat(check.mode).isEqualTo("walks+rank+mmr");
    assertThat(check.k).isEqualTo(10);
    assertThat(check.rank).as("b was second in the list").isEqualTo(2);
    assertThat(check.userEvents).isEqualTo(2);
    // The new list leaves out a and b; b has no out-edges, so the walks start from a again.
    assertThat(list("u1").itemIds).containsExactly("c", "x", "y");
    harness.processElement(click("u1", "z", 3_000), 3_000);
    assertThat(harness.extractOutputValues().get(1).rank).as("z was not in the list").isZero();
  }

  @Test
  void aNewUsersFirstItemOutsideTheGraphGetsWhatNewUsersTouchFirst() throws Exception {
    harness.processElement(click("u2", "z", 1_000), 1_000);
    RecommendationView view = list("u2");
    assertThat(view.itemIds).containsExactly("x", "y");
    assertThat(view.sources).containsExactly("new-users", "new-users");
  }

  @Test
  void anIdleUserLeavesNoStateAndNoTimer() throws Exception {
    harness.processElement(click("u1", "a", 1_000), 1_000);
    assertThat(stateEntries()).as("ranking-user-state, seen-items, recommendations").isEqualTo(3);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.processElement(click("u1", "b", 5_000), 5_000);
    assertThat(harness.numEventTimeTimers()).as("still one timer").isEqualTo(1);
    harness.watermark(1_000 + IDLE);
    assertThat(stateEntries()).as("the timer moved to the later event").isEqualTo(3);
    harness.watermark(5_000 + IDLE);
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(list("u1")).isNull();
  }

  private int stateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }
}
