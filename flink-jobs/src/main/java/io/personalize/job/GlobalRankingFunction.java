package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MAX_USERS;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;
import static io.personalize.job.config.RecommendationOptions.RANKING_NEGATIVES;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.config.JobConfig;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.GlobalModel;
import io.personalize.online.GlobalModelSnapshot;
import io.personalize.online.ModelDelta;
import io.personalize.rank.RankingSteps;
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

/**
 * The global operator of the recommending half (parallelism 1, every event keyed to one key), a
 * thin adapter around the ranking ("will interact") {@link GlobalModel}: it learns every event with
 * the negatives drawn for it upstream ({@link UserSequenceFunction}) and closes a versioned
 * gradient checkpoint ({@code objective} RANKING) every {@code model-updates.every-events} learned
 * events or {@code model-updates.every}. Item metadata is the second input.
 *
 * <p>It is an operator of its own, beside the rating model's {@link GlobalTrainerFunction}, so that
 * the rating model's global operator reads the events as directly as the per-user rating operator
 * does, not behind the user-sequence stage and not sharing a thread with the ranking model's
 * heavier step (one positive and four negatives); docs/architecture.md ("Freshness") has the
 * measurements.
 */
public class GlobalRankingFunction
    extends KeyedCoProcessFunction<Integer, ValidEvent, ItemMetadata, ModelDelta>
    implements CheckpointedFunction, CheckpointListener {
  private final JobConfig config;
  private transient FeatureSpace space;
  private transient GlobalModel ranking;
  private transient RankingSteps steps;
  private transient ListState<GlobalModelSnapshot> stored;
  private transient CheckpointCadence cadence;
  private transient Counter notLearned;
  private transient volatile long version;

  public GlobalRankingFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    cadence = new CheckpointCadence(config);
    space = config.featureSpace();
    ranking =
        new GlobalModel(
            config.rankingModel(),
            space,
            0,
            config.get(MAX_USERS),
            config.millis(USER_IDLE_EXPIRY));
    stored = context.getOperatorStateStore().getListState(Descriptors.globalRankingModel());
    for (GlobalModelSnapshot snapshot : stored.get()) {
      try {
        ranking.restore(snapshot);
      } catch (IncompatibleStateException e) {
        throw new SuppressRestartsException(e); // a restart would restore the same state
      }
    }
    OperatorSnapshots.release(stored);
    version = ranking.version();
    steps = new RankingSteps(config.signalWeights(), config.get(RANKING_NEGATIVES), null);
  }

  @Override
  public void open(OpenContext context) {
    getRuntimeContext().getMetricGroup().gauge("checkpoint-version", () -> version);
    getRuntimeContext().getMetricGroup().gauge("global-items", () -> (long) ranking.items());
    getRuntimeContext().getMetricGroup().gauge("ranking-users", () -> (long) ranking.users());
    getRuntimeContext().getMetricGroup().gauge("ranking-users-expired", ranking::usersExpired);
    notLearned = getRuntimeContext().getMetricGroup().counter("events-not-learned");
  }

  @Override
  public void processElement1(ValidEvent event, Context ctx, Collector<ModelDelta> out) {
    int[] negatives = new int[event.negatives.length];
    for (int n = 0; n < negatives.length; n++) {
      negatives[n] = ranking.item(event.negatives[n]);
    }
    if (steps.use(ranking.item(event.itemId), event.kind(), negatives, negatives.length) == 0) {
      notLearned.inc(); // an event kind of signal weight 0
      return;
    }
    ranking.learnExamples(event.userId, steps, event.eventTimeMillis);
    if (cadence.dueAfterLearning(ranking.eventsSinceCheckpoint(), ctx.timerService())) {
      emitCheckpoint(out);
    }
  }

  @Override
  public void processElement2(ItemMetadata item, Context ctx, Collector<ModelDelta> out) {
    ranking.describeItem(item.getItemId(), CoreRecords.describe(space, item));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelDelta> out) {
    cadence.timerFired();
    emitCheckpoint(out);
  }

  private void emitCheckpoint(Collector<ModelDelta> out) {
    ModelDelta checkpoint = ranking.closeCheckpoint(System.currentTimeMillis());
    if (checkpoint != null) {
      version = checkpoint.version;
      out.collect(checkpoint);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(ranking.snapshot()));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    OperatorSnapshots.release(stored);
  }
}
