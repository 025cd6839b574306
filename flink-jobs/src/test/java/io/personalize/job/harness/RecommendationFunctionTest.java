package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.avro.CoreRecords;
import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.GraphDelta;
import io.personalize.graph.ItemEdges;
import io.personalize.job.Control;
import io.personalize.job.Descriptors;
import io.personalize.job.RecommendationFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.online.UserState;
import io.personalize.recommend.SeenItems;
import io.personalize.state.RecommendationView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RecommendationFunction} on a graph and a ranking model given by hand through the broadcast
 * channel: a -> b and a -> c (weight 1 each), the "no item yet" node -> x and y; the ranking
 * checkpoint gives c item bias 2 and b 1 (item factors 0, so they decide the order of b and c) and
 * popularity x 5 events, y 3. Both apply once the watermark passes their latest event (500).
 *
 * <p>Publishing: a user's lists go out at most once per {@code recommend.publish-interval} of
 * processing time (the harness's clock, set by hand), the newest waiting list at the end of the
 * interval; subtask 0 also publishes the global fallback list (user "").
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
    feedGraphAndModel();
  }

  /**
   * Replaces the harness with subtask {@code index} of {@code parallelism} under {@code config}.
   */
  private void reopen(JobConfig config, int parallelism, int index) throws Exception {
    reopen(config, parallelism, index, null);
    feedGraphAndModel();
  }

  /**
   * Replaces the harness with subtask {@code index} of {@code parallelism} under {@code config},
   * from {@code restored} state when not null, and nothing broadcast to it yet.
   */
  private void reopen(JobConfig config, int parallelism, int index, OperatorSubtaskState restored)
      throws Exception {
    harness.close();
    harness =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new RecommendationFunction(config), List.of(Descriptors.CONTROL_CHANNEL)),
            e -> e.userId,
            Types.STRING,
            128,
            parallelism,
            index);
    if (restored != null) {
      harness.initializeState(restored);
    }
    harness.open();
  }

  private void feedGraphAndModel() throws Exception {
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

  private <T> void put(String user, ValueStateDescriptor<T> descriptor, T value) throws Exception {
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(user);
    backend
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor)
        .update(value);
  }

  private <T> T keyed(String user, ValueStateDescriptor<T> descriptor) throws Exception {
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(user);
    return backend
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor)
        .value();
  }

  /** The users' lists published so far (the fallback lists left out). */
  private List<RecommendationView> published() {
    return allPublished().stream().filter(v -> !v.fallback).toList();
  }

  private List<RecommendationView> fallbacks() {
    return allPublished().stream().filter(v -> v.fallback).toList();
  }

  private List<RecommendationView> allPublished() {
    var records = harness.getSideOutput(Descriptors.RECOMMENDATIONS);
    return records == null ? List.of() : records.stream().map(r -> r.getValue()).toList();
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
  void deltasTheWatermarkHasPassedApplyOnArrivalWithoutWaitingForAnEvent() throws Exception {
    // The harness's watermark is at 600: the setup's deltas (events up to 500) waited for it.
    assertThat(OperatorMetrics.gauge(harness, "graph-replica-pending")).isEqualTo(1L);
    assertThat(OperatorMetrics.gauge(harness, "ranking-replica-pending")).isEqualTo(1L);
    GraphDelta second = graph();
    second.version = 2;
    second.previousVersion = 1;
    harness.processBroadcastElement(Control.of(second), 700);
    assertThat(OperatorMetrics.gauge(harness, "graph-replica-pending"))
        .as("no event came, yet all three are applied: nothing piles up")
        .isEqualTo(0L);
    assertThat(OperatorMetrics.gauge(harness, "ranking-replica-pending")).isEqualTo(0L);
    assertThat(OperatorMetrics.gauge(harness, "graph-replica-version")).isEqualTo(2L);
    GraphDelta ahead = graph();
    ahead.version = 3;
    ahead.previousVersion = 2;
    ahead.maxEventTimeMillis = 5_000;
    harness.processBroadcastElement(Control.of(ahead), 800);
    assertThat(OperatorMetrics.gauge(harness, "graph-replica-pending"))
        .as("a delta ahead of the watermark still waits")
        .isEqualTo(1L);
  }

  @Test
  void theNextEventIsCheckedAgainstTheCurrentListBeforeItIsLearned() throws Exception {
    // Every due list made at once, as the evaluator makes them.
    reopen(CONFIG.with(RecommendationOptions.PUBLISH_INTERVAL, Duration.ZERO), 1, 0);
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
  void seenItemsKeptApartBeforeMoveIntoTheRankingStateAtTheUsersNextEvent() throws Exception {
    reopen(CONFIG.with(RecommendationOptions.PUBLISH_INTERVAL, Duration.ZERO), 1, 0);
    harness.processElement(click("u1", "a", 1_000), 1_000);
    assertThat(list("u1").itemIds).containsExactly("c", "b", "x", "y");
    // As state written before 2026-12-05 holds it: the ranking state without its seen items,
    // which are a state of their own, as ids.
    UserState old = keyed("u1", Descriptors.rankingUserState());
    old.seen = null;
    SeenItems apart = new SeenItems();
    apart.items = new String[] {"a", "c"};
    put("u1", Descriptors.rankingUserState(), old);
    put("u1", Descriptors.retiredSeenItems(), apart);
    assertThat(stateEntries()).isEqualTo(3);

    harness.processElement(click("u1", "b", 2_000), 2_000);

    assertThat(list("u1").itemIds).as("a, c (kept apart) and b seen").containsExactly("x", "y");
    assertThat(keyed("u1", Descriptors.retiredSeenItems())).isNull();
    assertThat(keyed("u1", Descriptors.rankingUserState()).seen.hashes)
        .containsExactly(SeenItems.hash("a"), SeenItems.hash("c"), SeenItems.hash("b"));
    assertThat(stateEntries()).as("ranking-user-state, recommendations").isEqualTo(2);
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
    harness.setProcessingTime(10_000);
    harness.processElement(click("u1", "a", 1_000), 1_000);
    assertThat(stateEntries()).as("ranking-user-state, recommendations").isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.processElement(click("u1", "b", 5_000), 5_000);
    assertThat(harness.numEventTimeTimers()).as("still one timer").isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).as("the second list waits").isEqualTo(1);
    // The time of the last list published, kept apart before 2026-12-05 (stored savepoints v1 and
    // v2), goes with the user.
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey("u1");
    backend
        .getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            Descriptors.retiredLastPublished())
        .update(10_000L);
    harness.watermark(1_000 + IDLE);
    assertThat(stateEntries()).as("the timer moved to the later event").isEqualTo(3);
    harness.watermark(5_000 + IDLE);
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).as("the waiting list's timer went too").isZero();
    assertThat(list("u1")).isNull();
    harness.setProcessingTime(20_000);
    assertThat(published()).as("the expired user's waiting list never goes out").hasSize(1);
  }

  @Test
  void aUsersListsGoOutAtMostOncePerPublishIntervalTheNewestWaiting() throws Exception {
    reopen(CONFIG.with(RecommendationOptions.PUBLISH_INTERVAL, Duration.ofSeconds(1)), 1, 0);
    harness.setProcessingTime(10_000);
    harness.processElement(click("u1", "a", 1_000), 1_000);
    assertThat(published()).as("the user's first list goes out at once").hasSize(1);
    assertThat(published().get(0).eventTimeMillis).isEqualTo(1_000);
    assertThat(harness.numProcessingTimeTimers()).isZero();

    harness.setProcessingTime(10_100);
    harness.processElement(click("u1", "b", 2_000), 2_000);
    harness.setProcessingTime(10_200);
    harness.processElement(click("u1", "z", 3_000), 3_000);
    assertThat(list("u1").eventTimeMillis)
        .as("within the interval no list is made: queryable state keeps the published one")
        .isEqualTo(1_000);
    assertThat(published()).as("within the interval: nothing more").hasSize(1);
    assertThat(harness.numProcessingTimeTimers()).as("one timer for the list due").isEqualTo(1);

    harness.setProcessingTime(10_999);
    assertThat(published()).hasSize(1);
    harness.setProcessingTime(11_000);
    assertThat(published()).as("the end of the interval: the newest list").hasSize(2);
    RecommendationView second = published().get(1);
    assertThat(second.eventTimeMillis).as("made from the user's state then").isEqualTo(3_000);
    assertThat(second.userEvents).isEqualTo(3);
    assertThat(second).isEqualTo(list("u1"));
    // a, b and z are the user's: c is what the walks from a still reach.
    assertThat(second.itemIds).containsExactly("c", "x", "y");
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(OperatorMetrics.count(harness, "lists-computed"))
        .as("one list per publish interval, not one per event")
        .isEqualTo(2);
    assertThat(OperatorMetrics.count(harness, "lists-published")).isEqualTo(2);

    harness.setProcessingTime(15_000);
    assertThat(published()).as("nothing waits: nothing more").hasSize(2);
    harness.processElement(click("u1", "c", 4_000), 4_000);
    assertThat(published()).as("the interval has passed: at once").hasSize(3);
    assertThat(published().get(2).eventTimeMillis).isEqualTo(4_000);
  }

  @Test
  void processingTimeTimersAreOnePerUserWithAWaitingList() throws Exception {
    reopen(CONFIG.with(RecommendationOptions.PUBLISH_INTERVAL, Duration.ofSeconds(1)), 1, 0);
    harness.setProcessingTime(10_000);
    for (String user : List.of("u1", "u2", "u3")) {
      harness.processElement(click(user, "a", 1_000), 1_000);
    }
    assertThat(harness.numProcessingTimeTimers()).as("every first list went out").isZero();
    harness.setProcessingTime(10_100);
    for (int n = 0; n < 5; n++) {
      harness.processElement(click("u1", "item" + n, 2_000 + n), 2_000 + n);
      harness.processElement(click("u3", "item" + n, 2_000 + n), 2_000 + n);
    }
    assertThat(harness.numProcessingTimeTimers())
        .as("u1 and u3 have a list due, after five events each; u2 does not")
        .isEqualTo(2);
    harness.setProcessingTime(11_000);
    assertThat(published()).hasSize(5);
    assertThat(published().subList(3, 5))
        .extracting(v -> v.userId + "@" + v.eventTimeMillis)
        .containsExactlyInAnyOrder("u1@2004", "u3@2004");
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void aZeroPublishIntervalPublishesEveryListAsComputed() throws Exception {
    reopen(CONFIG.with(RecommendationOptions.PUBLISH_INTERVAL, Duration.ZERO), 1, 0);
    harness.setProcessingTime(10_000);
    harness.processElement(click("u1", "a", 1_000), 1_000);
    harness.processElement(click("u1", "b", 2_000), 2_000);
    harness.processElement(click("u1", "z", 3_000), 3_000);
    assertThat(published())
        .extracting(v -> v.eventTimeMillis)
        .containsExactly(1_000L, 2_000L, 3_000L);
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(stateEntries()).as("no last-published state").isEqualTo(2);
  }

  @Test
  void subtaskZeroPublishesTheFallbackListOfNewUsersItemsAndPopularity() throws Exception {
    harness.setProcessingTime(10_000);
    harness.processElement(click("u1", "a", 1_000), 1_000);
    assertThat(fallbacks()).as("published as soon as the replicas have versions").hasSize(1);
    RecommendationView fallback = fallbacks().get(0);
    assertThat(fallback.userId).isEqualTo(RecommendationFunction.FALLBACK_USER).isEmpty();
    assertThat(fallback.fallback).isTrue();
    assertThat(fallback.recommender).isEqualTo("fallback");
    // What the "no item yet" node leads to, not u1's walks from a (b, c).
    assertThat(fallback.itemIds).containsExactly("x", "y");
    assertThat(fallback.sources).containsExactly("new-users", "new-users");
    assertThat(fallback.modelVersion).isEqualTo(1);
    assertThat(fallback.graphVersion).isEqualTo(1);
    assertThat(fallback.eventTimeMillis).isZero();
    assertThat(fallback.userEvents).isZero();
    assertThat(CoreRecords.toAvro(fallback).getUserId()).as("the Kafka key").isEmpty();
    assertThat(CoreRecords.toAvro(fallback).getFallback()).isTrue();

    // u1 sees x and p; a new ranking checkpoint makes p popular (and x more so).
    harness.processElement(click("u1", "x", 1_100), 1_100);
    harness.processBroadcastElement(Control.of(popularityCheckpoint()), 1_500);
    harness.watermark(2_000);
    harness.setProcessingTime(10_100);
    harness.processElement(click("u1", "p", 2_100), 2_100);
    assertThat(fallbacks()).as("the version changed, but within the publish interval").hasSize(1);
    harness.setProcessingTime(10_500);
    harness.processElement(click("u2", "a", 2_200), 2_200);
    assertThat(fallbacks()).hasSize(2);
    RecommendationView next = fallbacks().get(1);
    assertThat(next.modelVersion).isEqualTo(2);
    assertThat(next.itemIds).as("nothing left out for what u1 saw").containsExactly("x", "y", "p");
    assertThat(next.sources).containsExactly("new-users", "new-users", "popularity");
    harness.setProcessingTime(20_000);
    harness.processElement(click("u2", "b", 2_300), 2_300);
    assertThat(fallbacks()).as("no version changed").hasSize(2);
  }

  @Test
  void otherSubtasksPublishNoFallback() throws Exception {
    reopen(CONFIG, 2, 1);
    String user = userOfSubtask(1, 2);
    harness.setProcessingTime(10_000);
    harness.processElement(click(user, "a", 1_000), 1_000);
    assertThat(published()).hasSize(1);
    assertThat(fallbacks()).isEmpty();
  }

  /**
   * Two subtasks, each with the same replicas: only subtask 0 stores them, and a restore into one
   * subtask or into three gives each the replicas (the graph's walks, the model's ranking and the
   * popularity fill) without a broadcast since.
   */
  @ParameterizedTest(name = "2 subtasks restored into {0}")
  @ValueSource(ints = {1, 3})
  void onlySubtaskZeroStoresTheReplicasAndARestoreGivesThemToEverySubtask(int parallelism)
      throws Exception {
    List<OperatorSubtaskState> snapshots = new ArrayList<>();
    for (int index = 0; index < 2; index++) {
      reopen(CONFIG, 2, index);
      snapshots.add(harness.snapshot(1L, 1L));
      var store = harness.getOperator().getOperatorStateBackend();
      assertThat(store.getUnionListState(Descriptors.rankingReplica()).get())
          .as("ranking replica of subtask %d", index)
          .hasSize(index == 0 ? 1 : 0);
      assertThat(store.getUnionListState(Descriptors.graphReplica()).get())
          .as("graph replica of subtask %d", index)
          .hasSize(index == 0 ? 1 : 0);
      assertThat(store.getUnionListState(Descriptors.popularity()).get())
          .as("popularity of subtask %d", index)
          .hasSize(index == 0 ? 1 : 0);
    }
    OperatorSubtaskState packaged =
        AbstractStreamOperatorTestHarness.repackageState(
            snapshots.toArray(new OperatorSubtaskState[0]));

    for (int index = 0; index < parallelism; index++) {
      reopen(
          CONFIG,
          parallelism,
          index,
          AbstractStreamOperatorTestHarness.repartitionOperatorState(
              packaged, 128, 2, parallelism, index));
      harness.watermark(600); // the stored deltas (events up to 500) wait for it, as before
      String user = userOfSubtask(index, parallelism);
      harness.processElement(click(user, "a", 1_000), 1_000);
      RecommendationView view = list(user);
      assertThat(view.itemIds)
          .as("subtask %d of %d", index, parallelism)
          .containsExactly("c", "b", "x", "y");
      assertThat(view.modelVersion).isEqualTo(1);
      assertThat(view.graphVersion).isEqualTo(1);
    }
  }

  private static String userOfSubtask(int index, int parallelism) {
    for (int n = 0; ; n++) {
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator("u" + n, 128, parallelism) == index) {
        return "u" + n;
      }
    }
  }

  /** Ranking checkpoint 2 (after 1): p is clicked once and x 4 more times, at 1,500. */
  private static ModelDelta popularityCheckpoint() {
    ModelDelta delta = rankingCheckpoint();
    delta.version = 2;
    delta.previousVersion = 1;
    delta.maxEventTimeMillis = 1_500;
    delta.itemIds = new String[] {"x", "p"};
    delta.itemBiasDeltas = new double[2];
    delta.itemFactorDeltas = new float[2 * CONFIG.rankingModel().factors()];
    delta.itemCountDeltas = new long[] {4, 1};
    return delta;
  }

  private int stateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }
}
