package io.personalize.serving.serve;

import io.personalize.avro.MetricSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job's prequential quality over time, from the metrics topic: for every mode (and recommender)
 * and user group, the cumulative snapshots as points of a line (events scored, then the metrics),
 * at most {@link #MAX_POINTS} per line (every other point dropped when full, so a line always spans
 * the whole run), and the events scored per second while the job runs.
 */
final class QualityHistory {
  static final int MAX_POINTS = 400;
  private static final long RATE_WINDOW_MILLIS = 30_000;
  private static final long MIN_RATE_SPAN_MILLIS = 2_000;

  /** One cumulative snapshot: events scored and the metrics that apply (null: not applicable). */
  record Point(
      long events,
      Double rmse,
      Double mae,
      Double logloss,
      Double auc,
      Double hitRate,
      Double mrr) {}

  /** A line of the chart: one mode or recommender, one group (0: all users). */
  record Series(String name, int group, int k, List<Point> points) {}

  private final Map<String, Series> series = new TreeMap<>();
  private final List<long[]> rate = new ArrayList<>(); // {received at, events} of group 0
  private String rateMode;
  private int groups;

  synchronized void accept(byte[] key, byte[] value) {
    if (value == null) {
      return;
    }
    MetricSnapshot m = RecordValues.decode(MetricSnapshot.class, value);
    if (!m.getCumulative()) {
      return;
    }
    groups = Math.max(groups, m.getGroup());
    String name = m.getMode();
    Series line =
        series.computeIfAbsent(
            name + "/" + m.getGroup(),
            x -> new Series(name, m.getGroup(), m.getK(), new ArrayList<>()));
    List<Point> points = line.points();
    if (!points.isEmpty() && points.get(points.size() - 1).events() == m.getEvents()) {
      points.remove(points.size() - 1); // the same count again: keep the newest values
    }
    points.add(
        new Point(
            m.getEvents(),
            m.getRmse(),
            m.getMae(),
            m.getLogloss(),
            m.getAuc(),
            m.getHitRate(),
            m.getMrr()));
    if (points.size() > MAX_POINTS) {
      thin(points);
    }
    if (m.getGroup() == 0 && m.getK() == 0) {
      countRate(name, m.getEvents());
    }
  }

  /** Drops every other point but the last. */
  private static void thin(List<Point> points) {
    List<Point> kept = new ArrayList<>(points.size() / 2 + 1);
    for (int n = 0; n < points.size() - 1; n += 2) {
      kept.add(points.get(n));
    }
    kept.add(points.get(points.size() - 1));
    points.clear();
    points.addAll(kept);
  }

  /** Events scored per second, from the first mode's all-users snapshots as they arrive. */
  private void countRate(String mode, long events) {
    if (rateMode == null) {
      rateMode = mode;
    }
    if (!rateMode.equals(mode)) {
      return;
    }
    long now = System.currentTimeMillis();
    rate.add(new long[] {now, events});
    rate.removeIf(r -> now - r[0] > RATE_WINDOW_MILLIS);
  }

  /**
   * Events scored per second over the last 30 s of snapshots; null without two of them at least 2 s
   * apart.
   */
  synchronized Double eventsPerSecond() {
    long now = System.currentTimeMillis();
    rate.removeIf(r -> now - r[0] > RATE_WINDOW_MILLIS);
    if (rate.size() < 2) {
      return null;
    }
    long[] first = rate.get(0);
    long[] last = rate.get(rate.size() - 1);
    // Snapshots read in a burst (a restart reading the topic's history) say nothing of the rate.
    return last[0] - first[0] < MIN_RATE_SPAN_MILLIS
        ? null
        : (last[1] - first[1]) * 1000.0 / (last[0] - first[0]);
  }

  /** Events scored by the first mode (all users); 0 before any snapshot. */
  synchronized long eventsScored() {
    Series all = rateMode == null ? null : series.get(rateMode + "/0");
    return all == null || all.points().isEmpty()
        ? 0
        : all.points().get(all.points().size() - 1).events();
  }

  /** The chart's data: groups, and every line with a copy of its points. */
  synchronized Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("groups", groups);
    List<Series> lines = new ArrayList<>();
    for (Series s : series.values()) {
      lines.add(new Series(s.name(), s.group(), s.k(), List.copyOf(s.points())));
    }
    out.put("series", lines);
    return out;
  }
}
