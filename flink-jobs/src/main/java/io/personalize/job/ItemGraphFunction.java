package io.personalize.job;

import io.personalize.graph.GraphSettings;
import io.personalize.graph.ItemEdges;
import io.personalize.graph.ItemPairs;
import io.personalize.job.config.JobConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The item co-interaction graph, keyed by the item an edge leaves: each pair of an {@link
 * ItemPairs} (the item's pairs in the order they were made, {@link CombiningOperator}) adds to its
 * edge and prunes the item's list ({@link ItemEdges#add}, {@link ItemEdges#prune}: decay, the
 * minimum weight, the most neighbors), and the changed list goes to the delta builder, once per
 * record.
 *
 * <p>Freshness on event-time timers: each item has at most one timer, at the time its strongest
 * edge decays below the minimum weight ({@link ItemEdges#expiryMillis}). An add never brings that
 * time forward, so the timer is set once, when the list is created; when it fires early (the list
 * gained weight since), it moves to the new expiry; when it fires on time, the list is empty and
 * the item leaves with its state. An item whose edges all decayed keeps no state and no timer.
 */
public class ItemGraphFunction extends KeyedProcessFunction<String, ItemPairs, ItemEdgesChange> {
  private final JobConfig config;
  private transient GraphSettings settings;
  private transient ValueState<ItemEdges> edgesState;
  private transient Counter itemsExpired;

  public ItemGraphFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext context) {
    settings = config.graphSettings();
    edgesState = getRuntimeContext().getState(Descriptors.itemEdges());
    itemsExpired = getRuntimeContext().getMetricGroup().counter("graph-items-expired");
  }

  @Override
  public void processElement(ItemPairs pairs, Context ctx, Collector<ItemEdgesChange> out)
      throws Exception {
    ItemEdges edges = edgesState.value();
    boolean isNew = edges == null;
    if (isNew) {
      edges = new ItemEdges();
    }
    for (int n = 0; n < pairs.size(); n++) {
      edges.add(pairs.to[n], pairs.weights[n], pairs.timesMillis[n], settings);
      edges.prune(settings);
    }
    if (edges.isEmpty()) {
      // Too weak to keep (pairs already below the minimum weight); any timer finds no state.
      edgesState.clear();
    } else {
      edgesState.update(edges);
      if (isNew) {
        ctx.timerService().registerEventTimeTimer(edges.expiryMillis(settings));
      }
    }
    out.collect(new ItemEdgesChange(pairs.from, edges, pairs.latestMillis()));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemEdgesChange> out)
      throws Exception {
    ItemEdges edges = edgesState.value();
    if (edges == null) {
      return;
    }
    long expiry = edges.expiryMillis(settings);
    if (expiry > timestamp) {
      ctx.timerService().registerEventTimeTimer(expiry);
      return;
    }
    edgesState.clear();
    itemsExpired.inc();
    out.collect(new ItemEdgesChange(ctx.getCurrentKey(), new ItemEdges(), timestamp));
  }
}
