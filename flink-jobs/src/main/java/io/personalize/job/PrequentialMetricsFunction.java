package io.personalize.job;

import io.personalize.avro.MetricSnapshot;
import io.personalize.model.Coordinator;
import io.personalize.model.GroupBoundaries;
import io.personalize.stream.Prediction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prequential RMSE and MAE per mode and user group (parallelism 1). Cumulative figures group users
 * by their current event count under boundaries computed from all users' counts, the evaluator's
 * grouping at the end of a run; windowed figures cover the predictions since the previous
 * publication, grouped by the group the user had when scored. Every {@code metricsIntervalMillis}
 * (and once more when a bounded input ends) the figures go out as {@link MetricSnapshot}s, to the
 * log as a table, and to Flink metrics as one RMSE gauge per mode.
 *
 * <p>State: three numbers per mode and user, and one count per user, for at most {@code
 * maxGlobalUsers} users (least recently scored dropped first).
 */
public class PrequentialMetricsFunction
    extends KeyedProcessFunction<Integer, Prediction, MetricSnapshot>
    implements CheckpointedFunction {
  private static final Logger LOG = LoggerFactory.getLogger(PrequentialMetricsFunction.class);
  private static final List<String> MODES =
      List.of(Learnable.GLOBAL, Learnable.LOCAL, Learnable.MTL, Learnable.ADAPTIVE);

  private final JobConfig config;
  private transient LinkedHashMap<String, Long> userEvents;
  private transient Map<String, Map<String, double[]>> errors;
  private transient Map<String, double[][]> window;
  private transient Map<String, Double> rmseByMode;
  private transient long windowStart;
  private transient boolean timerPending;
  private transient ListState<MetricsSnapshotState> stored;

  public PrequentialMetricsFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    userEvents =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            if (size() > config.maxGlobalUsers()) {
              errors.values().forEach(perUser -> perUser.remove(eldest.getKey()));
              return true;
            }
            return false;
          }
        };
    errors = new HashMap<>();
    window = new HashMap<>();
    rmseByMode = new java.util.concurrent.ConcurrentHashMap<>();
    for (String mode : MODES) {
      errors.put(mode, new HashMap<>());
      window.put(mode, new double[config.model().groups() + 1][3]);
    }
    stored = context.getOperatorStateStore().getListState(Descriptors.metricsState());
    for (MetricsSnapshotState s : stored.get()) {
      for (int u = 0; u < s.users.length; u++) {
        userEvents.put(s.users[u], s.userEvents[u]);
      }
      for (int m = 0; m < s.modes.length; m++) {
        Map<String, double[]> perUser = errors.computeIfAbsent(s.modes[m], x -> new HashMap<>());
        for (int u = 0; u < s.users.length; u++) {
          double[] e = java.util.Arrays.copyOfRange(s.errors[m], 3 * u, 3 * u + 3);
          if (e[2] > 0) {
            perUser.put(s.users[u], e);
          }
        }
      }
    }
  }

  @Override
  public void open(OpenContext context) {
    for (String mode : MODES) {
      getRuntimeContext()
          .getMetricGroup()
          .gauge("rmse-" + mode, () -> rmseByMode.getOrDefault(mode, Double.NaN));
    }
  }

  @Override
  public void processElement(Prediction p, Context ctx, Collector<MetricSnapshot> out) {
    if (p.userEvents > 0) {
      userEvents.merge(p.userId, p.userEvents, Math::max);
    } else {
      userEvents.putIfAbsent(p.userId, 0L);
    }
    double e = p.prediction - p.label;
    double[] acc =
        errors
            .computeIfAbsent(p.mode, m -> new HashMap<>())
            .computeIfAbsent(p.userId, u -> new double[3]);
    acc[0] += e * e;
    acc[1] += Math.abs(e);
    acc[2] += 1;
    double[][] w = window.computeIfAbsent(p.mode, m -> new double[config.model().groups() + 1][3]);
    for (int g : new int[] {0, Math.max(1, Math.min(config.model().groups(), p.group))}) {
      w[g][0] += e * e;
      w[g][1] += Math.abs(e);
      w[g][2] += 1;
    }
    if (!timerPending) {
      long now = ctx.timerService().currentProcessingTime();
      if (windowStart == 0) {
        windowStart = now;
      }
      ctx.timerService().registerProcessingTimeTimer(now + config.metricsIntervalMillis());
      // Fires when a bounded input ends (the watermark jumps to the end of time): a last report.
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
      timerPending = true;
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricSnapshot> out) {
    timerPending = false;
    publish(ctx.timerService().currentProcessingTime(), out);
  }

  private void publish(long now, Collector<MetricSnapshot> out) {
    int groups = config.model().groups();
    long[] counts = userEvents.values().stream().mapToLong(Long::longValue).toArray();
    GroupBoundaries boundaries = Coordinator.boundaries(0, groups, counts);
    Map<String, Integer> groupOf = new HashMap<>();
    userEvents.forEach((user, count) -> groupOf.put(user, boundaries.groupOf(Math.max(1, count))));
    StringBuilder table = new StringBuilder("prequential RMSE by group (1 = least data):\n");
    table.append(String.format("%-9s", "mode"));
    for (int g = 1; g <= groups; g++) {
      table.append(String.format(" %8s", "g" + g));
    }
    table.append(String.format(" %8s %9s%n", "all", "events"));
    for (String mode : MODES) {
      Map<String, double[]> perUser = errors.get(mode);
      if (perUser == null || perUser.isEmpty()) {
        continue;
      }
      double[][] byGroup = new double[groups + 1][3];
      long[] users = new long[groups + 1];
      perUser.forEach(
          (user, acc) -> {
            int g = groupOf.getOrDefault(user, 1);
            for (int slot : new int[] {0, g}) {
              byGroup[slot][0] += acc[0];
              byGroup[slot][1] += acc[1];
              byGroup[slot][2] += acc[2];
              users[slot]++;
            }
          });
      table.append(String.format("%-9s", mode));
      for (int g = 0; g <= groups; g++) {
        out.collect(snapshot(mode, g, true, 0, now, byGroup[g], users[g]));
        if (g > 0) {
          table.append(String.format(" %8s", format(byGroup[g])));
        }
      }
      table.append(String.format(" %8s %9d%n", format(byGroup[0]), (long) byGroup[0][2]));
      rmseByMode.put(mode, Math.sqrt(byGroup[0][0] / byGroup[0][2]));
      double[][] w = window.get(mode);
      for (int g = 0; g <= groups; g++) {
        if (w[g][2] > 0) {
          out.collect(snapshot(mode, g, false, windowStart, now, w[g], -1));
        }
        w[g] = new double[3];
      }
    }
    windowStart = now;
    LOG.info("{}", table);
  }

  private MetricSnapshot snapshot(
      String mode, int group, boolean cumulative, long start, long end, double[] acc, long users) {
    boolean any = acc[2] > 0;
    return MetricSnapshot.newBuilder()
        .setModel(config.model().kind().name().toLowerCase(java.util.Locale.ROOT))
        .setMode(mode)
        .setGroup(group)
        .setCumulative(cumulative)
        .setWindowStartMillis(start)
        .setWindowEndMillis(end)
        .setEvents((long) acc[2])
        .setUsers(Math.max(0, users))
        .setRmse(any ? Math.sqrt(acc[0] / acc[2]) : null)
        .setMae(any ? acc[1] / acc[2] : null)
        .setLogloss(null)
        .setAuc(null)
        .build();
  }

  private static String format(double[] acc) {
    return acc[2] == 0 ? "-" : String.format("%.4f", Math.sqrt(acc[0] / acc[2]));
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    MetricsSnapshotState s = new MetricsSnapshotState();
    s.users = userEvents.keySet().toArray(new String[0]);
    s.userEvents = new long[s.users.length];
    for (int u = 0; u < s.users.length; u++) {
      s.userEvents[u] = userEvents.get(s.users[u]);
    }
    List<String> modes = new ArrayList<>(errors.keySet());
    s.modes = modes.toArray(new String[0]);
    s.errors = new double[modes.size()][];
    for (int m = 0; m < modes.size(); m++) {
      double[] flat = new double[3 * s.users.length];
      Map<String, double[]> perUser = errors.get(modes.get(m));
      for (int u = 0; u < s.users.length; u++) {
        double[] acc = perUser.get(s.users[u]);
        if (acc != null) {
          System.arraycopy(acc, 0, flat, 3 * u, 3);
        }
      }
      s.errors[m] = flat;
    }
    stored.update(List.of(s));
  }
}
