package io.personalize.demo;

import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.query.StateLookup;
import io.personalize.eval.Chart;
import io.personalize.eval.Report;
import io.personalize.eval.Summary;
import io.personalize.job.JobConfig;
import io.personalize.job.JobRunner;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole engine on one machine: an in-process Kafka broker, the data replayed into it, the job
 * on a local Flink with RocksDB and queryable state, the per-group prequential table read back from
 * the metrics topic while it runs, a user looked up through queryable state, and summary.json in
 * the evaluator's format at the end.
 */
public final class Demo {
  private final JobConfig config;
  private final PrintStream out;
  private final long timeoutMillis;
  private final boolean keepRunning;

  public Demo(JobConfig config, PrintStream out, long timeoutMillis) {
    this(config, out, timeoutMillis, false);
  }

  /**
   * @param keepRunning after the replay, keep the job and the broker up until the process is
   *     stopped, so {@code personalize query} can look users up
   */
  public Demo(JobConfig config, PrintStream out, long timeoutMillis, boolean keepRunning) {
    this.config = config;
    this.out = out;
    this.timeoutMillis = timeoutMillis;
    this.keepRunning = keepRunning;
  }

  /** What a demo run measured and looked up. */
  public record Result(
      Summary summary,
      String user,
      Optional<UserProfile> profile,
      Optional<PersonalModelView> model) {}

  /** Runs the demo on {@code dataset}; the summary is also written to {@code dir}. */
  public Result run(Dataset dataset, Path dir) throws Exception {
    long start = System.nanoTime();
    Files.createDirectories(dir);
    out.println("starting an in-process Kafka broker...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      JobConfig job = config.withBootstrapServers(kafka.bootstrapServers());
      kafka.createTopics(config.parallelism(), job.interactionsTopic());
      kafka.createTopics(
          1, job.itemsTopic(), job.modelUpdatesTopic(), job.metricsTopic(), job.deadLettersTopic());
      long events = replay(dataset, job);

      int proxyPort = isFree(QUERY_PROXY_PORT) ? QUERY_PROXY_PORT : freePort();
      Configuration flink =
          JobRunner.flinkConfiguration(
              job, Files.createTempDirectory("personalize-checkpoints"), proxyPort, freePort());
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), flink);
      out.printf(
          "starting the job on a local Flink (parallelism %d, RocksDB, queryable state on port %d)%n",
          config.parallelism(), proxyPort);
      long jobStart = System.nanoTime();
      JobClient client = JobRunner.start(env, job, OffsetsInitializer.earliest());
      try (MetricsFollower metrics =
          new MetricsFollower(job.bootstrapServers(), job.metricsTopic())) {
        follow(metrics, events, client);
        double jobSeconds = (System.nanoTime() - jobStart) / 1e9;
        writeThroughput(dir, events, jobSeconds);
        String user = busiestUser(dataset);
        Optional<UserProfile> profile;
        Optional<PersonalModelView> model;
        try (StateLookup lookup = new StateLookup("localhost", proxyPort)) {
          profile = lookup.profile(client.getJobID(), user);
          model = lookup.model(client.getJobID(), user);
        }
        out.println();
        out.println("queryable state of the most active user:");
        out.println("  " + profile.map(Object::toString).orElse("no profile for user " + user));
        out.println("  " + model.map(Object::toString).orElse("no model for user " + user));
        Summary summary =
            SnapshotSummary.of(
                metrics,
                dataset.name(),
                config.model().kind().name().toLowerCase(java.util.Locale.ROOT),
                (int) events,
                (int) dataset.interactions().stream().map(Interaction::userId).distinct().count(),
                (int) dataset.interactions().stream().map(Interaction::itemId).distinct().count(),
                config.model().groups(),
                (System.nanoTime() - start) / 1e9,
                settings(job));
        out.println();
        Report.printTables(summary, out);
        out.println("wrote " + Report.writeJson(summary, dir));
        out.println("wrote " + Chart.writePng(summary, dir));
        if (keepRunning) {
          out.printf(
              "%nthe job keeps running; look a user up from another terminal with%n"
                  + "  bin/personalize query --user %s --job %s --proxy-port %d%n"
                  + "stop with Ctrl-C%n",
              user, client.getJobID(), proxyPort);
          while (!client.getJobStatus().get().isGloballyTerminalState()) {
            Thread.sleep(1_000);
          }
        }
        return new Result(summary, user, profile, model);
      } finally {
        client.cancel().get();
      }
    }
  }

  private long replay(Dataset dataset, JobConfig job) {
    try (InteractionProducer producer = new InteractionProducer(job.bootstrapServers())) {
      if (!dataset.items().isEmpty()) {
        producer.sendItems(dataset.items(), job.itemsTopic());
      }
      long total = dataset.interactions().size();
      long sent =
          producer.sendInteractions(
              dataset,
              job.interactionsTopic(),
              0,
              10_000,
              (done, all) ->
                  out.printf("\rreplaying %s into Kafka: %,d / %,d", dataset.name(), done, all));
      out.println();
      if (sent != total) {
        throw new IllegalStateException("sent " + sent + " of " + total + " events");
      }
      return sent;
    }
  }

  /** Prints the table every few seconds until the adaptive mode has scored every event. */
  private void follow(MetricsFollower metrics, long events, JobClient client) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    long lastPrint = 0;
    while (true) {
      MetricSnapshot adaptive = metrics.latest("adaptive", 0);
      long scored = adaptive == null ? 0 : adaptive.getEvents();
      if (System.currentTimeMillis() - lastPrint > 5_000 || scored >= events) {
        lastPrint = System.currentTimeMillis();
        printProgress(metrics, scored, events);
      }
      if (scored >= events) {
        return;
      }
      if (client.getJobStatus().get().isGloballyTerminalState()) {
        throw new IllegalStateException("the job stopped: " + client.getJobStatus().get());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "timed out after "
                + timeoutMillis / 1000
                + " s with "
                + scored
                + " of "
                + events
                + " events scored");
      }
      metrics.awaitSnapshot(java.time.Duration.ofSeconds(1));
    }
  }

  private void printProgress(MetricsFollower metrics, long scored, long events) {
    out.printf(
        "%nscored %,d / %,d events (%.0f%%); prequential RMSE by group:%n",
        scored, events, 100.0 * scored / events);
    out.printf("%-9s", "mode");
    for (int g = 1; g <= config.model().groups(); g++) {
      out.printf(" %7s", "g" + g);
    }
    out.printf(" %7s%n", "all");
    for (String mode : SnapshotSummary.MODES) {
      if (metrics.latest(mode, 0) == null) {
        continue;
      }
      out.printf("%-9s", mode);
      for (int g = 1; g <= config.model().groups(); g++) {
        MetricSnapshot s = metrics.latest(mode, g);
        out.printf(
            " %7s", s == null || s.getRmse() == null ? "-" : String.format("%.4f", s.getRmse()));
      }
      out.printf(" %7.4f%n", metrics.latest(mode, 0).getRmse());
    }
  }

  /**
   * Events per second from job submission until the last event was scored, including the job's
   * start (a few seconds) and up to one metrics interval of reporting delay: a lower bound on the
   * steady-state rate.
   */
  private void writeThroughput(Path dir, long events, double seconds) throws IOException {
    double rate = events / seconds;
    out.printf(
        "%nthroughput: %,d events in %.1f s = %,.0f events/s (parallelism %d, RocksDB, job start included)%n",
        events, seconds, rate, config.parallelism());
    Map<String, Object> throughput = new LinkedHashMap<>();
    throughput.put("events", events);
    throughput.put("seconds", seconds);
    throughput.put("eventsPerSecond", rate);
    throughput.put("parallelism", config.parallelism());
    throughput.put("stateBackend", "rocksdb");
    throughput.put("shadows", config.shadows());
    throughput.put("cores", Runtime.getRuntime().availableProcessors());
    new com.fasterxml.jackson.databind.ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("throughput.json").toFile(), throughput);
  }

  private static String busiestUser(Dataset dataset) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Interaction i : dataset.interactions()) {
      counts.merge(i.userId(), 1L, Long::sum);
    }
    return counts.entrySet().stream()
        .max(Comparator.comparingLong(Map.Entry::getValue))
        .orElseThrow()
        .getKey();
  }

  private static Map<String, Object> settings(JobConfig job) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("parallelism", job.parallelism());
    settings.put("checkpointEveryEvents", job.checkpointEveryEvents());
    settings.put("checkpointEveryMillis", job.checkpointEveryMillis());
    settings.put("regroupEveryEvents", job.regroupEveryEvents());
    settings.put("factors", job.model().factors());
    settings.put("globalSteps", job.model().globalSteps());
    settings.put(
        "adaptiveCandidates",
        job.model().adaptiveCandidates().stream().map(Object::toString).toList());
    settings.put("stateBackend", "rocksdb");
    return settings;
  }

  /** The queryable-state proxy port `personalize query` tries by default. */
  static final int QUERY_PROXY_PORT = 9069;

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port", e);
    }
  }
}
