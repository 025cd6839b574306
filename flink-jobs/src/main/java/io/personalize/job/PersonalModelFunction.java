package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.SAMPLE_MAX_USERS;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;

import io.personalize.avro.GroupBoundaries;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.config.JobConfig;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Mode;
import io.personalize.model.RatingScale;
import io.personalize.model.SelectorSnapshot;
import io.personalize.model.features.FeatureSpace;
import io.personalize.neighbours.NeighbourRequest;
import io.personalize.neighbours.NeighbourSettings;
import io.personalize.neighbours.PartnerUpdates;
import io.personalize.neighbours.UserResiduals;
import io.personalize.online.ExpiryBatches;
import io.personalize.online.Ids;
import io.personalize.online.Prediction;
import io.personalize.online.ReplicaSnapshot;
import io.personalize.online.SharedReplica;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.recommend.SeenItems;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import io.personalize.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user operator, keyed by user id with state in RocksDB, a thin adapter around {@link
 * SharedReplica} (the shared block, advanced by the broadcast gradient checkpoints) and {@link
 * UserModels} (each user's personal blocks, advanced by the user's own events with the evaluator's
 * code). Each event is scored by every mode before any learns it; the predictions go to the metrics
 * operator.
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
 * <p>State per user: {@link UserState}, queryable, from which a lookup derives the user's profile
 * and personal model (one state written per event, not three), and exactly one event-time timer.
 * Idle cleanup follows event time: the timer is set at the user's first event to {@code last event
 * + users.idle-expiry}; when the watermark reaches it, the user is forgotten if no later event
 * came, else the timer moves to the new deadline. A watermark that jumps (one event far ahead of
 * the rest) expires many users at once; each such batch is logged as one line.
 *
 * <p>With {@code model.neighbours}, adaptive's prediction does not go to the metrics from here: it
 * goes with the user's latest rated items ({@code user-neighbours}, {@link UserResiduals}) to the
 * item's neighbourhood ({@link ItemNeighboursFunction}), which corrects it, and the rating goes to
 * each of those items as a common rater ({@link PartnerUpdates}).
 */
public class PersonalModelFunction
    extends KeyedBroadcastProcessFunction<String, ValidEvent, Control, Prediction>
    implements CheckpointedFunction, CheckpointListener {
  private static final Logger LOG = LoggerFactory.getLogger(PersonalModelFunction.class);

  /**
   * A batch of at least this many expired users is logged at WARN when the watermark jumped past
   * their deadlines (by more than the idle expiry itself); a replay of years of history expires
   * that many at each step as event time goes by, which is no news.
   */
  static final long BULK_EXPIRY_WARNING = 100;

  private static final String[] NO_ITEMS = new String[0];

  private final JobConfig config;
  private transient SharedReplica replica;
  private transient UserModels models;
  private transient io.personalize.model.GroupBoundaries boundaries;

  /** The users the coordinator counted for {@link #boundaries}; 0 when unknown. */
  private transient long usersCounted;

  private transient FeatureSpace space;
  private transient long idleMillis;
  // Read once: a Configuration lookup per event was 3% of the per-user operator's time.
  private transient RatingScale scale;
  private transient ValueState<UserState> userState;
  // Written before 2026-12-05 beside userState; cleared with it (see Descriptors).
  private transient ValueState<UserProfile> retiredProfile;
  private transient ValueState<PersonalModelView> retiredModel;
  private transient ListState<ReplicaSnapshot> storedReplica;
  private transient ListState<SelectorSnapshot> storedSelector;
  private transient ListState<GroupBoundaries> storedBoundaries;
  private transient double[] predictions;
  private transient ExpiryBatches expiries;
  // With model.neighbours only (else null).
  private transient NeighbourSettings neighbours;
  private transient ValueState<UserResiduals> userNeighbours;
  // Set by RunAheadOperator after open(); nothing is held back without it.
  private transient LongSupplier earliestHeldMillis;
  private transient Counter notLearned;
  private transient Counter usersExpired;

  public PersonalModelFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    space = config.featureSpace();
    replica = new SharedReplica(config.model(), space, config.initialMean());
    models =
        new UserModels(
            config.model(),
            space.dimension(),
            config.initialMean(),
            config.shadowModes(),
            config.shadowShare(),
            item -> Ids.hash(replica.itemId(item)));
    models.boundSamples(config.get(SAMPLE_MAX_USERS));
    boundaries = io.personalize.model.GroupBoundaries.initial(config.model().groups());
    storedReplica = context.getOperatorStateStore().getUnionListState(Descriptors.replica());
    ReplicaSnapshot freshest = null;
    for (ReplicaSnapshot snapshot : storedReplica.get()) {
      if (freshest == null || snapshot.version > freshest.version) {
        freshest = snapshot;
      }
    }
    if (freshest != null) {
      try {
        replica.restore(freshest);
      } catch (IncompatibleStateException e) {
        throw new SuppressRestartsException(e); // a restart would restore the same state
      }
    }
    OperatorSnapshots.release(storedReplica);
    storedBoundaries =
        context.getOperatorStateStore().getUnionListState(Descriptors.groupBoundaries());
    for (GroupBoundaries b : storedBoundaries.get()) {
      applyBoundaries(b);
    }
    storedSelector = context.getOperatorStateStore().getUnionListState(Descriptors.selector());
    List<SelectorSnapshot> selectors = new ArrayList<>();
    int expected = models.selector().groups() * models.selector().candidates();
    for (SelectorSnapshot snapshot : storedSelector.get()) {
      if (snapshot.lossSums.length == expected) {
        selectors.add(snapshot);
      } else {
        // Another number of groups or candidates than this job's (e.g. a savepoint from before
        // the global-row candidate): the selector starts afresh, as in a new job.
        LOG.warn(
            "a stored candidate selector has {} sums where this job has {}: not restored",
            snapshot.lossSums.length,
            expected);
      }
    }
    try {
      models.selector().restoreMean(selectors);
    } catch (IncompatibleStateException e) {
      throw new SuppressRestartsException(e); // a restart would restore the same state
    }
  }

  @Override
  public void open(OpenContext context) {
    userState = getRuntimeContext().getState(Descriptors.userState());
    retiredProfile = getRuntimeContext().getState(Descriptors.retiredUserProfile());
    retiredModel = getRuntimeContext().getState(Descriptors.retiredPersonalModel());
    idleMillis = config.millis(USER_IDLE_EXPIRY);
    scale = config.scale();
    predictions = new double[Mode.values().length];
    expiries = new ExpiryBatches();
    earliestHeldMillis = () -> Long.MAX_VALUE;
    neighbours = config.neighbours();
    if (neighbours != null) {
      userNeighbours = getRuntimeContext().getState(Descriptors.userNeighbours());
    }
    notLearned = getRuntimeContext().getMetricGroup().counter("events-not-learned");
    usersExpired = getRuntimeContext().getMetricGroup().counter("users-expired");
    getRuntimeContext().getMetricGroup().gauge("replica-version", () -> replica.version());
    getRuntimeContext().getMetricGroup().gauge("replica-gaps", () -> replica.gaps());
    getRuntimeContext().getMetricGroup().gauge("replica-duplicates", () -> replica.duplicates());
    getRuntimeContext().getMetricGroup().gauge("replica-pending", () -> (long) replica.pending());
    registerLearnedGauges(getRuntimeContext().getMetricGroup());
  }

  /**
   * What this subtask predicts with: each group's adaptive candidate, and the settings the global
   * model learned as of the last checkpoint applied here.
   */
  private void registerLearnedGauges(org.apache.flink.metrics.MetricGroup metrics) {
    for (int g = 1; g <= models.selector().groups(); g++) {
      int group = g;
      metrics.gauge("adaptive-candidate-group-" + g, () -> models.selector().best(group));
    }
    metrics.gauge("learned-bias-step-multiplier", () -> models.settings().biasMultiplier);
    metrics.gauge("learned-factor-step-multiplier", () -> models.settings().factorMultiplier);
    metrics.gauge("learned-early-step-multiplier", () -> models.settings().earlyMultiplier);
    metrics.gauge("learned-initial-bias", () -> models.settings().initialBias);
  }

  @Override
  public void processElement(ValidEvent event, ReadOnlyContext ctx, Collector<Prediction> out)
      throws Exception {
    logExpiries(expiries.close());
    if (!Learnable.isRating(event)) {
      notLearned.inc();
      return;
    }
    // Only checkpoints of events before this one: an event held back (RunAheadOperator) may be
    // scored after the watermark passed it, when a checkpoint that learned it is already queued.
    advanceReplica(Math.min(completeBefore(ctx.currentWatermark()), event.eventTimeMillis));
    if (replica.settings() != null && replica.settings() != models.settings()) {
      models.useSettings(replica.settings());
    }
    UserState state = userState.value();
    if (state == null) {
      state = models.newUser(event.userId, Ids.hash(event.userId));
      // The user's one timer; it moves forward while the user stays active (see onTimer).
      ctx.timerService().registerEventTimeTimer(event.eventTimeMillis + idleMillis);
    }
    int group = boundaries.groupOf(state.events);
    int item = replica.item(event.itemId);
    try {
      models.step(
          state, replica.shared(), item, replica.features(item), event.value, group, predictions);
    } catch (IncompatibleStateException e) {
      throw new SuppressRestartsException(e); // a restart would restore the same state
    }
    state.lastEventTimeMillis = Math.max(state.lastEventTimeMillis, event.eventTimeMillis);
    // The recommendation operator keeps the user's latest items (its walks start there); state
    // written before 2026-12-05 kept a copy here too, which nothing reads.
    state.recentItems = NO_ITEMS;
    long version = replica.version();
    models.recordStep(state, group, boundaries.version(), version);
    userState.update(state);

    for (Mode mode : Mode.STREAM) {
      // A shadow mode scores only the users of its share: NaN for the others.
      if (models.runs(mode) && !Double.isNaN(predictions[mode.ordinal()])) {
        Prediction prediction =
            new Prediction(
                mode.label(),
                event.userId,
                state.events,
                group,
                scale.clamp(predictions[mode.ordinal()]),
                event.value,
                event.eventTimeMillis,
                version);
        if (mode == Mode.ADAPTIVE && neighbours != null) {
          prediction.prediction = predictions[mode.ordinal()];
          sendToNeighbours(ctx, event, item, prediction);
        } else {
          out.collect(prediction);
        }
      }
    }
  }

  /**
   * Sends adaptive's unclamped {@code prediction} with the user's history to the item's
   * neighbourhood and the rating to each earlier item as a common rater; then the user's history
   * takes the rating.
   */
  private void sendToNeighbours(
      ReadOnlyContext ctx, ValidEvent event, int item, Prediction prediction) throws Exception {
    UserResiduals history = userNeighbours.value();
    if (history == null) {
      history = new UserResiduals();
    }
    double itemBaseline = replica.shared().itemBaseline(item);
    int itemKey = SeenItems.hash(event.itemId);
    ctx.output(
        Descriptors.NEIGHBOUR_REQUESTS,
        NeighbourRequest.of(
            itemKey, prediction, history.baselineResidual(event.value, itemBaseline), history));
    history.learn(
        itemKey,
        event.value,
        prediction.prediction,
        itemBaseline,
        neighbours.history(),
        (partner, partnerResidual, residual) ->
            ctx.output(
                Descriptors.PARTNER_UPDATES,
                PartnerUpdates.of(
                    partner, itemKey, partnerResidual, residual, event.eventTimeMillis)));
    userNeighbours.update(history);
  }

  @Override
  public void processBroadcastElement(Control control, Context ctx, Collector<Prediction> out) {
    if (control.checkpoint != null) {
      replica.offer(control.checkpoint);
      // Checkpoints the watermark has passed apply now, not at some user's next event; none that
      // covers an event still held back.
      advanceReplica(
          Math.min(completeBefore(ctx.currentWatermark()), earliestHeldMillis.getAsLong()));
    } else if (control.boundaries != null) {
      applyBoundaries(control.boundaries);
    } else if (control.item != null) {
      replica.describeItem(control.item.getItemId(), CoreRecords.describe(space, control.item));
    }
  }

  /**
   * Applies the queued checkpoints of events before {@code completeBefore}: by the operator in
   * front, which knows a later watermark than the one its function sees while it lets held events
   * go.
   */
  void advanceReplica(long completeBefore) {
    replica.advanceTo(completeBefore);
  }

  /** Tells the function the event time of the earliest event the operator holds back. */
  void holdsEventsFrom(LongSupplier earliestHeld) {
    this.earliestHeldMillis = earliestHeld;
  }

  private void applyBoundaries(GroupBoundaries b) {
    if (b.getVersion() > boundaries.version()) {
      boundaries = CoreRecords.fromAvro(b);
      usersCounted = b.getUsers();
      models.countUsers(usersCounted);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
      throws Exception {
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      logExpiries(expiries.close()); // the batch a watermark jump started, when no event follows
      return;
    }
    UserState state = userState.value();
    if (state == null) {
      return;
    }
    long deadline = state.lastEventTimeMillis + idleMillis;
    if (deadline > timestamp) {
      ctx.timerService().registerEventTimeTimer(deadline); // active since: move the one timer
      return;
    }
    userState.clear();
    if (userNeighbours != null) {
      userNeighbours.clear();
    }
    retiredProfile.clear();
    retiredModel.clear();
    usersExpired.inc();
    if (!expiries.isOpen()) {
      // Report this batch even if no event follows it soon.
      ctx.timerService()
          .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 1_000);
    }
    logExpiries(expiries.expire(ctx.timerService().currentWatermark(), state.lastEventTimeMillis));
  }

  private void logExpiries(ExpiryBatches.Batch batch) {
    if (batch == null) {
      return;
    }
    long lateBy = batch.lateByMillis(idleMillis);
    if (batch.users() >= BULK_EXPIRY_WARNING && lateBy > idleMillis) {
      LOG.warn(
          "{}: the watermark passed their deadlines {} late at once, as one event far ahead of"
              + " the others does (docs/architecture.md, \"Idle users follow event time\")",
          batch.describe(idleMillis),
          lateBy == Long.MAX_VALUE ? "far" : Durations.show(Duration.ofMillis(lateBy)));
    } else {
      LOG.info("{}", batch.describe(idleMillis));
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    // The replica is a copy of the broadcast checkpoints, alike in every subtask up to those still
    // waiting for a watermark, and a restore gives every subtask one copy (the freshest): one
    // subtask's is all a checkpoint needs, not one per subtask.
    boolean keepsReplica = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    storedReplica.update(keepsReplica ? List.of(replica.snapshot()) : List.of());
    storedSelector.update(List.of(models.selector().snapshot()));
    storedBoundaries.update(
        boundaries.version() == 0
            ? List.of()
            : List.of(CoreRecords.toAvro(boundaries, usersCounted, 0)));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    OperatorSnapshots.release(storedReplica);
  }

  /**
   * The exclusive bound of event times that are complete at watermark {@code watermark}: no event
   * at or before the watermark is still to come.
   */
  static long completeBefore(long watermark) {
    return watermark == Long.MAX_VALUE ? Long.MAX_VALUE : watermark + 1;
  }
}
