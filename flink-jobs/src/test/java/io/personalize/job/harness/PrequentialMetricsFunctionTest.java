package io.personalize.job.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.avro.MetricSnapshot;
import io.personalize.job.PrequentialMetricsFunction;
import io.personalize.job.PrequentialMetricsOperator;
import io.personalize.job.config.JobConfig;
import io.personalize.online.Prediction;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PrequentialMetricsFunction}: every {@code metricsIntervalMillis} of processing time, per
 * mode, one cumulative snapshot per group (0 = all users, then 1..C under boundaries from the
 * users' current counts) and one windowed snapshot per group that had predictions since the last
 * publication; a last report when a bounded input ends ({@link PrequentialMetricsOperator}), and
 * nothing at all on a watermark at the end of time; cumulative errors that survive a restore. Every
 * expected number is worked out by hand in the comments.
 */
class PrequentialMetricsFunctionTest {
  private static final long INTERVAL = 1_000;
  private static final JobConfig CONFIG = Fixtures.config(100, 1_000, 1_000, INTERVAL, 86_400_000L);
  private static final int GROUPS = CONFIG.model().groups();
  private static final long START = 10_000;

  private KeyedOneInputStreamOperatorTestHarness<Integer, Prediction, MetricSnapshot> harness;

  private static KeyedOneInputStreamOperatorTestHarness<Integer, Prediction, MetricSnapshot> open(
      OperatorSubtaskState restored) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<Integer, Prediction, MetricSnapshot>(
            new PrequentialMetricsOperator(new PrequentialMetricsFunction(CONFIG)),
            p -> 0,
            Types.INT);
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static Prediction global(String user, double prediction, double label) {
    return new Prediction("global", user, 0, 0, prediction, label, 0, 0);
  }

  private static Prediction adaptive(
      String user, long userEvents, double prediction, double label) {
    return new Prediction("adaptive", user, userEvents, 1, prediction, label, 0, 0);
  }

  private void send(Prediction... predictions) throws Exception {
    for (Prediction p : predictions) {
      harness.processElement(p, 0);
    }
  }

  /** The one snapshot of {@code mode}, {@code group} and kind among {@code out}. */
  private static MetricSnapshot find(
      List<MetricSnapshot> out, String mode, int group, boolean cumulative) {
    List<MetricSnapshot> found =
        out.stream()
            .filter(
                m ->
                    m.getMode().equals(mode)
                        && m.getGroup() == group
                        && m.getCumulative() == cumulative)
            .toList();
    assertThat(found).as(mode + " g" + group + (cumulative ? " cumulative" : " window")).hasSize(1);
    return found.get(0);
  }

  private static void assertMetric(
      MetricSnapshot m, long events, long users, double rmse, double mae) {
    assertThat(m.getEvents()).isEqualTo(events);
    assertThat(m.getUsers()).isEqualTo(users);
    assertThat(m.getRmse()).isCloseTo(rmse, within(1e-12));
    assertThat(m.getMae()).isCloseTo(mae, within(1e-12));
    assertThat(m.getModel()).isEqualTo("hybrid");
    assertThat(m.getLogloss()).isNull();
    assertThat(m.getAuc()).isNull();
  }

  private static void assertEmpty(MetricSnapshot m) {
    assertThat(m.getEvents()).isZero();
    assertThat(m.getUsers()).isZero();
    assertThat(m.getRmse()).isNull();
    assertThat(m.getMae()).isNull();
  }

  private List<MetricSnapshot> since(int from) {
    List<MetricSnapshot> all = harness.extractOutputValues();
    return all.subList(from, all.size());
  }

  /**
   * Two users with known errors. global: a 3 vs 4 (e = -1), b 5 vs 3 (e = 2). adaptive: a 3.5 vs 4
   * (-0.5) and 4.5 vs 4 (0.5) with counts 1 and 2, b 2 vs 3 (-1) with count 1.
   */
  private void twoUsers() throws Exception {
    send(
        global("a", 3, 4),
        adaptive("a", 1, 3.5, 4),
        global("b", 5, 3),
        adaptive("b", 1, 2, 3),
        adaptive("a", 2, 4.5, 4));
  }

  @Test
  void publishesExactCumulativeAndWindowedFiguresEveryInterval() throws Exception {
    harness = open(null);
    harness.setProcessingTime(START);
    twoUsers();
    harness.setProcessingTime(START + INTERVAL - 1);
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.setProcessingTime(START + INTERVAL);

    List<MetricSnapshot> out = harness.extractOutputValues();
    // Per mode seen: C + 1 cumulative (groups 0..C), windowed for group 0 and group 1.
    assertThat(out).hasSize(2 * (GROUPS + 1 + 2));
    assertThat(out).extracting(MetricSnapshot::getMode).containsOnly("global", "adaptive");
    // Cumulative groups from the current counts: a has 2 events, b 1, so d_min = log 1,
    // d_max = log 2: b is in group 1, a in group C.
    // global, all: sse = 1 + 4 = 5 over 2, sae = 1 + 2 = 3 over 2
    assertMetric(find(out, "global", 0, true), 2, 2, Math.sqrt(5.0 / 2), 1.5);
    assertMetric(find(out, "global", 1, true), 1, 1, 2, 2);
    assertMetric(find(out, "global", GROUPS, true), 1, 1, 1, 1);
    // adaptive, all: sse = 0.25 + 0.25 + 1 = 1.5 over 3, sae = 0.5 + 0.5 + 1 = 2 over 3
    assertMetric(find(out, "adaptive", 0, true), 3, 2, Math.sqrt(1.5 / 3), 2.0 / 3);
    assertMetric(find(out, "adaptive", 1, true), 1, 1, 1, 1);
    assertMetric(find(out, "adaptive", GROUPS, true), 2, 1, 0.5, 0.5);
    for (int g = 2; g < GROUPS; g++) {
      assertEmpty(find(out, "global", g, true));
      assertEmpty(find(out, "adaptive", g, true));
    }
    MetricSnapshot cumulative = find(out, "adaptive", 0, true);
    assertThat(cumulative.getWindowStartMillis()).isZero();
    assertThat(cumulative.getWindowEndMillis()).isEqualTo(START + INTERVAL);

    // Windowed: grouped by the group at scoring time (global predictions carry none: the group of
    // the user's count, group 1 for both here), each user counted once.
    MetricSnapshot window = find(out, "global", 0, false);
    assertMetric(window, 2, 2, Math.sqrt(5.0 / 2), 1.5);
    assertThat(window.getWindowStartMillis()).isEqualTo(START);
    assertThat(window.getWindowEndMillis()).isEqualTo(START + INTERVAL);
    assertMetric(find(out, "global", 1, false), 2, 2, Math.sqrt(5.0 / 2), 1.5);
    assertMetric(find(out, "adaptive", 0, false), 3, 2, Math.sqrt(1.5 / 3), 2.0 / 3);
    assertMetric(find(out, "adaptive", 1, false), 3, 2, Math.sqrt(1.5 / 3), 2.0 / 3);

    // Second interval: one more user, adaptive only: c 1 vs 5 (e = -4).
    int published = out.size();
    harness.processElement(adaptive("c", 1, 1, 5), 0);
    harness.setProcessingTime(START + 2 * INTERVAL);
    List<MetricSnapshot> next = since(published);
    // global: cumulative only (nothing new in its window); adaptive: cumulative and window.
    assertThat(next).hasSize(GROUPS + 1 + GROUPS + 1 + 2);
    // adaptive, all: sse = 1.5 + 16 = 17.5 over 4, sae = 2 + 4 = 6 over 4
    assertMetric(find(next, "adaptive", 0, true), 4, 3, Math.sqrt(17.5 / 4), 1.5);
    assertMetric(find(next, "global", 0, true), 2, 2, Math.sqrt(5.0 / 2), 1.5);
    MetricSnapshot secondWindow = find(next, "adaptive", 0, false);
    assertMetric(secondWindow, 1, 1, 4, 4);
    assertThat(secondWindow.getWindowStartMillis()).isEqualTo(START + INTERVAL);
    assertThat(secondWindow.getWindowEndMillis()).isEqualTo(START + 2 * INTERVAL);
    assertThat(next.stream().filter(m -> m.getMode().equals("global") && !m.getCumulative()))
        .isEmpty();

    // Nothing new: no timer, nothing published.
    int all = harness.extractOutputValues().size();
    harness.setProcessingTime(START + 10 * INTERVAL);
    assertThat(harness.extractOutputValues()).hasSize(all);
  }

  /**
   * Regression: the function used to register an event-time timer at {@code Long.MAX_VALUE}; a
   * watermark at the end of time (the items stream going quiet) fired it, and the report it
   * published carried the timestamp {@code Long.MAX_VALUE}, which the Kafka sink rejected, failing
   * the job. Now the end of time fires nothing here.
   */
  @Test
  void endOfTimeWatermarkPublishesNothing() throws Exception {
    harness = open(null);
    harness.setProcessingTime(START);
    twoUsers();

    harness.processWatermark(Long.MAX_VALUE);

    assertThat(harness.extractOutputStreamRecords())
        .as("records published on the end-of-time watermark")
        .isEmpty();
    assertThat(harness.numEventTimeTimers()).as("event-time timers").isZero();
    // The periodic report still comes, on processing time, without a timestamp.
    harness.setProcessingTime(START + INTERVAL);
    assertThat(harness.extractOutputStreamRecords())
        .hasSize(2 * (GROUPS + 1 + 2))
        .noneMatch(StreamRecord::hasTimestamp);
  }

  @Test
  void endOfABoundedInputPublishesTheFinalReport() throws Exception {
    harness = open(null);
    harness.setProcessingTime(START);
    twoUsers();
    harness.processWatermark(Long.MAX_VALUE);
    harness.setProcessingTime(START + 300);

    harness.endInput();

    List<StreamRecord<? extends MetricSnapshot>> records = harness.extractOutputStreamRecords();
    assertThat(records)
        .as("no timestamp, least of all the end of time")
        .noneMatch(r -> r.hasTimestamp());
    List<MetricSnapshot> out = harness.extractOutputValues();
    assertThat(out).hasSize(2 * (GROUPS + 1 + 2));
    assertMetric(find(out, "global", 0, true), 2, 2, Math.sqrt(5.0 / 2), 1.5);
    assertMetric(find(out, "adaptive", 0, true), 3, 2, Math.sqrt(1.5 / 3), 2.0 / 3);
    assertMetric(find(out, "adaptive", GROUPS, true), 2, 1, 0.5, 0.5);
    assertThat(find(out, "adaptive", 0, true).getWindowEndMillis()).isEqualTo(START + 300);
    MetricSnapshot window = find(out, "adaptive", 0, false);
    assertMetric(window, 3, 2, Math.sqrt(1.5 / 3), 2.0 / 3);
    assertThat(window.getWindowStartMillis()).isEqualTo(START);
    assertThat(window.getWindowEndMillis()).isEqualTo(START + 300);
  }

  @Test
  void endOfAnInputWithoutPredictionsPublishesNothing() throws Exception {
    harness = open(null);
    harness.endInput();
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void restoreKeepsTheCumulativeErrors() throws Exception {
    harness = open(null);
    harness.setProcessingTime(START);
    send(global("a", 3, 4), adaptive("a", 1, 3.5, 4));
    harness.setProcessingTime(START + INTERVAL);
    assertThat(harness.extractOutputValues()).isNotEmpty();
    OperatorSubtaskState state = harness.snapshot(1L, 1L);
    harness.close();

    harness = open(state);
    harness.setProcessingTime(2 * START);
    send(adaptive("b", 1, 2, 3));
    harness.setProcessingTime(2 * START + INTERVAL);

    List<MetricSnapshot> out = harness.extractOutputValues();
    // adaptive, all: a -0.5 from before the restore and b -1: sse 1.25 over 2, sae 1.5 over 2
    assertMetric(find(out, "adaptive", 0, true), 2, 2, Math.sqrt(1.25 / 2), 0.75);
    // Both users have one event: equal counts put everyone in group 1.
    assertMetric(find(out, "adaptive", 1, true), 2, 2, Math.sqrt(1.25 / 2), 0.75);
    assertMetric(find(out, "global", 0, true), 1, 1, 1, 1);
    // The window holds only what came after the restore.
    MetricSnapshot window = find(out, "adaptive", 0, false);
    assertMetric(window, 1, 1, 1, 1);
    assertThat(window.getWindowStartMillis()).isEqualTo(2 * START);
  }
}
