package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.job.Control;
import io.personalize.job.Descriptors;
import io.personalize.job.PersonalModelFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.model.Mode;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.GlobalModel;
import io.personalize.online.Ids;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.online.SharedReplica;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PersonalModelFunction}: every rating scored by adaptive, local and mtl (exactly as the
 * plain-Java {@link UserModels} on a {@link SharedReplica} scores it) before learning it; a
 * broadcast checkpoint applied only once the watermark has passed its {@code maxEventTimeMillis},
 * whichever channel delivers first; group boundaries applied on arrival; one idle timer per user
 * that clears all of the user's state; clicks not learned.
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
                  : EnumSet.noneOf(Mode.class));
    }

    /** Adaptive, local and mtl predictions of the event, clamped, then learns it. */
    double[] score(ValidEvent e) {
      UserState state = users.computeIfAbsent(e.userId, id -> models.newUser(id, Ids.hash(id)));
      int group = boundaries.groupOf(state.events);
      int item = replica.item(e.itemId);
      double[] all = new double[Mode.values().length];
      models.step(state, replica.shared(), item, replica.features(item), e.value, group, all);
      Mode[] order = {Mode.ADAPTIVE, Mode.LOCAL, Mode.MTL};
      double[] out = new double[3];
      for (int m = 0; m < out.length; m++) {
        out[m] = CONFIG.scale().clamp(all[order[m].ordinal()]);
      }
      return out;
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
    List<Prediction> out = send(e);
    double[] expected = reference.score(e);
    assertThat(out).extracting(p -> p.mode).containsExactly("adaptive", "local", "mtl");
    for (int m = 0; m < 3; m++) {
      assertThat(out.get(m).prediction).as(out.get(m).mode).isEqualTo(expected[m]);
      assertThat(out.get(m).userId).isEqualTo(e.userId);
      assertThat(out.get(m).label).isEqualTo(e.value);
      assertThat(out.get(m).eventTimeMillis).isEqualTo(e.eventTimeMillis);
    }
    assertThat(out).extracting(p -> p.checkpointVersion).containsOnly(out.get(0).checkpointVersion);
    return out;
  }

  private void broadcast(Control control) throws Exception {
    harness.processBroadcastElement(control, 0);
  }

  /** Advances event time on both inputs, as the job does: the control channel follows events. */
  private void watermark(long time) throws Exception {
    harness.watermark(time);
  }

  private <T> T keyed(String user, ValueStateDescriptor<T> descriptor) throws Exception {
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(user);
    return backend
        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor)
        .value();
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
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

    assertThat(out).extracting(p -> p.userEvents).containsOnly(1L);
    assertThat(out).extracting(p -> p.group).containsOnly(1);
    assertThat(out).extracting(p -> p.checkpointVersion).containsOnly(0L);
    // Version 0 is the initial model: the mean of the scale plus small random factor products.
    assertThat(out.get(0).prediction).isBetween(2.5, 3.5);

    UserProfile profile = keyed("u1", Descriptors.userProfile());
    assertThat(profile.userId).isEqualTo("u1");
    assertThat(profile.events).isEqualTo(1);
    assertThat(profile.group).isEqualTo(1);
    assertThat(profile.boundariesVersion).isZero();
    assertThat(profile.checkpointVersion).isZero();
    assertThat(profile.lastEventTimeMillis).isEqualTo(2_000);
    assertThat(profile.candidate).isEqualTo(reference.models.selector().best(1));

    PersonalModelView view = keyed("u1", Descriptors.personalModel());
    assertThat(view.userId).isEqualTo("u1");
    assertThat(view.modelKind).isEqualTo("HYBRID");
    assertThat(view.checkpointVersion).isZero();
    assertThat(view.factors).hasSize(CONFIG.model().factors());
    assertThat(view.featureWeights).hasSize(SPACE.dimension());
    double[] chosen = reference.users.get("u1").adaptive[profile.candidate];
    assertThat(view.bias).isEqualTo(chosen[0]);

    UserState state = keyed("u1", Descriptors.userState());
    assertThat(state.events).isEqualTo(1);
    assertThat(state.recentItems).containsExactly("i1");

    List<Prediction> second = sendAndCompare(rating("u1", "i2", 2, 2_500));
    assertThat(second).extracting(p -> p.userEvents).containsOnly(2L);
    assertThat(keyed("u1", Descriptors.userState()).recentItems).containsExactly("i1", "i2");
  }

  @Test
  void withoutShadowsOnlyAdaptiveIsScored() throws Exception {
    JobConfig noShadows = Fixtures.config(100, 1_000, 1_000, 5_000, IDLE, false);
    open(noShadows);

    List<Prediction> out = send(rating("u1", "i1", 4, 2_000));

    assertThat(out).extracting(p -> p.mode).containsExactly("adaptive");
    assertThat(out.get(0).prediction).isEqualTo(reference.score(rating("u1", "i1", 4, 2_000))[0]);
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
    assertThat(keyed("u1", Descriptors.userProfile()).checkpointVersion).isEqualTo(1);
    assertThat(keyed("u1", Descriptors.personalModel()).checkpointVersion).isEqualTo(1);
    // The replica learned item i1's parameters, so the prediction moved off the untrained one.
    assertThat(late.get(0).prediction).isNotEqualTo(early.get(0).prediction);
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
    UserProfile profile = keyed("u1", Descriptors.userProfile());
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
    assertThat(keyed("u1", Descriptors.userProfile()).boundariesVersion).isEqualTo(1);
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

    assertThat(keyedStateEntries()).as("user-state, user-profile, personal-model").isEqualTo(3);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    watermark(2_000 + IDLE - 1);
    assertThat(keyedStateEntries()).isEqualTo(3);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    watermark(2_000 + IDLE);
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(keyed("u1", Descriptors.userProfile())).isNull();
    assertThat(harness.extractOutputValues()).as("the timer emits nothing").hasSize(3);

    List<Prediction> again = send(rating("u1", "i1", 4, 20_000));
    assertThat(again).extracting(p -> p.userEvents).containsOnly(1L);
    assertThat(keyed("u1", Descriptors.userProfile()).events).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }

  @Test
  void onlyTheTimerOfTheLatestEventClears() throws Exception {
    open(CONFIG);
    send(rating("u1", "i1", 4, 2_000));
    send(rating("u1", "i2", 4, 5_000));
    // late, out-of-order event: the user's last event stays at 5000, the same timer again
    send(rating("u1", "i3", 4, 4_000));
    send(rating("u2", "i1", 4, 3_000));
    assertThat(harness.numEventTimeTimers()).as("u1: 12000 and 15000, u2: 13000").isEqualTo(3);
    assertThat(keyedStateEntries()).isEqualTo(6);

    watermark(2_000 + IDLE);
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    assertThat(keyedStateEntries()).as("u1 was active after 2000").isEqualTo(6);

    watermark(3_000 + IDLE);
    assertThat(keyedStateEntries()).as("u2 forgotten").isEqualTo(3);
    assertThat(keyed("u1", Descriptors.userProfile()).events).isEqualTo(3);

    watermark(5_000 + IDLE);
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
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
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);
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
    assertThat(keyed("u1", Descriptors.userProfile()).boundariesVersion).isEqualTo(1);
  }
}
