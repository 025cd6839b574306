package io.personalize.job;

import static io.personalize.job.config.RecommendationOptions.GRAPH_UPDATES_EVERY;
import static io.personalize.job.config.RecommendationOptions.GRAPH_UPDATES_EVERY_CHANGES;

import io.personalize.graph.GraphDelta;
import io.personalize.graph.GraphDeltaBuilder;
import io.personalize.job.config.JobConfig;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Closes the graph operator's changes into versioned {@link GraphDelta}s (parallelism 1: versions
 * form one sequence), every {@code graph-updates.every-changes} changed lists or {@code
 * graph-updates.every} of processing time, whichever comes first. A thin adapter around {@link
 * GraphDeltaBuilder}; the changes not closed yet are operator state.
 */
public class GraphDeltaFunction extends KeyedProcessFunction<Integer, ItemEdgesChange, GraphDelta>
    implements CheckpointedFunction {
  private final JobConfig config;
  private transient GraphDeltaBuilder builder;
  private transient ListState<GraphDelta> stored;
  private transient boolean timerPending;
  private transient int changesPerDelta;
  private transient volatile long version;

  public GraphDeltaFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    builder = new GraphDeltaBuilder();
    stored = context.getOperatorStateStore().getListState(Descriptors.openGraphDelta());
    for (GraphDelta open : stored.get()) {
      builder.restore(open);
    }
    version = builder.version();
  }

  @Override
  public void open(OpenContext context) {
    getRuntimeContext().getMetricGroup().gauge("graph-version", () -> version);
    changesPerDelta = config.get(GRAPH_UPDATES_EVERY_CHANGES);
  }

  @Override
  public void processElement(ItemEdgesChange change, Context ctx, Collector<GraphDelta> out) {
    builder.listChanged(change.itemId, change.edges, change.eventTimeMillis);
    if (builder.pending() >= changesPerDelta) {
      emit(out);
    } else if (!timerPending) {
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().registerProcessingTimeTimer(now + config.millis(GRAPH_UPDATES_EVERY));
      timerPending = true;
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<GraphDelta> out) {
    timerPending = false;
    emit(out);
  }

  /** Closes what is pending; also called when a bounded input ends. */
  void emit(Collector<GraphDelta> out) {
    GraphDelta delta = builder.close(System.currentTimeMillis());
    if (delta != null) {
      version = delta.version;
      out.collect(delta);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(builder.snapshot()));
  }
}
