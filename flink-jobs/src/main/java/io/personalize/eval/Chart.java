package io.personalize.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * A PNG bar chart of the run's main metric (RMSE for ratings, log loss for likes) per user group,
 * one bar per mode, so the modes can be compared group by group at a glance.
 */
public final class Chart {
  private Chart() {}

  public static Path writePng(Summary summary, Path dir) throws IOException {
    // The top-N protocols have only recommenders; the demo has both and charts the modes.
    if (summary.modes().isEmpty() && !summary.recommenders().isEmpty()) {
      return writeRecommenders(summary, dir);
    }
    Map.Entry<String, Function<Metrics, Double>> metric = mainMetric(summary);
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(560)
            .title(
                String.format(
                    "%s per user group: %s, %s protocol, %s model",
                    metric.getKey(), summary.dataset(), summary.protocol(), summary.model()))
            .xAxisTitle("user group (1 = least data)")
            .yAxisTitle(metric.getKey())
            .build();
    chart.getStyler().setYAxisDecimalPattern("0.000");
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ModeResult mode : summary.modes().values()) {
      List<String> groups = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (Metrics group : mode.groups()) {
        Double value = metric.getValue().apply(group);
        groups.add(String.valueOf(group.group()));
        values.add(value == null ? 0.0 : value);
        if (value != null) {
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
      }
      chart.addSeries(mode.mode(), groups, values);
    }
    if (min <= max) {
      // Differences between modes are small next to the metric's size: zoom on the range in use.
      double pad = Math.max(1e-3, (max - min) * 0.15);
      chart.getStyler().setYAxisMin(Math.max(0, min - pad));
      chart.getStyler().setYAxisMax(max + pad);
    }
    Path file = dir.resolve("chart.png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  /** The top-N protocols: the main hit rate per user group, one bar per recommender. */
  private static Path writeRecommenders(Summary summary, Path dir) throws IOException {
    List<RecommenderResult> results = new ArrayList<>(summary.recommenders().values());
    String key = results.get(0).groups().get(0).metrics().keySet().iterator().next();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(560)
            .title(
                String.format(
                    "%s per user group by recommender: %s, %s protocol",
                    key, summary.dataset(), summary.protocol()))
            .xAxisTitle("user group (1 = least data)")
            .yAxisTitle(key)
            .build();
    chart.getStyler().setYAxisDecimalPattern("0.000");
    chart.getStyler().setYAxisMin(0.0);
    for (RecommenderResult r : results) {
      List<String> groups = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (RecommenderResult.Group g : r.groups()) {
        Double value = g.metrics().get(key);
        groups.add(String.valueOf(g.group()));
        values.add(value == null || value.isNaN() ? 0.0 : value);
      }
      chart.addSeries(r.recommender(), groups, values);
    }
    Path file = dir.resolve("chart.png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  static Map.Entry<String, Function<Metrics, Double>> mainMetric(Summary summary) {
    for (Map.Entry<String, Function<Metrics, Double>> metric : Report.METRICS.entrySet()) {
      boolean present =
          summary.modes().values().stream()
              .anyMatch(m -> metric.getValue().apply(m.overall()) != null);
      if (present && !metric.getKey().startsWith("MAE")) {
        return metric;
      }
    }
    throw new IllegalStateException("no metric to chart");
  }
}
