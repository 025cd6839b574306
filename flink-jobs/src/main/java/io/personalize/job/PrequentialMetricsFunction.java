package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MAX_USERS;
import static io.personalize.job.config.PersonalizeOptions.METRICS_INTERVAL;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;

import io.personalize.avro.MetricSnapshot;
import io.personalize.job.config.JobConfig;
import io.personalize.model.Mode;
import io.personalize.online.Prediction;
import io.personalize.online.PrequentialScoreboard;
import io.personalize.online.ScoreboardSnapshot;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prequential RMSE and MAE per mode and user group, and HR@k and MRR@k of the recommender's lists
 * (parallelism 1), a thin adapter around {@link PrequentialScoreboard}. Every {@code
 * metrics.interval} of processing time while predictions arrive, and once more when a bounded input
 * ends ({@link PrequentialMetricsOperator}), the figures go out as {@link MetricSnapshot}s, to the
 * log as a table, and to Flink metrics as one RMSE gauge per mode. It uses no event-time timer: a
 * watermark at the end of time (which a quiet input can produce) must not fire anything here.
 */
public class PrequentialMetricsFunction
    extends KeyedProcessFunction<Integer, Prediction, MetricSnapshot>
    implements CheckpointedFunction, CheckpointListener {
  private static final Logger LOG = LoggerFactory.getLogger(PrequentialMetricsFunction.class);

  private final JobConfig config;
  private transient PrequentialScoreboard scoreboard;
  private transient boolean timerPending;
  private transient ListState<ScoreboardSnapshot> stored;

  public PrequentialMetricsFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    scoreboard =
        new PrequentialScoreboard(
            config.model().groups(), config.get(MAX_USERS), config.millis(USER_IDLE_EXPIRY));
    stored = context.getOperatorStateStore().getListState(Descriptors.metricsState());
    for (ScoreboardSnapshot s : stored.get()) {
      scoreboard.restore(s);
    }
    OperatorSnapshots.release(stored);
  }

  @Override
  public void open(OpenContext context) {
    for (Mode mode : Mode.STREAM) {
      getRuntimeContext()
          .getMetricGroup()
          .gauge("rmse-" + mode.label(), () -> scoreboard.lastRmse(mode.label()));
    }
    getRuntimeContext().getMetricGroup().gauge("metrics-users", () -> (long) scoreboard.users());
    getRuntimeContext().getMetricGroup().gauge("metrics-users-left", scoreboard::usersLeft);
  }

  @Override
  public void processElement(Prediction p, Context ctx, Collector<MetricSnapshot> out) {
    scoreboard.add(p);
    if (!timerPending) {
      long now = ctx.timerService().currentProcessingTime();
      scoreboard.startWindow(now); // the first window starts with its first prediction
      ctx.timerService().registerProcessingTimeTimer(now + config.millis(METRICS_INTERVAL));
      timerPending = true;
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricSnapshot> out) {
    timerPending = false;
    publish(ctx.timerService().currentProcessingTime(), out);
  }

  /** Publishes the figures now; called on the timer and at the end of a bounded input. */
  void publish(long nowMillis, Collector<MetricSnapshot> out) {
    List<PrequentialScoreboard.Row> rows = scoreboard.report(nowMillis);
    String model = config.model().kind().name().toLowerCase(Locale.ROOT);
    for (PrequentialScoreboard.Row row : rows) {
      out.collect(snapshot(model, row));
    }
    if (!rows.isEmpty()) {
      LOG.info("{}", scoreboard.table(rows));
    }
  }

  private static MetricSnapshot snapshot(String model, PrequentialScoreboard.Row row) {
    boolean any = row.events() > 0;
    if (row.isTopN()) {
      return MetricSnapshot.newBuilder()
          .setModel(model)
          .setMode(row.mode())
          .setGroup(row.group())
          .setCumulative(row.cumulative())
          .setWindowStartMillis(row.startMillis())
          .setWindowEndMillis(row.endMillis())
          .setEvents(row.events())
          .setUsers(row.users())
          .setRmse(null)
          .setMae(null)
          .setLogloss(null)
          .setAuc(null)
          .setK(row.k())
          .setHitRate(any ? row.hitRate() : null)
          .setMrr(any ? row.mrr() : null)
          .build();
    }
    return MetricSnapshot.newBuilder()
        .setModel(model)
        .setMode(row.mode())
        .setGroup(row.group())
        .setCumulative(row.cumulative())
        .setWindowStartMillis(row.startMillis())
        .setWindowEndMillis(row.endMillis())
        .setEvents(row.events())
        .setUsers(row.users())
        .setRmse(any ? row.rmse() : null)
        .setMae(any ? row.mae() : null)
        .setLogloss(null)
        .setAuc(null)
        .build();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(scoreboard.snapshot()));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    OperatorSnapshots.release(stored);
  }
}
