package io.personalize.perf;

import static io.personalize.job.config.PersonalizeOptions.BOOTSTRAP_SERVERS;
import static io.personalize.job.config.PersonalizeOptions.CONSUMER_GROUP;
import static io.personalize.job.config.PersonalizeOptions.METRICS_INTERVAL;
import static io.personalize.job.config.PersonalizeOptions.PARALLELISM;
import static io.personalize.job.config.PersonalizeOptions.START_FROM;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_DEAD_LETTERS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_INTERACTIONS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_ITEMS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_METRICS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_MODEL_UPDATES;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_RECOMMENDATIONS;

import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ZipfStream;
import io.personalize.connectors.format.OutputFormat;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.kafka.Topics;
import io.personalize.demo.MetricsFollower;
import io.personalize.eval.LiveLine;
import io.personalize.job.JobRunner;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * {@code personalize bench}: one generated stream loaded into Kafka once per input format, then one
 * after another on one local cluster the ceiling job and the engine's job on each format, the
 * latency probe and the compute loop, and a report of their rates and ratios (see {@link
 * BenchReport}).
 */
public final class Bench {
  /** The interaction topic the runs on Avro read. */
  static final String TOPIC = "bench-interactions";

  /**
   * What the names of a run on {@code format}, its topic and its output topics end with: nothing
   * for Avro, as before there was a choice.
   */
  static String suffix(OutputFormat format) {
    return format == OutputFormat.AVRO ? "" : " " + format.label();
  }

  /** The interaction topic of the runs on {@code format}. */
  static String topic(OutputFormat format) {
    return TOPIC + suffix(format).replace(' ', '-');
  }

  private final BenchSettings settings;
  private final Configuration jobSettings;
  private final PrintStream out;
  private FlameGraphs flameGraphs = FlameGraphs.off();

  /**
   * @param jobSettings the job's settings (flags and {@code -D}), applied to every run of the job
   */
  public Bench(BenchSettings settings, Configuration jobSettings, PrintStream out) {
    this.settings = settings;
    this.jobSettings = jobSettings;
    this.out = out;
  }

  /** Profiles the ceiling, job and compute runs with {@code flameGraphs}. */
  public Bench flameGraphs(FlameGraphs flameGraphs) {
    this.flameGraphs = flameGraphs;
    return this;
  }

  /** Runs everything and writes the report to {@code settings.out()}. */
  public BenchReport run() throws Exception {
    out.printf(
        "generating %,d events: %,d users and %,d items, both Zipf with exponent %.2f (seed %d)%n",
        settings.events(),
        settings.users(),
        settings.items(),
        settings.exponent(),
        settings.seed());
    Dataset data = stream(settings.events());
    long users = data.interactions().stream().map(Interaction::userId).distinct().count();
    long items = data.interactions().stream().map(Interaction::itemId).distinct().count();
    int events = data.interactions().size();
    out.printf("  %,d distinct users and %,d distinct items occur%n", users, items);
    List<Measured> runs = new ArrayList<>();
    LatencyReport latency;
    List<OutputFormat> formats = settings.formats();
    out.println("starting an in-process Kafka broker...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      int partitions = settings.parallelisms().stream().max(Integer::compare).orElse(1);
      for (OutputFormat format : formats) {
        load(data, bootstrap, topic(format), partitions, format, out);
      }
      // Not kept through the runs: the jobs share this JVM's heap, and at 3,000,000 events the
      // stream is about a fifth of a GB of it. What needs the events again generates them again.
      data = null;
      int slots = settings.parallelisms().stream().max(Integer::compare).orElse(1);
      Configuration clusterSettings = clusterSettings(jobSettings, settings.out());
      // Each run on one format right after the same run on the other: the pairs compared are
      // the closest in time, on a machine whose speed drifts.
      try (BenchCluster cluster = new BenchCluster(clusterSettings, slots)) {
        if (settings.warmUp()) {
          warmUp(cluster, bootstrap, events, users);
        }
        for (int p : settings.parallelisms()) {
          for (OutputFormat format : formats) {
            runs.add(ceiling(cluster, bootstrap, p, format, events, true));
          }
        }
        boolean recommends = recommends();
        for (int p : settings.parallelisms()) {
          for (OutputFormat format : formats) {
            runs.add(job(cluster, bootstrap, p, recommends, format, events, users, true));
          }
        }
        int widest = settings.parallelisms().get(settings.parallelisms().size() - 1);
        if (recommends) {
          for (OutputFormat format : formats) {
            runs.add(job(cluster, bootstrap, widest, false, format, events, users, true));
          }
        }
        String fullJob =
            (recommends ? "job p" : "job without recommendations p")
                + widest
                + suffix(formats.get(0));
        Measured full =
            runs.stream().filter(r -> r.name().equals(fullJob)).findFirst().orElseThrow();
        latency = latency(cluster, bootstrap, widest, full.eventsPerSecond() / 2, events);
      }
    }
    out.println("compute loop: the engine's per-event steps in plain Java, one core...");
    Dataset all = stream(events);
    double compute =
        flameGraphs.profile("compute loop", () -> ComputeLoop.engine(all, jobSettings, out));
    double bare = ComputeLoop.bareSgd(all, JobConfig.from(jobSettings).model().factors());
    BenchReport report =
        new BenchReport(
            settings, users, items, runs, compute, bare, latency, java.time.Instant.now());
    report.print(out);
    Path json = report.writeJson(settings.out());
    Path chart = report.writeChart(settings.out());
    out.println("wrote " + json);
    out.println("wrote " + chart);
    return report;
  }

  /** The first {@code events} events of the benchmark's stream (the same every time). */
  private Dataset stream(int events) {
    return ZipfStream.generate(
        settings.seed(), events, settings.users(), settings.items(), settings.exponent());
  }

  /**
   * The stream as a live feed carries it: each event stamped with the wall-clock time it is due at
   * {@code rate} events a second from {@code startMillis}, not the generated one a second. Stamped
   * a second apart and sent thousands a second, the events would run minutes of event time ahead of
   * the job's watermark, and the job holds such events back until it comes near ({@code
   * event-time.max-run-ahead}): a backlog replay, not the live traffic the latency targets are
   * about.
   */
  static Dataset live(Dataset stream, double rate, long startMillis) {
    List<Interaction> due = new ArrayList<>();
    List<Interaction> inOrder = InteractionProducer.inSendingOrder(stream);
    for (int i = 0; i < inOrder.size(); i++) {
      Interaction e = inOrder.get(i);
      long at = startMillis + Math.round(i * 1000.0 / rate);
      due.add(new Interaction(e.userId(), e.itemId(), e.value(), at, e.kind(), e.sessionId()));
    }
    return new Dataset(stream.name(), stream.layout(), due, stream.items(), stream.scale());
  }

  /**
   * Whether the configuration leaves recommendations on (the default). With {@code
   * recommend.enabled: false} the job runs as configured, without them, and no run of the full job
   * is made: the job's runs are then the ones without recommendations.
   */
  private boolean recommends() {
    return jobSettings.get(RecommendationOptions.ENABLED);
  }

  /**
   * Every run once, unmeasured and unprofiled, so that the measured runs execute code the JIT has
   * compiled: in a one-minute run of the full job, the compiler threads took a fifth of the
   * machine's CPU samples, and the same job run a second time in the same JVM was 1.36 times as
   * fast. The jobs write to output topics of their own ({@code bench-warm-...}).
   */
  private void warmUp(BenchCluster cluster, String bootstrap, int events, long users)
      throws Exception {
    out.println("warm-up: every run once, not measured...");
    int widest = settings.parallelisms().get(settings.parallelisms().size() - 1);
    for (OutputFormat format : settings.formats()) {
      for (int p : settings.parallelisms()) {
        ceiling(cluster, bootstrap, p, format, events, false);
        job(cluster, bootstrap, p, recommends(), format, events, users, false);
      }
      if (recommends()) {
        job(cluster, bootstrap, widest, false, format, events, users, false);
      }
    }
    out.println("warm-up done: the measured runs follow");
  }

  /**
   * The cluster's settings for a benchmark writing to {@code dir}: the job's, with checkpoints
   * under {@code dir}/checkpoints (emptied first) unless configured: the state is too large for the
   * JobManager's memory.
   */
  static Configuration clusterSettings(Configuration jobSettings, Path dir) throws Exception {
    Configuration clusterSettings = new Configuration(jobSettings);
    if (!clusterSettings.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
      Path checkpoints = dir.resolve("checkpoints");
      FileUtils.deleteDirectory(checkpoints.toFile());
      clusterSettings.set(
          CheckpointingOptions.CHECKPOINTS_DIRECTORY,
          checkpoints.toAbsolutePath().toUri().toString());
    }
    return clusterSettings;
  }

  /**
   * Loads {@code data} into a new replay topic with {@code partitions} partitions, keyed by user.
   */
  static void load(Dataset data, String bootstrap, String topic, int partitions, PrintStream out) {
    load(data, bootstrap, topic, partitions, OutputFormat.AVRO, out);
  }

  /** The same, every event in {@code format}. */
  static void load(
      Dataset data,
      String bootstrap,
      String topic,
      int partitions,
      OutputFormat format,
      PrintStream out) {
    try (Topics topics = new Topics(bootstrap)) {
      topics.createForReplay(partitions, topic);
    }
    long start = System.nanoTime();
    LiveLine line = LiveLine.onStdout(out);
    try (InteractionProducer producer = producer(bootstrap, format)) {
      long sent =
          producer.sendInteractions(
              data,
              topic,
              0,
              100_000,
              (done, all) ->
                  line.update(
                      done == all,
                      () ->
                          String.format(
                              "loading Kafka (%s): %,d / %,d events%s",
                              format.label(),
                              done,
                              all,
                              done == all
                                  ? String.format(" (%.1f s)", (System.nanoTime() - start) / 1e9)
                                  : "")));
      line.end();
      if (sent != data.interactions().size()) {
        throw new IllegalStateException(
            "sent " + sent + " of " + data.interactions().size() + " events");
      }
    }
  }

  private static InteractionProducer producer(String bootstrap, OutputFormat format) {
    return new InteractionProducer(bootstrap, Map.of(), Duration.ofSeconds(30), format);
  }

  /** {@code measured} false: a warm-up run, not profiled nor reported. */
  private Measured ceiling(
      BenchCluster cluster,
      String bootstrap,
      int parallelism,
      OutputFormat format,
      long events,
      boolean measured)
      throws Exception {
    String name = (measured ? "" : "warm-up ") + "ceiling p" + parallelism + suffix(format);
    FlameGraphs profiler = measured ? flameGraphs : FlameGraphs.off();
    out.printf("%s: Kafka source, keyBy user, RocksDB count per user...%n", name);
    Configuration conf = new Configuration();
    conf.set(PARALLELISM, parallelism);
    // A bounded job waits for one more checkpoint after its input ends (up to an interval): the
    // job runs end when their last record is processed instead.
    conf.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
    StreamExecutionEnvironment env = cluster.environment(conf);
    env.setParallelism(parallelism);
    CeilingJob.define(env, bootstrap, topic(format));
    Measured run = profiler.profile(name, () -> cluster.runToEnd(name, env, events));
    out.printf("  %,.0f events/s (start-up %.1f s)%n", run.eventsPerSecond(), run.startupSeconds());
    return run;
  }

  /** The job's settings for one run: its own output topics and consumer group. */
  private Configuration jobConfiguration(
      String bootstrap, int parallelism, boolean recommend, String prefix, String interactions) {
    return jobConfiguration(jobSettings, bootstrap, parallelism, recommend, prefix, interactions);
  }

  /**
   * {@code jobSettings} for one run reading {@code interactions} from the start: its own output
   * topics (named by {@code prefix}) and consumer group, metrics every 500 ms unless configured.
   */
  static Configuration jobConfiguration(
      Configuration jobSettings,
      String bootstrap,
      int parallelism,
      boolean recommend,
      String prefix,
      String interactions) {
    Configuration conf = new Configuration(jobSettings);
    conf.set(BOOTSTRAP_SERVERS, bootstrap);
    conf.set(PARALLELISM, parallelism);
    conf.set(RecommendationOptions.ENABLED, recommend);
    conf.set(START_FROM, PersonalizeOptions.StartFrom.EARLIEST);
    conf.set(CONSUMER_GROUP, prefix + "group");
    conf.set(TOPIC_INTERACTIONS, interactions);
    conf.set(TOPIC_ITEMS, prefix + "items");
    conf.set(TOPIC_MODEL_UPDATES, prefix + "model-updates");
    conf.set(TOPIC_METRICS, prefix + "metrics");
    conf.set(TOPIC_DEAD_LETTERS, prefix + "dead-letters");
    conf.set(TOPIC_RECOMMENDATIONS, prefix + "recommendations");
    if (!jobSettings.contains(METRICS_INTERVAL)) {
      // The end of a run is seen in the metrics: publish them often.
      conf.set(METRICS_INTERVAL, Duration.ofMillis(500));
    }
    return conf;
  }

  /**
   * Latency at {@code rate} events a second: the full job started on an empty topic, then the
   * stream's first events sent at that rate for at most a minute, every event's arrival noted and
   * about 20 a second followed to queryable state and to the recommendations topic.
   */
  private LatencyReport latency(
      BenchCluster cluster, String bootstrap, int parallelism, double rate, int streamEvents)
      throws Exception {
    int events = (int) Math.min(streamEvents, Math.max(1, rate * 60));
    out.printf(
        "latency p%d: %,d events at %,.0f events/s (half the job's rate)...%n",
        parallelism, events, rate);
    String topic = "bench-live-interactions";
    try (Topics topics = new Topics(bootstrap)) {
      topics.createForReplay(parallelism, topic);
    }
    Configuration conf =
        jobConfiguration(bootstrap, parallelism, recommends(), "bench-live-", topic);
    JobConfig job = JobConfig.from(conf);
    JobRunner.createTopics(job);
    StreamExecutionEnvironment env = cluster.environment(conf);
    JobRunner.define(env, job, List.of());
    org.apache.flink.api.common.JobID id = cluster.start(env, settings.timeout().toMillis());
    Dataset live = live(stream(events), rate, System.currentTimeMillis());
    int sampleEvery = (int) Math.max(1, Math.round(rate / 20));
    try (GcPauses pauses = new GcPauses();
        LatencyProbe probe =
            new LatencyProbe(
                sampleEvery,
                "127.0.0.1",
                cluster.proxyPort(),
                id,
                bootstrap,
                job.get(TOPIC_RECOMMENDATIONS))) {
      try (InteractionProducer producer = producer(bootstrap, settings.formats().get(0))) {
        producer.sendInteractions(
            live, topic, rate, events, (done, all) -> {}, probe::acknowledged);
      }
      probe.drain(Duration.ofSeconds(30));
      LatencyTail tail =
          cluster.latencyTail(id, probe.seenInState(), pauses.windows(), TAIL_OVER_MILLIS);
      LatencyReport report = probe.report(rate, tail);
      out.printf(
          "  to queryable state: p50 %d ms, p95 %d ms, p99 %d ms; to a published list: p50 %d ms,"
              + " p95 %d ms, p99 %d ms%n",
          report.toQueryableState().p50Millis(),
          report.toQueryableState().p95Millis(),
          report.toQueryableState().p99Millis(),
          report.toPublishedList().p50Millis(),
          report.toPublishedList().p95Millis(),
          report.toPublishedList().p99Millis());
      printTail(tail);
      return report;
    } finally {
      cluster.cancel(id);
    }
  }

  /** Slower than this, a sample to queryable state misses the p99 target. */
  static final long TAIL_OVER_MILLIS = 100;

  private void printTail(LatencyTail tail) {
    out.printf(
        "  samples to queryable state over %d ms: %d of %d; %d of them in flight while a checkpoint"
            + " ran (%d checkpoints, running %.0f%% of the time)%n",
        tail.overMillis(),
        tail.slow(),
        tail.samples(),
        tail.slowDuringCheckpoints(),
        tail.checkpoints(),
        100 * tail.checkpointShare());
    out.printf(
        "  %d of them in flight while a garbage collection paused the JVM (%d pauses, the longest"
            + " %d ms); %d during neither%n",
        tail.slowDuringCollections(),
        tail.collections(),
        tail.longestCollectionMillis(),
        tail.slowDuringNeither());
    if (tail.tasks().isEmpty()) {
      return;
    }
    out.println(
        "  the tasks that held those checkpoints longest (worst subtask: start delay / alignment /"
            + " synchronous part, ms):");
    for (LatencyTail.TaskStall stall : tail.tasks().subList(0, Math.min(5, tail.tasks().size()))) {
      out.printf(
          "    %6d %6d %6d  %s%n",
          stall.startDelayMillis(), stall.alignmentMillis(), stall.syncMillis(), stall.task());
    }
  }

  /** {@code measured} false: a warm-up run, not profiled, with output topics of its own. */
  private Measured job(
      BenchCluster cluster,
      String bootstrap,
      int parallelism,
      boolean recommend,
      OutputFormat format,
      int events,
      long users,
      boolean measured)
      throws Exception {
    String name =
        (measured ? "" : "warm-up ")
            + (recommend ? "job p" : "job without recommendations p")
            + parallelism
            + suffix(format);
    FlameGraphs profiler = measured ? flameGraphs : FlameGraphs.off();
    String prefix =
        "bench-"
            + (measured ? "" : "warm-")
            + (recommend ? "job" : "rating")
            + "-p"
            + parallelism
            + suffix(format).replace(' ', '-')
            + "-";
    out.printf("%s: the engine's job...%n", name);
    Configuration conf = jobConfiguration(bootstrap, parallelism, recommend, prefix, topic(format));
    JobConfig job = JobConfig.from(conf);
    JobRunner.createTopics(job);
    StreamExecutionEnvironment env = cluster.environment(conf);
    JobRunner.define(
        env,
        job,
        List.of(),
        interactions ->
            interactions.map(new FirstRecordClock()).uid("bench-clock").name("First-record clock"));
    // Every event of a user with an earlier one is checked against the user's list.
    long listChecks = recommend ? events - users : 0;
    String recommender = job.listSettings().kind().label();
    try (MetricsFollower metrics = new MetricsFollower(bootstrap, job.get(TOPIC_METRICS))) {
      BooleanSupplier done =
          () -> {
            MetricSnapshot lists = metrics.latest(recommender, 0);
            long checked = lists == null ? 0 : lists.getEvents();
            return metrics.scoredByEvery(job.scoredModes()) >= events && checked >= listChecks;
          };
      Measured run =
          profiler.profile(
              name, () -> cluster.runUntil(name, env, events, done, settings.timeout().toMillis()));
      out.printf(
          "  %,.0f events/s (start-up %.1f s)%n", run.eventsPerSecond(), run.startupSeconds());
      if (!run.counters().isEmpty()) {
        out.printf("  job counters: %s%n", run.counters());
      }
      return run;
    }
  }
}
