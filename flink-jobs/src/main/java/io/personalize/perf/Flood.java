package io.personalize.perf;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.demo.MetricsFollower;
import io.personalize.job.JobRunner;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code personalize flood}: a million (or {@code --users}) users with one event each, through an
 * in-process Kafka into the engine's job on a local cluster with RocksDB, measured at evenly spaced
 * points of the flood: heap after a full GC, the process's RSS, the full size of a checkpoint taken
 * there, RocksDB's key estimate and the operators' own user counts. With an idle expiry shorter
 * than the flood's event-time span, what is bounded flattens out and what is not keeps growing.
 */
public final class Flood {
  static final String TOPIC = "flood-interactions";
  private static final String ROCKSDB_KEYS = "state.backend.rocksdb.metrics.estimate-num-keys";

  private final FloodSettings settings;
  private final Configuration jobSettings;
  private final PrintStream out;

  public Flood(FloodSettings settings, Configuration jobSettings, PrintStream out) {
    this.settings = settings;
    this.jobSettings = jobSettings;
    this.out = out;
  }

  public FloodReport run() throws Exception {
    Duration idleExpiry = jobSettings.get(PersonalizeOptions.USER_IDLE_EXPIRY);
    boolean recommend = jobSettings.get(RecommendationOptions.ENABLED);
    out.printf(
        "generating a flood of %,d one-event users over %,d items (span %s, idle expiry %s)%n",
        settings.users(), settings.items(), settings.span(), idleExpiry);
    Dataset data = FloodStream.generate(settings);
    List<FloodSample> samples = new ArrayList<>();
    out.println("starting an in-process Kafka broker...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      Bench.load(data, bootstrap, TOPIC, settings.parallelism(), out);
      data = null; // the flood is in Kafka: its copy here would count as heap of the job
      Configuration clusterSettings = Bench.clusterSettings(jobSettings, settings.out());
      if (!clusterSettings.containsKey(ROCKSDB_KEYS)) {
        clusterSettings.setString(ROCKSDB_KEYS, "true");
      }
      try (BenchCluster cluster = new BenchCluster(clusterSettings, settings.parallelism())) {
        Configuration conf =
            Bench.jobConfiguration(
                jobSettings, bootstrap, settings.parallelism(), recommend, "flood-", TOPIC);
        JobConfig job = JobConfig.from(conf);
        JobRunner.createTopics(job);
        StreamExecutionEnvironment env = cluster.environment(conf);
        JobRunner.define(env, job, List.of());
        samples.add(baseline());
        long submitted = System.currentTimeMillis();
        JobID id = cluster.start(env, settings.timeout().toMillis());
        try (MetricsFollower metrics =
            new MetricsFollower(bootstrap, job.get(PersonalizeOptions.TOPIC_METRICS))) {
          long deadline = submitted + settings.timeout().toMillis();
          for (int k = 1; k <= settings.samples(); k++) {
            long due = (long) settings.users() * k / settings.samples();
            while (metrics.scoredByEvery(job.scoredModes()) < due) {
              cluster.failIfFailedOver("flood", id);
              if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                    "flood: "
                        + metrics.scoredByEvery(job.scoredModes())
                        + " of "
                        + due
                        + " events in time");
              }
              TimeUnit.MILLISECONDS.sleep(100);
            }
            FloodSample sample =
                sample(cluster, id, metrics.scoredByEvery(job.scoredModes()), submitted);
            samples.add(sample);
            out.printf(
                "  %,d applied: %,d live users, heap %,d MB, RSS %,d MB, checkpoint %,d MB%n",
                sample.applied(),
                sample.liveUsers(),
                sample.heapBytes() >> 20,
                sample.rssBytes() >> 20,
                sample.checkpointBytes() >> 20);
            if (sample.applied() >= settings.users()) {
              break; // the flood ran ahead of the samples: the rest would all measure its end
            }
          }
        } finally {
          cluster.cancel(id);
        }
      }
    }
    FloodReport report = new FloodReport(settings, idleExpiry, recommend, samples, Instant.now());
    report.print(out);
    out.println("wrote " + report.writeJson(settings.out()));
    out.println("wrote " + report.writeChart(settings.out()));
    return report;
  }

  /** The cluster up and idle, before the job: what the flood's growth is measured from. */
  private static FloodSample baseline() throws IOException {
    return new FloodSample(
        0, 0, 0, HeapSampler.liveBytes(), HeapSampler.residentBytes(), 0, Map.of(), 0, 0, 0, 0);
  }

  private static FloodSample sample(BenchCluster cluster, JobID id, long applied, long submitted)
      throws Exception {
    double seconds = (System.currentTimeMillis() - submitted) / 1e3;
    long heap = HeapSampler.liveBytes();
    long rss = HeapSampler.residentBytes();
    long expired = cluster.metricSum(id, ".users-expired", name -> name.contains("Personal"));
    long rocksDbKeys = cluster.metricSum(id, "estimate-num-keys");
    long timerKeys =
        cluster.metricSum(id, "estimate-num-keys", name -> name.contains("_timer_state"));
    long counted = cluster.metricSum(id, ".users-counted");
    long global = cluster.metricSum(id, ".global-users");
    Map<String, Long> state;
    try {
      state = cluster.stateAfterCheckpoint(id, CheckpointType.CONFIGURED).total();
    } catch (Exception checkpointFailed) {
      // A failing job refuses checkpoints: its own exception is the one to report.
      cluster.failIfFailedOver("flood", id);
      throw checkpointFailed;
    }
    long checkpoint = state.values().stream().mapToLong(Long::longValue).sum();
    return new FloodSample(
        applied,
        seconds,
        applied - Math.max(0, expired),
        heap,
        rss,
        checkpoint,
        state,
        rocksDbKeys,
        timerKeys,
        counted,
        global);
  }
}
