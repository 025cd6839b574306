package io.personalize.job;

import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemMetadata;
import io.personalize.stream.FeatureSpace;
import io.personalize.stream.GlobalModel;
import io.personalize.stream.GlobalModelSnapshot;
import io.personalize.stream.Prediction;
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
 * The global operator (parallelism 1, every event keyed to one key): SGD on every event with the
 * full global model ({@link GlobalModel}), the global mode's prequential prediction for every
 * event, and a versioned gradient checkpoint every {@code checkpointEveryEvents} events or {@code
 * checkpointEveryMillis} ms, to the {@link Descriptors#CHECKPOINTS} side output. Item metadata is
 * the second input. The model lives on the heap and is stored whole in operator state at each Flink
 * checkpoint; docs/architecture.md describes how to scale it past one core.
 */
public class GlobalTrainerFunction
    extends KeyedCoProcessFunction<Integer, ValidEvent, ItemMetadata, Prediction>
    implements CheckpointedFunction {
  private final JobConfig config;
  private transient FeatureSpace space;
  private transient GlobalModel model;
  private transient ListState<GlobalModelSnapshot> stored;
  private transient boolean timerPending;
  private transient Counter notLearned;
  private transient volatile long version;

  public GlobalTrainerFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    space = config.featureSpace();
    model = new GlobalModel(config.model(), space, config.initialMean(), config.maxGlobalUsers());
    stored = context.getOperatorStateStore().getListState(Descriptors.globalModel());
    for (GlobalModelSnapshot snapshot : stored.get()) {
      model.restore(snapshot);
    }
    version = model.version();
  }

  @Override
  public void open(OpenContext context) {
    getRuntimeContext().getMetricGroup().gauge("checkpoint-version", () -> version);
    getRuntimeContext().getMetricGroup().gauge("global-users", () -> (long) model.users());
    getRuntimeContext().getMetricGroup().gauge("global-items", () -> (long) model.items());
    notLearned = getRuntimeContext().getMetricGroup().counter("events-not-learned");
  }

  @Override
  public void processElement1(ValidEvent event, Context ctx, Collector<Prediction> out) {
    if (!Learnable.isRating(event)) {
      notLearned.inc();
      return;
    }
    double prediction = model.learn(event.userId, event.itemId, event.value, event.eventTimeMillis);
    out.collect(
        new Prediction(
            Learnable.GLOBAL,
            event.userId,
            0,
            0,
            config.scale().clamp(prediction),
            event.value,
            event.eventTimeMillis,
            model.version()));
    if (model.eventsSinceCheckpoint() >= config.checkpointEveryEvents()) {
      emitCheckpoint(ctx);
    } else if (!timerPending) {
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().registerProcessingTimeTimer(now + config.checkpointEveryMillis());
      timerPending = true;
    }
  }

  @Override
  public void processElement2(ItemMetadata item, Context ctx, Collector<Prediction> out) {
    model.describeItem(item.getItemId(), ItemDescriptions.of(space, item));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) {
    timerPending = false;
    emitCheckpoint(ctx);
  }

  private void emitCheckpoint(Context ctx) {
    GradientCheckpoint checkpoint = model.closeCheckpoint(System.currentTimeMillis());
    if (checkpoint != null) {
      version = checkpoint.getVersion();
      ctx.output(Descriptors.CHECKPOINTS, checkpoint);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(model.snapshot()));
  }
}
