package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MAX_USERS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_KIND;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_ITEMS;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.config.JobConfig;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Mode;
import io.personalize.model.RatingScale;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.GlobalModel;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global operator (parallelism 1, every event keyed to one key), a thin adapter around {@link
 * GlobalModel}: SGD on every event with the full global model, the global mode's prequential
 * prediction for every event, and a versioned gradient checkpoint every {@code
 * model-updates.every-events} events or {@code model-updates.every}, to the {@link
 * Descriptors#CHECKPOINTS} side output. Item metadata is the second input. The model lives on the
 * heap and is stored whole in operator state at each Flink checkpoint.
 */
public class GlobalTrainerFunction
    extends KeyedCoProcessFunction<Integer, ValidEvent, ItemMetadata, Prediction>
    implements CheckpointedFunction, CheckpointListener {
  /**
   * Ratings learned with no item metadata at all before the job says so: a hybrid model without
   * item features still runs, but its personal feature weights have nothing to learn from (ml-100k
   * at parallelism 2 without its items: adaptive 0.943 instead of 0.932, local 1.024 instead of
   * 1.002), and nothing else would show why.
   */
  public static final long RATINGS_BEFORE_NO_METADATA_WARNING = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(GlobalTrainerFunction.class);

  private final JobConfig config;
  private transient FeatureSpace space;
  // Read once: a Configuration lookup per event was 3% of the per-user operator's time.
  private transient RatingScale scale;
  private transient GlobalModel model;
  private transient ListState<GlobalModelSnapshot> stored;
  private transient CheckpointCadence cadence;
  private transient Counter notLearned;
  private transient volatile long version;
  private transient long ratingsSinceStart;

  public GlobalTrainerFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    cadence = new CheckpointCadence(config);
    space = config.featureSpace();
    model =
        new GlobalModel(
            config.model(),
            space,
            config.initialMean(),
            config.get(MAX_USERS),
            config.millis(USER_IDLE_EXPIRY));
    stored = context.getOperatorStateStore().getListState(Descriptors.globalModel());
    for (GlobalModelSnapshot snapshot : stored.get()) {
      try {
        model.restore(snapshot);
      } catch (IncompatibleStateException e) {
        throw new SuppressRestartsException(e); // a restart would restore the same state
      }
    }
    OperatorSnapshots.release(stored);
    version = model.version();
  }

  @Override
  public void open(OpenContext context) {
    scale = config.scale();
    getRuntimeContext().getMetricGroup().gauge("checkpoint-version", () -> version);
    getRuntimeContext().getMetricGroup().gauge("global-users", () -> (long) model.users());
    getRuntimeContext().getMetricGroup().gauge("global-users-evicted", model::usersEvicted);
    getRuntimeContext().getMetricGroup().gauge("global-users-expired", model::usersExpired);
    getRuntimeContext().getMetricGroup().gauge("global-items", () -> (long) model.items());
    getRuntimeContext()
        .getMetricGroup()
        .gauge("global-items-described", () -> (long) model.itemsDescribed());
    // What the model learned from the stream (docs/method.md, "Settings learned from the stream").
    getRuntimeContext().getMetricGroup().gauge("step-races", model::races);
    getRuntimeContext()
        .getMetricGroup()
        .gauge("bias-step-multiplier", () -> model.settings().biasMultiplier);
    getRuntimeContext()
        .getMetricGroup()
        .gauge("factor-step-multiplier", () -> model.settings().factorMultiplier);
    getRuntimeContext()
        .getMetricGroup()
        .gauge("early-step-multiplier", () -> model.settings().earlyMultiplier);
    getRuntimeContext().getMetricGroup().gauge("initial-bias", () -> model.settings().initialBias);
    notLearned = getRuntimeContext().getMetricGroup().counter("events-not-learned");
  }

  @Override
  public void processElement1(ValidEvent event, Context ctx, Collector<Prediction> out) {
    if (!Learnable.isRating(event)) {
      notLearned.inc();
      return;
    }
    double prediction = model.learn(event.userId, event.itemId, event.value, event.eventTimeMillis);
    if (++ratingsSinceStart == RATINGS_BEFORE_NO_METADATA_WARNING) {
      warnIfNoItemMetadata();
    }
    out.collect(
        new Prediction(
            Mode.GLOBAL.label(),
            event.userId,
            0,
            0,
            scale.clamp(prediction),
            event.value,
            event.eventTimeMillis,
            model.version()));
    if (cadence.dueAfterLearning(model.eventsSinceCheckpoint(), ctx.timerService())) {
      emitCheckpoint(ctx);
    }
  }

  @Override
  public void processElement2(ItemMetadata item, Context ctx, Collector<Prediction> out) {
    model.describeItem(item.getItemId(), CoreRecords.describe(space, item));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) {
    cadence.timerFired();
    emitCheckpoint(ctx);
  }

  private void warnIfNoItemMetadata() {
    if (config.model().kind().usesFeatures() && model.itemsDescribed() == 0) {
      LOG.warn(
          "{} ratings learned and no item metadata yet on topic '{}': the {} model runs without"
              + " item features (genres, year, features), and the personal models score worse."
              + " Send the items to that topic (`personalize produce` does), or set {}=MF.",
          RATINGS_BEFORE_NO_METADATA_WARNING,
          config.get(TOPIC_ITEMS),
          config.model().kind(),
          MODEL_KIND.key());
    }
  }

  private void emitCheckpoint(Context ctx) {
    ModelDelta checkpoint = model.closeCheckpoint(System.currentTimeMillis());
    if (checkpoint != null) {
      version = checkpoint.version;
      ctx.output(Descriptors.CHECKPOINTS, checkpoint);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(model.snapshot()));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    OperatorSnapshots.release(stored);
  }
}
