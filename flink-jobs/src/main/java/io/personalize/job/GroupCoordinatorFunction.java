package io.personalize.job;

import io.personalize.avro.GroupBoundaries;
import io.personalize.model.Coordinator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The group coordinator (Algorithm 3.1 in a stream; parallelism 1): counts every user's learned
 * events and, every {@code regroupEveryEvents} events, recomputes the boundaries (d_min, d_max of
 * the log counts) and broadcasts them when they changed. Each user then computes its own group from
 * its own count. It reads the validated events itself rather than counts from the per-user
 * operator, which would make a cycle. Counts of at most {@code maxGlobalUsers} users are kept (the
 * least recently seen dropped first), the same bound as the global operator's user rows.
 */
public class GroupCoordinatorFunction
    extends KeyedProcessFunction<Integer, ValidEvent, GroupBoundaries>
    implements CheckpointedFunction {
  private final JobConfig config;
  private transient LinkedHashMap<String, Long> counts;

  /** How many users have each count: the minimum and maximum count in O(log n). */
  private transient TreeMap<Long, Long> histogram;

  private transient long version;
  private transient long eventsSinceRegroup;

  /** The boundaries last sent; a transient field's initializer would not run after shipping. */
  private transient double emittedMin;

  private transient double emittedMax;
  private transient ListState<CountsSnapshot> stored;

  public GroupCoordinatorFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    histogram = new TreeMap<>();
    emittedMin = Double.NaN;
    emittedMax = Double.NaN;
    counts =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            if (size() > config.maxGlobalUsers()) {
              decrement(eldest.getValue());
              return true;
            }
            return false;
          }
        };
    stored = context.getOperatorStateStore().getListState(Descriptors.userCounts());
    for (CountsSnapshot snapshot : stored.get()) {
      for (int u = 0; u < snapshot.users.length; u++) {
        counts.put(snapshot.users[u], snapshot.counts[u]);
        histogram.merge(snapshot.counts[u], 1L, Long::sum);
      }
      version = snapshot.version;
      eventsSinceRegroup = snapshot.eventsSinceRegroup;
      emittedMin = snapshot.emittedMin;
      emittedMax = snapshot.emittedMax;
    }
  }

  @Override
  public void processElement(ValidEvent event, Context ctx, Collector<GroupBoundaries> out) {
    if (!Learnable.isRating(event)) {
      return;
    }
    Long previous = counts.get(event.userId);
    if (previous != null) {
      decrement(previous);
    }
    long count = previous == null ? 1 : previous + 1;
    counts.put(event.userId, count);
    histogram.merge(count, 1L, Long::sum);
    if (++eventsSinceRegroup >= config.regroupEveryEvents()) {
      eventsSinceRegroup = 0;
      long min = histogram.firstKey();
      long max = histogram.lastKey();
      io.personalize.model.GroupBoundaries b =
          Coordinator.boundaries(version + 1, config.model().groups(), new long[] {min, max});
      if (b.logCountMin() != emittedMin || b.logCountMax() != emittedMax) {
        version++;
        emittedMin = b.logCountMin();
        emittedMax = b.logCountMax();
        out.collect(
            GroupBoundaries.newBuilder()
                .setVersion(version)
                .setGroups(b.groups())
                .setLogCountMin(b.logCountMin())
                .setLogCountMax(b.logCountMax())
                .setUsers(counts.size())
                .setComputedAtMillis(System.currentTimeMillis())
                .build());
      }
    }
  }

  private void decrement(long count) {
    histogram.computeIfPresent(count, (c, users) -> users == 1 ? null : users - 1);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    CountsSnapshot snapshot = new CountsSnapshot();
    snapshot.users = counts.keySet().toArray(new String[0]);
    snapshot.counts = new long[snapshot.users.length];
    for (int u = 0; u < snapshot.users.length; u++) {
      snapshot.counts[u] = counts.get(snapshot.users[u]);
    }
    snapshot.version = version;
    snapshot.eventsSinceRegroup = eventsSinceRegroup;
    snapshot.emittedMin = emittedMin;
    snapshot.emittedMax = emittedMax;
    stored.update(List.of(snapshot));
  }
}
