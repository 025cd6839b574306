package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MAX_USERS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_UPDATES_EVERY;
import static io.personalize.job.config.PersonalizeOptions.MODEL_UPDATES_EVERY_EVENTS;
import static io.personalize.job.config.RecommendationOptions.RANKING_NEGATIVES;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.config.JobConfig;
import io.personalize.model.Mode;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.GlobalModel;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.rank.RankingSteps;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global operator (parallelism 1, every event keyed to one key), a thin adapter around two
 * {@link GlobalModel}s: the rating model learns every rating with SGD and gives the global mode's
 * prequential prediction; the ranking ("will interact") model, when recommendations are on, learns
 * every event with the negatives drawn for it upstream. Each closes a versioned gradient checkpoint
 * every {@code model-updates.every-events} events or {@code model-updates.every}, to the {@link
 * Descriptors#CHECKPOINTS} side output (a checkpoint's objective tells the two apart). Item
 * metadata is the second input. The models live on the heap and are stored whole in operator state
 * at each Flink checkpoint.
 */
public class GlobalTrainerFunction
    extends KeyedCoProcessFunction<Integer, ValidEvent, ItemMetadata, Prediction>
    implements CheckpointedFunction {
  private final JobConfig config;
  private transient FeatureSpace space;
  private transient GlobalModel model;
  private transient ListState<GlobalModelSnapshot> stored;
  private transient GlobalModel ranking;
  private transient RankingSteps steps;
  private transient ListState<GlobalModelSnapshot> storedRanking;
  private transient boolean timerPending;
  private transient Counter notLearned;
  private transient volatile long version;

  public GlobalTrainerFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    space = config.featureSpace();
    model = new GlobalModel(config.model(), space, config.initialMean(), config.get(MAX_USERS));
    stored = context.getOperatorStateStore().getListState(Descriptors.globalModel());
    for (GlobalModelSnapshot snapshot : stored.get()) {
      model.restore(snapshot);
    }
    version = model.version();
    if (config.recommends()) {
      ranking = new GlobalModel(config.rankingModel(), space, 0, config.get(MAX_USERS));
      storedRanking =
          context.getOperatorStateStore().getListState(Descriptors.globalRankingModel());
      for (GlobalModelSnapshot snapshot : storedRanking.get()) {
        ranking.restore(snapshot);
      }
      steps = new RankingSteps(config.signalWeights(), config.get(RANKING_NEGATIVES), null);
    }
  }

  @Override
  public void open(OpenContext context) {
    getRuntimeContext().getMetricGroup().gauge("checkpoint-version", () -> version);
    getRuntimeContext().getMetricGroup().gauge("global-users", () -> (long) model.users());
    getRuntimeContext().getMetricGroup().gauge("global-users-evicted", model::usersEvicted);
    getRuntimeContext().getMetricGroup().gauge("global-items", () -> (long) model.items());
    notLearned = getRuntimeContext().getMetricGroup().counter("events-not-learned");
  }

  @Override
  public void processElement1(ValidEvent event, Context ctx, Collector<Prediction> out) {
    boolean learned = ranking != null && learnRanking(event);
    if (Learnable.isRating(event)) {
      learnRating(event, out);
      learned = true;
    } else {
      notLearned.inc();
    }
    if (!learned) {
      return;
    }
    if (model.eventsSinceCheckpoint() >= config.get(MODEL_UPDATES_EVERY_EVENTS)
        || (ranking != null
            && ranking.eventsSinceCheckpoint() >= config.get(MODEL_UPDATES_EVERY_EVENTS))) {
      emitCheckpoints(ctx);
    } else if (!timerPending) {
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().registerProcessingTimeTimer(now + config.millis(MODEL_UPDATES_EVERY));
      timerPending = true;
    }
  }

  /**
   * The ranking model learns the event and the negatives drawn for it upstream; false for an event
   * kind of weight 0, which it does not learn.
   */
  private boolean learnRanking(ValidEvent event) {
    int[] negatives = new int[event.negatives.length];
    for (int n = 0; n < negatives.length; n++) {
      negatives[n] = ranking.item(event.negatives[n]);
    }
    if (steps.use(ranking.item(event.itemId), event.kind(), negatives, negatives.length) == 0) {
      return false;
    }
    ranking.learnExamples(event.userId, steps, event.eventTimeMillis);
    return true;
  }

  private void learnRating(ValidEvent event, Collector<Prediction> out) {
    double prediction = model.learn(event.userId, event.itemId, event.value, event.eventTimeMillis);
    out.collect(
        new Prediction(
            Mode.GLOBAL.label(),
            event.userId,
            0,
            0,
            config.scale().clamp(prediction),
            event.value,
            event.eventTimeMillis,
            model.version()));
  }

  @Override
  public void processElement2(ItemMetadata item, Context ctx, Collector<Prediction> out) {
    model.describeItem(item.getItemId(), CoreRecords.describe(space, item));
    if (ranking != null) {
      ranking.describeItem(item.getItemId(), CoreRecords.describe(space, item));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) {
    timerPending = false;
    emitCheckpoints(ctx);
  }

  private void emitCheckpoints(Context ctx) {
    long now = System.currentTimeMillis();
    ModelDelta checkpoint = model.closeCheckpoint(now);
    if (checkpoint != null) {
      version = checkpoint.version;
      ctx.output(Descriptors.CHECKPOINTS, checkpoint);
    }
    ModelDelta rankingCheckpoint = ranking == null ? null : ranking.closeCheckpoint(now);
    if (rankingCheckpoint != null) {
      ctx.output(Descriptors.CHECKPOINTS, rankingCheckpoint);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(model.snapshot()));
    if (ranking != null) {
      storedRanking.update(List.of(ranking.snapshot()));
    }
  }
}
