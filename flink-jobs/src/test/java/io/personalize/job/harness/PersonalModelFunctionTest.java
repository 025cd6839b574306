package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.Control;
import io.personalize.job.Descriptors;
import io.personalize.job.PersonalModelFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.model.Mode;
import io.personalize.model.SelectorSnapshot;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.GlobalModel;
import io.personalize.online.Ids;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.online.SharedReplica;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.online.UserViews;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
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
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PersonalModelFunction}: every rating scored by local, mtl and adaptive (exactly as the
 * plain-Java {@link UserModels} on a {@link SharedReplica} scores it) before learning it; a
 * broadcast checkpoint applied only once the watermark has passed its {@code maxEventTimeMillis},
 * whichever channel delivers first; group boundaries applied on arrival; exactly one idle timer per
 * user, which moves while the user is active and clears all of the user's state once idle; each
 * batch of expiries logged as one line; union state restored at any parallelism; clicks not
 * learned.
 */
class PersonalModelFunctionTest {
  private static final long IDLE = 10_000;
  private static final JobConfig CONFIG = Fixtures.config(100, 1_000, 1_000, 5_000, IDLE);
  private static final FeatureSpace SPACE = CONFIG.featureSpace();
  private static final int GROUPS = CONFIG.model().groups();

  private KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> harness;
  private Reference reference;

  /** The plain-Java core the operator wraps, fed the same inputs: the expected predictions. */
  private static final class Reference {
    final SharedReplica replica = new SharedReplica(CONFIG.model(), SPACE, CONFIG.initialMean());
    final UserModels models;
    final Map<String, UserState> users = new HashMap<>();
    io.personalize.model.GroupBoundaries boundaries =
        io.personalize.model.GroupBoundaries.initial(GROUPS);

    Reference(JobConfig config) {
      models =
          new UserModels(
              config.model(),
              SPACE.dimension(),
              config.initialMean(),
              config.get(PersonalizeOptions.SHADOW_MODES)
                  ? EnumSet.of(Mode.LOCAL, Mode.MTL)
                  : EnumSet.noneOf(Mode.class),
              config.shadowShare(),
              item -> Ids.hash(replica.itemId(item)));
    }

    /** Every mode's prediction of the event, clamped, indexed by {@link Mode#ordinal()}. */
    double[] score(ValidEvent e) {
      // What the global model learned comes with the checkpoints, as in the operator.
      if (replica.settings() != null && replica.settings() != models.settings()) {
        models.useSettings(replica.settings());
      }
      UserState state = users.computeIfAbsent(e.userId, id -> models.newUser(id, Ids.hash(id)));
      int group = boundaries.groupOf(state.events);
      int item = replica.item(e.itemId);
      double[] all = new double[Mode.values().length];
      models.step(state, replica.shared(), item, replica.features(item), e.value, group, all);
      for (Mode mode : Mode.values()) {
        all[mode.ordinal()] = CONFIG.scale().clamp(all[mode.ordinal()]);
      }
      return all;
    }

    /** The labels of the modes the operator scores, in report order ({@link Mode#STREAM}). */
    List<String> modes() {
      return Mode.STREAM.stream().filter(models::runs).map(Mode::label).toList();
    }

    void apply(ModelDelta checkpoint) {
      replica.offer(checkpoint);
      replica.advanceTo(Long.MAX_VALUE);
    }
  }

  private static KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> open(
      JobConfig config, OperatorSubtaskState restored) throws Exception {
    if (restored == null) {
      return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
          new PersonalModelFunction(config),
          e -> e.userId,
          Types.STRING,
          Descriptors.CONTROL_CHANNEL);
    }
    var h =
        new KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction>(
            new CoBroadcastWithKeyedOperator<>(
                new PersonalModelFunction(config), List.of(Descriptors.CONTROL_CHANNEL)),
            e -> e.userId,
            Types.STRING,
            1,
            1,
            0);
    h.initializeState(restored);
    h.open();
    return h;
  }

  private void open(JobConfig config) throws Exception {
    harness = open(config, null);
    reference = new Reference(config);
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  /** Sends the event; returns the operator's predictions for it. */
  private List<Prediction> send(ValidEvent e) throws Exception {
    int before = harness.extractOutputValues().size();
    harness.processElement(e, e.eventTimeMillis);
    List<Prediction> all = harness.extractOutputValues();
    return all.subList(before, all.size());
  }

  /** Sends the event and checks every mode's prediction against the plain-Java core's. */
  private List<Prediction> sendAndCompare(ValidEvent e) throws Exception {
    return sendAndCompare(harness, reference, e);
  }

  /** As {@link #sendAndCompare(ValidEvent)}, on any harness and reference. */
  private static List<Prediction> sendAndCompare(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h,
      Reference ref,
      ValidEvent e)
      throws Exception {
    int before = h.extractOutputValues().size();
    h.processElement(e, e.eventTimeMillis);
    List<Prediction> all = h.extractOutputValues();
    List<Prediction> out = all.subList(before, all.size());
    double[] expected = ref.score(e);
    // A shadow mode scores only the users of its share (NaN for the others).
    assertThat(out)
        .extracting(p -> p.mode)
        .containsExactlyElementsOf(
            ref.modes().stream()
                .filter(m -> !Double.isNaN(expected[Mode.parse(m).ordinal()]))
                .toList());
    for (Prediction p : out) {
      assertThat(p.prediction).as(p.mode).isEqualTo(expected[Mode.parse(p.mode).ordinal()]);
      assertThat(p.userId).isEqualTo(e.userId);
      assertThat(p.label).isEqualTo(e.value);
      assertThat(p.eventTimeMillis).isEqualTo(e.eventTimeMillis);
    }
    assertThat(out).extracting(p -> p.checkpointVersion).containsOnly(out.get(0).checkpointVersion);
    return out;
  }

  /** The prediction of {@code mode} among one event's predictions. */
  private static Prediction of(List<Prediction> out, Mode mode) {
    return out.stream().filter(p -> p.mode.equals(mode.label())).findFirst().orElseThrow();
  }

  private void broadcast(Control control) throws Exception {
    harness.processBroadcastElement(control, 0);
  }

  /** Advances event time on both inputs, as the job does: the control channel follows events. */
  private void watermark(long time) throws Exception {
    harness.watermark(time);
  }

  private <T> T keyed(String user, ValueStateDescriptor<T> descriptor) throws Exception {
    return keyed(harness, user, descriptor);
  }

  private static <T> T keyed(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h,
      String user,
      ValueStateDescriptor<T> descriptor)
      throws Exception {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(user);
    return backend
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor)
        .value();
  }

  /** The user's profile as a lookup derives it from the user's state; null without state. */
  private UserProfile profile(String user) throws Exception {
    return profile(harness, user);
  }

  private static UserProfile profile(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h, String user)
      throws Exception {
    UserState state = keyed(h, user, Descriptors.userState());
    return state == null ? null : UserViews.profile(state);
  }

  /** The user's personal model as a lookup derives it from the user's state. */
  private PersonalModelView model(String user) throws Exception {
    return UserViews.model(keyed(user, Descriptors.userState()));
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  /** The users that have a user state in the harness's keyed state. */
  private static Set<String> usersWithState(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h) {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    try (Stream<String> keys =
        backend.getKeys(Descriptors.userState().getName(), VoidNamespace.INSTANCE)) {
      return keys.collect(Collectors.toSet());
    }
  }

  /** A real checkpoint of the global model: version 1, covering events up to {@code maxTime}. */
  private static ModelDelta checkpoint(GlobalModel master, long maxTime) {
    master.learn("g1", "i1", 5, maxTime - 500);
    master.learn("g2", "i1", 5, maxTime);
    master.learn("g2", "i2", 1, maxTime - 100);
    return master.closeCheckpoint(0);
  }

  @Test
  void eventBeforeAnyCheckpointIsScoredByEveryModeAgainstVersionZero() throws Exception {
    open(CONFIG);

    List<Prediction> out = sendAndCompare(rating("u1", "i1", 4, 2_000));

    assertThat(out).extracting(p -> p.mode).containsExactly("local", "mtl", "adaptive");
    assertThat(out).extracting(p -> p.userEvents).containsOnly(1L);
    assertThat(out).extracting(p -> p.group).containsOnly(1);
    assertThat(out).extracting(p -> p.checkpointVersion).containsOnly(0L);
    // Version 0 is the initial model: the mean of the scale plus small random factor products.
    assertThat(of(out, Mode.ADAPTIVE).prediction).isBetween(2.5, 3.5);

    UserProfile profile = profile("u1");
    assertThat(profile.userId).isEqualTo("u1");
    assertThat(profile.events).isEqualTo(1);
    assertThat(profile.group).isEqualTo(1);
    assertThat(profile.boundariesVersion).isZero();
    assertThat(profile.checkpointVersion).isZero();
    assertThat(profile.lastEventTimeMillis).isEqualTo(2_000);
    assertThat(profile.candidate).isEqualTo(reference.models.selector().best(1));

    PersonalModelView view = model("u1");
    assertThat(view.userId).isEqualTo("u1");
    assertThat(view.modelKind).isEqualTo("HYBRID");
    assertThat(view.checkpointVersion).isZero();
    assertThat(view.factors).hasSize(CONFIG.model().factors());
    assertThat(view.featureWeights).hasSize(SPACE.dimension());
    // The chosen block: a personal one, or the global row (the default before evidence).
    UserState expected = reference.users.get("u1");
    assertThat(view.bias).isEqualTo(reference.models.chosenBlock(expected, 1).bias);

    UserState state = keyed("u1", Descriptors.userState());
    assertThat(state.events).isEqualTo(1);
    assertThat(state.recentItems).as("kept by the recommendation operator only").isEmpty();

    List<Prediction> second = sendAndCompare(rating("u1", "i2", 2, 2_500));
    assertThat(second).extracting(p -> p.userEvents).containsOnly(2L);
    assertThat(keyed("u1", Descriptors.userState()).events).isEqualTo(2);
  }

  @Test
  void withoutShadowsOnlyAdaptiveIsScored() throws Exception {
    JobConfig noShadows = Fixtures.config(100, 1_000, 1_000, 5_000, IDLE, false);
    open(noShadows);

    List<Prediction> out = sendAndCompare(rating("u1", "i1", 4, 2_000));

    assertThat(out).extracting(p -> p.mode).containsExactly("adaptive");
  }

  /**
   * With a shadow share, local and mtl score only the users of that share (drawn by the user id's
   * hash), and the other users keep no block for them; adaptive scores everyone.
   */
  @Test
  void theShadowModesScoreOnlyTheUsersOfTheirShare() throws Exception {
    open(Fixtures.withShadowShare(Fixtures.config(100, 1_000, 1_000, 5_000, IDLE, true), 0.5));
    int users = 60;
    int shadowed = 0;
    for (int u = 0; u < users; u++) {
      List<Prediction> out = sendAndCompare(rating("u" + u, "i1", 4, 2_000 + u));
      UserState state = keyed("u" + u, Descriptors.userState());
      boolean scored = out.stream().anyMatch(p -> p.mode.equals("local"));
      assertThat(out.stream().anyMatch(p -> p.mode.equals("mtl"))).isEqualTo(scored);
      assertThat(out).extracting(p -> p.mode).contains("adaptive");
      assertThat(state.localBlock.length > 0).as("u%d keeps a local block", u).isEqualTo(scored);
      assertThat(state.mtlBlock.length > 0).as("u%d keeps an mtl block", u).isEqualTo(scored);
      shadowed += scored ? 1 : 0;
    }
    // A share of 0.5: about 30 of 60 (standard deviation 3.9).
    assertThat(shadowed).isBetween(18, 42);
  }

  @Test
  void checkpointBroadcastBeforeTheEventsAppliesOnlyOnceTheWatermarkPassesIt() throws Exception {
    open(CONFIG);
    ModelDelta v1 = checkpoint(Fixtures.globalModel(CONFIG), 1_000);
    assertThat(v1.version).isEqualTo(1);
    assertThat(v1.maxEventTimeMillis).isEqualTo(1_000);

    broadcast(Control.of(v1));
    watermark(900);
    List<Prediction> early = sendAndCompare(rating("u1", "i1", 4, 2_000));
    assertThat(early).extracting(p -> p.checkpointVersion).containsOnly(0L);

    // The event input alone is not enough: the operator's watermark is the smaller of its inputs'.
    harness.processWatermark(1_500);
    assertThat(send(rating("u2", "i1", 3, 2_100)))
        .extracting(p -> p.checkpointVersion)
        .containsOnly(0L);
    reference.score(rating("u2", "i1", 3, 2_100));
    harness.processBroadcastWatermark(1_500);

    reference.apply(v1);
    List<Prediction> late = sendAndCompare(rating("u1", "i1", 4, 2_200));
    assertThat(late).extracting(p -> p.checkpointVersion).containsOnly(1L);
    assertThat(profile("u1").checkpointVersion).isEqualTo(1);
    assertThat(model("u1").checkpointVersion).isEqualTo(1);
    // The replica learned item i1's parameters, so the prediction moved off the untrained one.
    assertThat(of(late, Mode.ADAPTIVE).prediction)
        .isNotEqualTo(of(early, Mode.ADAPTIVE).prediction);
  }

  @Test
  void checkpointBroadcastAfterTheEventsAppliesOnlyOnceTheWatermarkPassesIt() throws Exception {
    open(CONFIG);
    ModelDelta v1 = checkpoint(Fixtures.globalModel(CONFIG), 1_000);

    assertThat(sendAndCompare(rating("u1", "i1", 4, 2_000)))
        .extracting(p -> p.checkpointVersion)
        .containsOnly(0L);
    broadcast(Control.of(v1));
    assertThat(sendAndCompare(rating("u1", "i2", 2, 2_100)))
        .as("queued: the watermark is still at the start of time")
        .extracting(p -> p.checkpointVersion)
        .containsOnly(0L);

    watermark(1_500);
    reference.apply(v1);

    assertThat(sendAndCompare(rating("u1", "i1", 5, 2_200)))
        .extracting(p -> p.checkpointVersion)
        .containsOnly(1L);
  }

  @Test
  void checkpointsApplyInOrderExactlyWhenTheWatermarkReachesTheirLastEvent() throws Exception {
    open(CONFIG);
    GlobalModel master = Fixtures.globalModel(CONFIG);
    ModelDelta v1 = checkpoint(master, 1_000);
    ModelDelta v2 = checkpoint(master, 3_000);
    assertThat(v2.version).isEqualTo(2);
    assertThat(v2.previousVersion).isEqualTo(1);
    broadcast(Control.of(v1));
    broadcast(Control.of(v2));

    watermark(999);
    assertThat(sendAndCompare(rating("u1", "i1", 4, 4_000)).get(0).checkpointVersion).isZero();
    watermark(1_000);
    reference.apply(v1);
    assertThat(sendAndCompare(rating("u1", "i2", 4, 4_001)).get(0).checkpointVersion).isEqualTo(1);
    watermark(2_999);
    assertThat(sendAndCompare(rating("u2", "i1", 2, 4_002)).get(0).checkpointVersion).isEqualTo(1);
    watermark(3_000);
    reference.apply(v2);
    assertThat(sendAndCompare(rating("u2", "i2", 1, 4_003)).get(0).checkpointVersion).isEqualTo(2);
  }

  @Test
  void groupBoundariesChangeTheGroupReported() throws Exception {
    open(CONFIG);
    for (int n = 0; n < 3; n++) {
      assertThat(sendAndCompare(rating("u1", "i" + n, 4, 1_000 + n)))
          .extracting(p -> p.group)
          .containsOnly(1);
    }
    GroupBoundaries b1 = boundaries(1, Math.log(8));
    broadcast(Control.of(b1));
    reference.boundaries = new io.personalize.model.GroupBoundaries(1, GROUPS, 0, Math.log(8));
    int expected = reference.boundaries.groupOf(3);
    assertThat(expected).isEqualTo(4);

    List<Prediction> out = sendAndCompare(rating("u1", "i3", 4, 1_004));

    assertThat(out).extracting(p -> p.group).containsOnly(4);
    assertThat(out).extracting(p -> p.userEvents).containsOnly(4L);
    UserProfile profile = profile("u1");
    assertThat(profile.group).isEqualTo(4);
    assertThat(profile.boundariesVersion).isEqualTo(1);
    // A new user (no events yet) is still in group 1.
    assertThat(sendAndCompare(rating("u2", "i0", 4, 1_005)))
        .extracting(p -> p.group)
        .containsOnly(1);

    // A stale or repeated version is ignored.
    broadcast(Control.of(boundaries(1, Math.log(2))));
    broadcast(Control.of(boundaries(0, Math.log(1000))));
    assertThat(sendAndCompare(rating("u1", "i4", 4, 1_006)))
        .extracting(p -> p.group)
        .containsOnly(reference.boundaries.groupOf(4));
    assertThat(profile("u1").boundariesVersion).isEqualTo(1);
  }

  private static GroupBoundaries boundaries(long version, double logCountMax) {
    return GroupBoundaries.newBuilder()
        .setVersion(version)
        .setGroups(GROUPS)
        .setLogCountMin(0)
        .setLogCountMax(logCountMax)
        .setUsers(2)
        .setComputedAtMillis(0)
        .build();
  }

  @Test
  void itemMetadataAppliesOnArrival() throws Exception {
    open(CONFIG);
    ItemMetadata comedy =
        ItemMetadata.newBuilder()
            .setItemId("i1")
            .setGenres(List.of("Comedy", "Romance"))
            .setYear(1999)
            .setUpdateTimeMillis(0)
            .build();
    broadcast(Control.of(comedy));
    reference.replica.describeItem(
        "i1", SPACE.describe(List.of("Comedy", "Romance"), 1999, Map.of()));

    sendAndCompare(rating("u1", "i1", 5, 1_000));
    sendAndCompare(rating("u1", "i1", 5, 1_001));
    sendAndCompare(rating("u2", "i1", 1, 1_002));
  }

  @Test
  void idleUserIsForgottenByItsTimerAndStartsFreshAfterwards() throws Exception {
    open(CONFIG);
    sendAndCompare(rating("u1", "i1", 4, 2_000));

    assertThat(keyedStateEntries())
        .as("user-state alone: the profile and the model are derived from it")
        .isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    watermark(2_000 + IDLE - 1);
    assertThat(keyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    // The views state from before 2026-12-05 kept beside the user's state (stored savepoints v1
    // and v2) goes with it.
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey("u1");
    UserProfile retired = new UserProfile();
    retired.userId = "u1";
    backend
        .getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            Descriptors.retiredUserProfile())
        .update(retired);
    backend
        .getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            Descriptors.retiredPersonalModel())
        .update(new PersonalModelView());
    assertThat(keyedStateEntries()).isEqualTo(3);

    try (LogCapture log = LogCapture.of(PersonalModelFunction.class)) {
      assertThat(OperatorMetrics.count(harness, "users-expired")).isZero();
      watermark(2_000 + IDLE);
      assertThat(OperatorMetrics.count(harness, "users-expired")).isEqualTo(1);
      assertThat(keyedStateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();
      assertThat(profile("u1")).isNull();
      assertThat(harness.extractOutputValues()).as("the timer emits nothing").hasSize(3);

      // No event follows: a processing-time timer reports the batch of one.
      assertThat(log.lines()).isEmpty();
      assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
      harness.setProcessingTime(harness.getProcessingTime() + 1_000);
      assertThat(log.lines())
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.level()).isEqualTo(Level.INFO);
                assertThat(line.message())
                    .startsWith("expired 1 user idle for more than 10 s of event time")
                    .contains(Instant.ofEpochMilli(2_000 + IDLE).toString());
              });
      assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    List<Prediction> again = send(rating("u1", "i1", 4, 20_000));
    assertThat(again).extracting(p -> p.userEvents).containsOnly(1L);
    assertThat(profile("u1").events).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }

  @Test
  void theOneTimerMovesToTheLastEventAndClearsOnlyAnIdleUser() throws Exception {
    open(CONFIG);
    send(rating("u1", "i1", 4, 2_000));
    send(rating("u1", "i2", 4, 5_000));
    // late, out-of-order event: the user's last event stays at 5000
    send(rating("u1", "i3", 4, 4_000));
    send(rating("u2", "i1", 4, 3_000));
    assertThat(harness.numEventTimeTimers()).as("u1: 12000, u2: 13000").isEqualTo(2);
    assertThat(keyedStateEntries()).isEqualTo(2);
    assertThat(keyed("u1", Descriptors.userState()).lastEventTimeMillis).isEqualTo(5_000);

    watermark(2_000 + IDLE);
    assertThat(keyedStateEntries()).as("u1 was active after 2000").isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).as("u1's timer moved to 15000").isEqualTo(2);

    watermark(3_000 + IDLE);
    assertThat(keyedStateEntries()).as("u2 forgotten").isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(profile("u1").events).isEqualTo(3);

    watermark(5_000 + IDLE - 1);
    assertThat(keyedStateEntries()).isEqualTo(1);
    watermark(5_000 + IDLE);
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  /**
   * Regression: the operator used to register a timer at every event ({@code last event + idle}),
   * so a user with n events held n timers in RocksDB, each firing only to find the user active. Now
   * each user with state has exactly one timer, which moves forward while the user is active.
   */
  @Test
  void exactlyOneEventTimeTimerPerUserWithState() throws Exception {
    open(CONFIG);
    int users = 5;
    for (int n = 0; n < 20; n++) {
      for (int u = 0; u < users; u++) {
        send(rating("u" + u, "i" + n % 7, 1 + (n + u) % 5, 1_000 + 100L * n + u));
      }
    }
    assertThat(usersWithState(harness)).hasSize(users);
    assertThat(harness.numEventTimeTimers()).as("timers of 5 users, 100 events").isEqualTo(users);
    assertThat(keyedStateEntries()).isEqualTo(users);

    // u0 and u1 go quiet (last events at 2900 and 2901); the others stay active.
    for (int n = 0; n < 20; n++) {
      for (int u = 2; u < users; u++) {
        send(rating("u" + u, "i" + n % 7, 1 + (n + u) % 5, 3_000 + 100L * n + u));
      }
    }
    assertThat(harness.numEventTimeTimers()).isEqualTo(users);

    // Past u0's and u1's deadlines (12900, 12901) and past every user's first timer (11000..):
    // the active users' timers move, the idle ones clear.
    watermark(2_901 + IDLE);
    assertThat(usersWithState(harness)).containsExactlyInAnyOrder("u2", "u3", "u4");
    assertThat(harness.numEventTimeTimers()).as("timers of the 3 users left").isEqualTo(3);
    assertThat(keyedStateEntries()).isEqualTo(3);
    assertThat(keyed("u2", Descriptors.userState()).events).isEqualTo(40);

    watermark(4_903 + IDLE);
    assertThat(usersWithState(harness)).containsExactly("u4");
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(keyedStateEntries()).isEqualTo(1);

    watermark(4_904 + IDLE);
    assertThat(usersWithState(harness)).isEmpty();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isZero();
  }

  /**
   * One event far ahead of the rest makes the watermark jump past every other user's deadline: they
   * all expire at once, reported as one log line for the batch, at WARN from 100 users, saying how
   * late.
   */
  @ParameterizedTest(name = "{0} users -> {1}")
  @CsvSource({"99, INFO", "100, WARN", "150, WARN"})
  void aFarAheadEventExpiresEveryIdleUserAtOnceInOneLogLine(int users, String level)
      throws Exception {
    open(CONFIG);
    for (int u = 0; u < users; u++) {
      send(rating("u" + u, "i" + u % 10, 1 + u % 5, 1_000 + u));
    }
    long far = 1_000 + users + 10 * IDLE;
    send(rating("far", "i1", 4, far));
    assertThat(usersWithState(harness)).hasSize(users + 1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(users + 1);

    try (LogCapture log = LogCapture.of(PersonalModelFunction.class)) {
      watermark(far);

      assertThat(usersWithState(harness)).containsExactly("far");
      assertThat(OperatorMetrics.count(harness, "users-expired")).isEqualTo(users);
      assertThat(keyedStateEntries()).isEqualTo(1);
      assertThat(harness.numEventTimeTimers()).isEqualTo(1);
      // The batch is reported once complete: at the next record.
      assertThat(log.lines()).isEmpty();
      send(rating("far", "i2", 3, far + 1));
      assertThat(log.lines()).hasSize(1);
      // The processing-time timer that would report it had no event come finds nothing left.
      harness.setProcessingTime(harness.getProcessingTime() + 1_000);
      watermark(far + 1);
      send(rating("far", "i3", 3, far + 2));

      assertThat(log.lines())
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.level()).isEqualTo(Level.toLevel(level));
                assertThat(line.message())
                    .startsWith("expired " + users + " users idle for more than 10 s")
                    .contains("as the watermark reached " + Instant.ofEpochMilli(far))
                    .contains(
                        "(their last events "
                            + Instant.ofEpochMilli(1_000)
                            + " .. "
                            + Instant.ofEpochMilli(1_000 + users - 1)
                            + ")");
                // 10 idle times ahead: 9 of them past the most recent user's deadline, plus 1 ms.
                assertThat(line.message().contains("their deadlines 90001 ms late at once"))
                    .isEqualTo(level.equals("WARN"));
              });
    }
  }

  /**
   * A replay of history expires users at each watermark step as event time goes by, each close to
   * its deadline: at INFO however many there are. CiaoDVD's eleven years printed 33 WARN lines.
   */
  @Test
  void manyUsersExpiringAsEventTimeGoesByAreNoWarning() throws Exception {
    open(CONFIG);
    int users = 150;
    for (int u = 0; u < users; u++) {
      send(rating("u" + u, "i" + u % 10, 1 + u % 5, 1_000 + u));
    }
    long later = 1_000 + users + IDLE;
    send(rating("later", "i1", 4, later));
    try (LogCapture log = LogCapture.of(PersonalModelFunction.class)) {
      watermark(later);
      send(rating("later", "i2", 3, later + 1));
      assertThat(OperatorMetrics.count(harness, "users-expired")).isEqualTo(users);
      assertThat(log.lines())
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.level()).isEqualTo(Level.INFO);
                assertThat(line.message()).startsWith("expired 150 users idle for more than 10 s");
              });
    }
  }

  /** One watermark advance after another: each batch is its own line. */
  @Test
  void eachWatermarkAdvanceIsItsOwnBatch() throws Exception {
    open(CONFIG);
    for (int u = 0; u < 3; u++) {
      send(rating("a" + u, "i1", 4, 1_000 + u));
      send(rating("b" + u, "i1", 4, 5_000 + u));
    }
    try (LogCapture log = LogCapture.of(PersonalModelFunction.class)) {
      watermark(1_002 + IDLE);
      watermark(5_001 + IDLE);
      assertThat(log.at(Level.INFO))
          .singleElement(as(STRING))
          .startsWith("expired 3 users idle for more than 10 s");
      harness.setProcessingTime(harness.getProcessingTime() + 1_000);
      assertThat(log.at(Level.INFO))
          .hasSize(2)
          .last(as(STRING))
          .startsWith("expired 2 users idle for more than 10 s");
      assertThat(log.at(Level.WARN)).isEmpty();
    }
    assertThat(usersWithState(harness)).containsExactly("b2");
  }

  @Test
  void clickIsNotLearned() throws Exception {
    open(CONFIG);

    harness.processElement(click("u1", "i1", 2_000), 2_000);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();

    List<Prediction> out = sendAndCompare(rating("u1", "i1", 4, 2_100));
    assertThat(out).extracting(p -> p.userEvents).containsOnly(1L);
  }

  @Test
  void restoreKeepsUsersReplicaAndQueuedCheckpoints() throws Exception {
    open(CONFIG);
    GlobalModel master = Fixtures.globalModel(CONFIG);
    ModelDelta v1 = checkpoint(master, 1_000);
    ModelDelta v2 = checkpoint(master, 3_000);
    broadcast(Control.of(v1));
    broadcast(Control.of(v2));
    watermark(1_500);
    reference.apply(v1);
    sendAndCompare(rating("u1", "i1", 4, 4_000));
    sendAndCompare(rating("u1", "i2", 3, 4_001));
    OperatorSubtaskState state = harness.snapshot(1L, 1L);
    harness.close();

    harness = open(CONFIG, state);
    assertThat(harness.numEventTimeTimers()).as("u1's one timer").isEqualTo(1);
    List<Prediction> restored = sendAndCompare(rating("u1", "i1", 5, 4_002));
    assertThat(restored).extracting(p -> p.userEvents).containsOnly(3L);
    assertThat(restored).extracting(p -> p.checkpointVersion).containsOnly(1L);

    // v2 was still queued at the snapshot: it applies once the watermark passes 3000.
    watermark(3_000);
    reference.apply(v2);
    assertThat(sendAndCompare(rating("u1", "i2", 5, 4_003)))
        .extracting(p -> p.checkpointVersion)
        .containsOnly(2L);
  }

  /**
   * The users counted come with the group boundaries: past {@code sample.max-users} over the shadow
   * share, a user the smaller share no longer draws drops its shadow blocks at its next event, and
   * after a restore new users are drawn at the smaller share (the count is stored with the
   * boundaries).
   */
  @Test
  void theCoordinatorsCountBoundsTheSampleAlsoAfterARestore() throws Exception {
    Configuration conf =
        Fixtures.withShadowShare(Fixtures.config(100, 1_000, 1_000, 5_000, IDLE, true), 0.5)
            .toConfiguration();
    conf.set(PersonalizeOptions.SAMPLE_MAX_USERS, 4L);
    JobConfig bounded = JobConfig.from(conf);
    harness = open(bounded, null);
    int users = 80;
    for (int u = 0; u < users; u++) {
      send(rating("u" + u, "i1", 4, 2_000 + u));
    }
    assertThat(shadowedUsers(0, users)).as("a share of 0.5 of 80").isBetween(26, 54);

    broadcast(
        Control.of(GroupBoundaries.newBuilder(boundaries(1, Math.log(8))).setUsers(users).build()));
    for (int u = 0; u < users; u++) {
      send(rating("u" + u, "i2", 4, 3_000 + u));
    }
    // 4 of 80: a share of 0.05, about 4 users (standard deviation 1.9).
    assertThat(shadowedUsers(0, users)).isBetween(0, 12);

    OperatorSubtaskState state = harness.snapshot(1L, 1L);
    harness.close();
    harness = open(bounded, state);
    for (int u = users; u < 2 * users; u++) {
      send(rating("u" + u, "i1", 4, 4_000 + u));
    }
    assertThat(shadowedUsers(users, 2 * users)).as("new users after the restore").isBetween(0, 12);
  }

  /** How many of users u{from}..u{to - 1} keep shadow blocks. */
  private int shadowedUsers(int from, int to) throws Exception {
    int shadowed = 0;
    for (int u = from; u < to; u++) {
      UserState state = keyed("u" + u, Descriptors.userState());
      assertThat(state.mtlBlock.length > 0).isEqualTo(state.localBlock.length > 0);
      shadowed += state.localBlock.length > 0 ? 1 : 0;
    }
    return shadowed;
  }

  @Test
  void restoreKeepsTheGroupBoundaries() throws Exception {
    open(CONFIG);
    for (int n = 0; n < 3; n++) {
      sendAndCompare(rating("u1", "i" + n, 4, 1_000 + n));
    }
    broadcast(Control.of(boundaries(1, Math.log(8))));
    OperatorSubtaskState state = harness.snapshot(1L, 1L);
    harness.close();

    harness = open(CONFIG, state);
    List<Prediction> out = send(rating("u1", "i3", 4, 1_004));

    assertThat(out).extracting(p -> p.group).containsOnly(4);
    assertThat(profile("u1").boundariesVersion).isEqualTo(1);
  }

  private static final int MAX_PARALLELISM = 4;

  /** Subtask {@code index} of {@code parallelism}, restored from {@code restored} if not null. */
  private static KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> subtask(
      int parallelism, int index, OperatorSubtaskState restored) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction>(
            new CoBroadcastWithKeyedOperator<>(
                new PersonalModelFunction(CONFIG), List.of(Descriptors.CONTROL_CHANNEL)),
            e -> e.userId,
            Types.STRING,
            MAX_PARALLELISM,
            parallelism,
            index);
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  private static int owner(String user, int parallelism) {
    return KeyGroupRangeAssignment.assignKeyToParallelOperator(user, MAX_PARALLELISM, parallelism);
  }

  /** The one entry of the operator's union state {@code descriptor} (after a snapshot). */
  private static <T> T stored(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h,
      ListStateDescriptor<T> descriptor)
      throws Exception {
    List<T> entries = unionEntries(h, descriptor);
    assertThat(entries).as(descriptor.getName()).hasSize(1);
    return entries.get(0);
  }

  /** This subtask's entries of the operator's union state {@code descriptor}. */
  private static <T> List<T> unionEntries(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h,
      ListStateDescriptor<T> descriptor)
      throws Exception {
    List<T> entries = new ArrayList<>();
    h.getOperator()
        .getOperatorStateBackend()
        .getUnionListState(descriptor)
        .get()
        .forEach(entries::add);
    return entries;
  }

  /**
   * State of two subtasks restored into one and into three: each user's keyed state (and its one
   * timer) lands in exactly the subtask that owns its key, and the union state gives every subtask
   * the one replica stored (subtask 0's, version 2; subtask 1, which still had version 2 queued,
   * stores none), the latest group boundaries (subtask 1's, version 2) and the mean of both
   * subtasks' selector sums.
   */
  @ParameterizedTest(name = "2 subtasks restored into {0}")
  @ValueSource(ints = {1, 3})
  void unionStateRestoresIntoAnyParallelism(int parallelism) throws Exception {
    GlobalModel master = Fixtures.globalModel(CONFIG);
    ModelDelta v1 = checkpoint(master, 1_000);
    ModelDelta v2 = checkpoint(master, 3_000);
    GroupBoundaries b1 = boundaries(1, Math.log(4));
    GroupBoundaries b2 = boundaries(2, Math.log(8));
    List<String> users = IntStream.range(0, 12).mapToObj(u -> "u" + u).toList();
    Map<String, Long> events = new HashMap<>();
    List<OperatorSubtaskState> snapshots = new ArrayList<>();
    List<SelectorSnapshot> selectors = new ArrayList<>();

    for (int index = 0; index < 2; index++) {
      try (var h = subtask(2, index, null)) {
        h.processBroadcastElement(Control.of(v1), 0);
        h.processBroadcastElement(Control.of(v2), 0);
        h.processBroadcastElement(Control.of(b1), 0);
        if (index == 1) {
          h.processBroadcastElement(Control.of(b2), 0);
        }
        // Subtask 0's watermark has passed both checkpoints, subtask 1's only the first.
        h.watermark(index == 0 ? 3_000 : 1_500);
        int sent = 0;
        for (int u = 0; u < users.size(); u++) {
          String user = users.get(u);
          if (owner(user, 2) != index) {
            continue;
          }
          for (int n = 0; n <= u % 3; n++) {
            h.processElement(
                rating(user, "i" + (u + n) % 4, 1 + (u + n) % 5, 4_000 + 10 * u + n), 0);
            events.merge(user, 1L, Long::sum);
            sent++;
          }
        }
        assertThat(sent).as("events of subtask %d", index).isPositive();
        assertThat(h.extractOutputValues())
            .extracting(p -> p.checkpointVersion)
            .containsOnly(index == 0 ? 2L : 1L);
        snapshots.add(h.snapshot(1L, 1L));
        selectors.add(stored(h, Descriptors.selector()));
        assertThat(unionEntries(h, Descriptors.replica()))
            .as("the replica is kept by subtask 0 only")
            .hasSize(index == 0 ? 1 : 0);
      }
    }
    assertThat(selectors.get(0).lossSums).isNotEqualTo(selectors.get(1).lossSums);
    OperatorSubtaskState packaged =
        AbstractStreamOperatorTestHarness.repackageState(
            snapshots.toArray(new OperatorSubtaskState[0]));

    Map<String, Integer> restoredIn = new HashMap<>();
    for (int index = 0; index < parallelism; index++) {
      OperatorSubtaskState part =
          AbstractStreamOperatorTestHarness.repartitionOperatorState(
              packaged, MAX_PARALLELISM, 2, parallelism, index);
      try (var h = subtask(parallelism, index, part)) {
        Set<String> kept = usersWithState(h);
        for (String user : kept) {
          assertThat(restoredIn.put(user, index)).as("%s in one subtask only", user).isNull();
          assertThat(owner(user, parallelism)).as("%s's owner", user).isEqualTo(index);
          assertThat(keyed(h, user, Descriptors.userState()).events).isEqualTo(events.get(user));
          assertThat(profile(h, user).events).isEqualTo(events.get(user));
        }
        assertThat(h.numEventTimeTimers()).as("one timer per user").isEqualTo(kept.size());

        // The selector starts from the mean of both subtasks' sums.
        h.snapshot(2L, 2L);
        SelectorSnapshot selector = stored(h, Descriptors.selector());
        SelectorSnapshot s0 = selectors.get(0);
        SelectorSnapshot s1 = selectors.get(1);
        assertThat(selector.lossSums).hasSameSizeAs(s0.lossSums);
        for (int i = 0; i < s0.lossSums.length; i++) {
          assertThat(selector.lossSums[i]).isEqualTo((s0.lossSums[i] + s1.lossSums[i]) / 2);
        }
        for (int g = 0; g < s0.events.length; g++) {
          assertThat(selector.events[g]).isEqualTo((s0.events[g] + s1.events[g]) / 2);
        }
        // One copy of the replica per checkpoint, subtask 0's; the others still score with it.
        if (index == 0) {
          assertThat(stored(h, Descriptors.replica()).version).isEqualTo(2);
          assertThat(stored(h, Descriptors.replica()).pending).isEmpty();
        } else {
          assertThat(unionEntries(h, Descriptors.replica())).isEmpty();
        }
        assertThat(stored(h, Descriptors.groupBoundaries()).getVersion()).isEqualTo(2);

        // A new user here is scored exactly as the core scores it with replica version 2,
        // boundaries version 2 and the mean selector.
        Reference ref = new Reference(CONFIG);
        ref.apply(v1);
        ref.apply(v2);
        ref.boundaries = CoreRecords.fromAvro(b2);
        ref.models.selector().restoreMean(selectors);
        int self = index;
        String fresh =
            IntStream.range(0, 100)
                .mapToObj(n -> "new" + n)
                .filter(user -> owner(user, parallelism) == self)
                .findFirst()
                .orElseThrow();
        List<Prediction> out = sendAndCompare(h, ref, rating(fresh, "i1", 5, 5_000));
        assertThat(out).extracting(p -> p.checkpointVersion).containsOnly(2L);
        assertThat(profile(h, fresh).boundariesVersion).isEqualTo(2);

        // A restored user continues, grouped under the latest boundaries.
        for (String user : kept) {
          long count = events.get(user);
          List<Prediction> next = send(h, rating(user, "i2", 4, 6_000));
          assertThat(next).extracting(p -> p.userEvents).containsOnly(count + 1);
          assertThat(next).extracting(p -> p.group).containsOnly(ref.boundaries.groupOf(count));
          assertThat(next).extracting(p -> p.checkpointVersion).containsOnly(2L);
        }
      }
    }
    assertThat(restoredIn.keySet()).containsExactlyInAnyOrderElementsOf(users);
  }

  private static List<Prediction> send(
      KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> h, ValidEvent e)
      throws Exception {
    int before = h.extractOutputValues().size();
    h.processElement(e, e.eventTimeMillis);
    List<Prediction> all = h.extractOutputValues();
    return all.subList(before, all.size());
  }
}
