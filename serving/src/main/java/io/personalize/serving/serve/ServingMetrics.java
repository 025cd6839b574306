package io.personalize.serving.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The server's Prometheus metrics: requests by endpoint and status, request latency by endpoint (a
 * classic histogram from 0.25 ms to 1 s), lists and items held, the age of the fallback, and per
 * topic the records read, rejected and not read yet (lag).
 */
final class ServingMetrics {
  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests =
      Counter.builder()
          .name("personalize_serve_requests_total")
          .help("HTTP requests answered, by endpoint and status code")
          .labelNames("endpoint", "status")
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("personalize_serve_request_duration_seconds")
          .help("Time from reading a request to its answer being sent, by endpoint")
          .labelNames("endpoint")
          .classicOnly()
          .classicUpperBounds(
              0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
          .register(registry);

  ServingMetrics(ListStore lists, ItemCatalog items, List<TopicFollower> followers) {
    GaugeWithCallback.builder()
        .name("personalize_serve_lists")
        .help("Users with a published list held in memory")
        .callback(cb -> cb.call(lists.size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("personalize_serve_items")
        .help("Items with metadata (titles) held in memory")
        .callback(cb -> cb.call(items.size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("personalize_serve_fallback_age_seconds")
        .help("Age of the global fallback list (-1: none received yet)")
        .callback(
            cb -> {
              ServedList fallback = lists.fallback();
              cb.call(
                  fallback == null
                      ? -1
                      : (System.currentTimeMillis() - fallback.generatedAtMillis()) / 1000.0);
            })
        .register(registry);
    perTopic(
        followers,
        "personalize_serve_topic_lag_records",
        "Records in the topic not read yet (-1: topic not found yet)",
        TopicFollower::lag);
    perTopic(
        followers,
        "personalize_serve_topic_records",
        "Records read from the topic since the start",
        TopicFollower::records);
    perTopic(
        followers,
        "personalize_serve_topic_rejected_records",
        "Records of the topic that could not be read (skipped, logged)",
        TopicFollower::rejected);
  }

  private void perTopic(
      List<TopicFollower> followers,
      String name,
      String help,
      ToLongFunction<TopicFollower> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("topic")
        .callback(
            cb -> {
              for (TopicFollower f : followers) {
                cb.call(value.applyAsLong(f), f.topic());
              }
            })
        .register(registry);
  }

  void observe(String endpoint, int status, long nanos) {
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    latency.labelValues(endpoint).observe(nanos / 1e9);
  }

  /** Every metric in the Prometheus text format. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
