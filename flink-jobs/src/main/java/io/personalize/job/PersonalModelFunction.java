package io.personalize.job;

import io.personalize.avro.GroupBoundaries;
import io.personalize.model.CandidateSelector;
import io.personalize.model.FeatureVector;
import io.personalize.model.PersonalParameters;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import io.personalize.stream.FeatureSpace;
import io.personalize.stream.PersonalModels;
import io.personalize.stream.Prediction;
import io.personalize.stream.ReplicaSnapshot;
import io.personalize.stream.SharedReplica;
import io.personalize.stream.UserState;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-user operator, keyed by user id with state in RocksDB: a replica of the shared block
 * advanced by the broadcast gradient checkpoints, and each user's personal blocks advanced by the
 * user's own events ({@link PersonalModels#step}, the evaluator's code). Each event is scored by
 * every mode before any learns it; the predictions go to the metrics operator.
 *
 * <p>Arrival order of the two inputs does not matter: a checkpoint is queued in the replica and
 * applied only once this operator's watermark has passed every event the checkpoint covers, that
 * is, once every one of those events has been scored here. Comparing with the current event's time
 * instead is not enough at parallelism above 1: partitions progress independently, so a subtask's
 * events are not in time order, and a checkpoint could carry the update of an event this subtask
 * has yet to score (measured: RMSE 0.900 instead of 0.933 at parallelism 2). An event that comes
 * before any checkpoint is scored against version 0, the initial model every operator starts from,
 * so no buffering is needed. Boundaries and item metadata apply on arrival.
 *
 * <p>State per user: {@link UserState} (fixed-size blocks plus a capped list of recent items), a
 * queryable {@link UserProfile} and a queryable {@link PersonalModelView}; all three are cleared by
 * an event-time timer once the user has been idle for {@code userIdleMillis}.
 */
public class PersonalModelFunction
    extends KeyedBroadcastProcessFunction<String, ValidEvent, Control, Prediction>
    implements CheckpointedFunction {
  private final JobConfig config;
  private transient SharedReplica replica;
  private transient PersonalModels models;
  private transient io.personalize.model.GroupBoundaries boundaries;
  private transient FeatureSpace space;
  private transient ValueState<UserState> userState;
  private transient ValueState<UserProfile> profileState;
  private transient ValueState<PersonalModelView> modelState;
  private transient ListState<ReplicaSnapshot> storedReplica;
  private transient ListState<SelectorSnapshot> storedSelector;
  private transient ListState<GroupBoundaries> storedBoundaries;
  private transient double[] predictions;
  private transient Counter notLearned;
  private transient Counter usersExpired;

  public PersonalModelFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    space = config.featureSpace();
    replica = new SharedReplica(config.model(), space, config.initialMean());
    models = new PersonalModels(config.model(), space, config.initialMean(), config.shadows());
    boundaries = io.personalize.model.GroupBoundaries.initial(config.model().groups());
    storedReplica = context.getOperatorStateStore().getUnionListState(Descriptors.replica());
    ReplicaSnapshot freshest = null;
    for (ReplicaSnapshot snapshot : storedReplica.get()) {
      if (freshest == null || snapshot.version > freshest.version) {
        freshest = snapshot;
      }
    }
    if (freshest != null) {
      replica.restore(freshest);
    }
    storedBoundaries =
        context.getOperatorStateStore().getUnionListState(Descriptors.groupBoundaries());
    for (GroupBoundaries b : storedBoundaries.get()) {
      applyBoundaries(b);
    }
    // After a restore every subtask sees every subtask's sums (union state). Each is an estimate
    // of the same per-group losses; every subtask starts from their mean, which keeps the scale
    // of one subtask however often the job restarts or rescales.
    storedSelector = context.getOperatorStateStore().getUnionListState(Descriptors.selector());
    List<SelectorSnapshot> snapshots = new java.util.ArrayList<>();
    storedSelector.get().forEach(snapshots::add);
    CandidateSelector selector = models.selector();
    for (SelectorSnapshot snapshot : snapshots) {
      double[] sums = snapshot.lossSums.clone();
      long[] events = snapshot.events.clone();
      for (int i = 0; i < sums.length; i++) {
        sums[i] /= snapshots.size();
      }
      for (int g = 0; g < events.length; g++) {
        events[g] /= snapshots.size();
      }
      selector.add(sums, events);
    }
  }

  @Override
  public void open(OpenContext context) {
    userState = getRuntimeContext().getState(Descriptors.userState());
    ValueStateDescriptor<UserProfile> profile = Descriptors.userProfile();
    profile.setQueryable(profile.getName());
    profileState = getRuntimeContext().getState(profile);
    ValueStateDescriptor<PersonalModelView> model = Descriptors.personalModel();
    model.setQueryable(model.getName());
    modelState = getRuntimeContext().getState(model);
    predictions = new double[3];
    notLearned = getRuntimeContext().getMetricGroup().counter("events-not-learned");
    usersExpired = getRuntimeContext().getMetricGroup().counter("users-expired");
    getRuntimeContext().getMetricGroup().gauge("replica-version", () -> replica.version());
    getRuntimeContext().getMetricGroup().gauge("replica-gaps", () -> replica.gaps());
  }

  @Override
  public void processElement(ValidEvent event, ReadOnlyContext ctx, Collector<Prediction> out)
      throws Exception {
    if (!Learnable.isRating(event)) {
      notLearned.inc();
      return;
    }
    replica.advanceTo(completeBefore(ctx.currentWatermark()));
    UserState state = userState.value();
    if (state == null) {
      state = models.newUser(event.userId);
    }
    int group = boundaries.groupOf(state.events);
    int item = replica.item(event.itemId);
    FeatureVector x = replica.features(item);
    models.step(state, replica.shared(), item, x, event.value, group, predictions);
    state.lastEventTimeMillis = Math.max(state.lastEventTimeMillis, event.eventTimeMillis);
    state.recentItems = remember(state.recentItems, event.itemId, config.recentItems());
    userState.update(state);

    long version = replica.version();
    emit(out, Learnable.ADAPTIVE, PersonalModels.ADAPTIVE, event, state, group, version);
    if (models.shadows()) {
      emit(out, Learnable.LOCAL, PersonalModels.LOCAL, event, state, group, version);
      emit(out, Learnable.MTL, PersonalModels.MTL, event, state, group, version);
    }
    int candidate = models.selector().best(group);
    profileState.update(profile(state, group, candidate, version));
    modelState.update(view(state, group, version));
    ctx.timerService().registerEventTimeTimer(state.lastEventTimeMillis + config.userIdleMillis());
  }

  private void emit(
      Collector<Prediction> out,
      String mode,
      int index,
      ValidEvent event,
      UserState state,
      int group,
      long version) {
    out.collect(
        new Prediction(
            mode,
            event.userId,
            state.events,
            group,
            config.scale().clamp(predictions[index]),
            event.value,
            event.eventTimeMillis,
            version));
  }

  @Override
  public void processBroadcastElement(Control control, Context ctx, Collector<Prediction> out) {
    if (control.checkpoint != null) {
      replica.offer(control.checkpoint);
    } else if (control.boundaries != null) {
      applyBoundaries(control.boundaries);
    } else if (control.item != null) {
      replica.describeItem(control.item.getItemId(), ItemDescriptions.of(space, control.item));
    }
  }

  private void applyBoundaries(GroupBoundaries b) {
    if (b.getVersion() > boundaries.version()) {
      boundaries =
          new io.personalize.model.GroupBoundaries(
              b.getVersion(), b.getGroups(), b.getLogCountMin(), b.getLogCountMax());
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
      throws Exception {
    UserState state = userState.value();
    // Only the timer of the user's latest event clears; earlier timers find the user active.
    if (state != null && state.lastEventTimeMillis + config.userIdleMillis() <= timestamp) {
      userState.clear();
      profileState.clear();
      modelState.clear();
      usersExpired.inc();
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    storedReplica.update(List.of(replica.snapshot()));
    SelectorSnapshot selector = new SelectorSnapshot();
    selector.lossSums = models.selector().lossSums();
    selector.events = models.selector().eventCounts();
    storedSelector.update(List.of(selector));
    storedBoundaries.update(
        boundaries.version() == 0
            ? List.of()
            : List.of(
                GroupBoundaries.newBuilder()
                    .setVersion(boundaries.version())
                    .setGroups(boundaries.groups())
                    .setLogCountMin(boundaries.logCountMin())
                    .setLogCountMax(boundaries.logCountMax())
                    .setUsers(0)
                    .setComputedAtMillis(0)
                    .build()));
  }

  private UserProfile profile(UserState state, int group, int candidate, long version) {
    UserProfile profile = new UserProfile();
    profile.userId = state.userId;
    profile.events = state.events;
    profile.group = group;
    profile.boundariesVersion = boundaries.version();
    profile.checkpointVersion = version;
    profile.lastEventTimeMillis = state.lastEventTimeMillis;
    profile.candidate = candidate;
    return profile;
  }

  private PersonalModelView view(UserState state, int group, long version) {
    PersonalParameters block = models.chosenBlock(state, group);
    PersonalModelView view = new PersonalModelView();
    view.userId = state.userId;
    view.modelKind = models.model().kind().name();
    view.checkpointVersion = version;
    view.bias = block.bias;
    view.factors = block.factors.clone();
    view.featureWeights = block.featureWeights.clone();
    return view;
  }

  /**
   * The exclusive bound of event times that are complete at watermark {@code watermark}: no event
   * at or before the watermark is still to come.
   */
  static long completeBefore(long watermark) {
    return watermark == Long.MAX_VALUE ? Long.MAX_VALUE : watermark + 1;
  }

  static String[] remember(String[] recent, String itemId, int cap) {
    if (cap == 0) {
      return recent;
    }
    String[] next =
        recent.length < cap
            ? Arrays.copyOf(recent, recent.length + 1)
            : Arrays.copyOfRange(recent, 1, recent.length + 1);
    next[next.length - 1] = itemId;
    return next;
  }
}
