package io.personalize.job;

import io.personalize.job.config.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink settings the job depends on, applied in this one place for every entry point (the demo,
 * {@code run}, {@code flink run}, the tests that go through Kafka). A setting the user's
 * configuration already has is kept, except that Kryo stays off. {@code docs/configuration.md}
 * lists them with the reason for each.
 */
public final class PipelineSettings {
  private PipelineSettings() {}

  /** Applied to every job, locally or on a cluster, unless the configuration sets them. */
  public static final Map<String, String> JOB =
      ordered(
          "state.backend.type", "rocksdb",
          // A checkpoint stalls every keyed task for its synchronous part (RocksDB's flush, up to
          // about 200 ms on 2 cores): every 30 s those stalls reach fewer than 1% of the events,
          // every 10 s about 1.3%, and the p99 to queryable state (85 against 127 ms at half load,
          // docs/performance.md). A restart replays up to one interval of events.
          "execution.checkpointing.interval", "30 s",
          // A network buffer leaves when full or after this long: Flink's 100 ms default was most
          // of an event's way to queryable state (p50 51 -> 9 ms, p95 102 -> 19 ms at half load).
          "execution.buffer-timeout.interval", "10 ms",
          // A checkpoint uploads only the RocksDB files written since the last one: a full copy of
          // every user's state at each checkpoint grows with the users, not with the changes.
          "execution.checkpointing.incremental", "true",
          // What a checkpoint keeps is every RocksDB file of the moment: a user is in it once per
          // flushed file that has not been compacted yet, and mostly as floats. Compacting each
          // flush at once and compressing with ZSTD instead of Snappy: 2,634 -> 1,665 bytes of
          // keyed state per user in the checkpoint of a 500,000-event bench, for about a tenth of
          // the rate (RocksDB's threads' CPU; LZ4 costs less and leaves 2.5 KB): see
          // docs/performance-log.md, "What a checkpoint keeps". Leaving the first level
          // uncompressed halves a checkpoint's synchronous part, but puts the state per user of the
          // 500,000-event bench over 2 KB (2,099 against 1,897 bytes): docs/performance-log.md,
          // "The first level uncompressed".
          "state.backend.rocksdb.options-factory", CompactingRocksDbOptions.class.getName(),
          "state.backend.rocksdb.compression.per.level", "ZSTD_COMPRESSION",
          // RocksDB's managed memory is its block cache and its write buffers, half each by
          // default. A checkpoint flushes the write buffers while the task waits: with a quarter,
          // a larger managed memory goes mostly to the cache, and that wait stays short (p99 to
          // queryable state 61 ms at 512 MB against 111 ms with half; docs/performance-log.md,
          // "RocksDB's managed memory").
          "state.backend.rocksdb.memory.write-buffer-ratio", "0.25",
          // A cancelled or killed job leaves its last checkpoint, so `run` can resume from it.
          "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION",
          // Checkpoints apply behind the watermark; frequent watermarks keep the replicas fresh.
          "pipeline.auto-watermark-interval", "50 ms",
          // Chained operators pass records on without a deep copy (Flink copies each by its
          // serializer otherwise; records from the network are always new objects). Safe because
          // every function here emits new objects and neither keeps nor changes a record once it
          // is emitted or handed on (docs/architecture.md, "Records passed on"). The job without
          // recommendations ran 3-9% closer to the ceiling (docs/performance.md).
          "pipeline.object-reuse", "true",
          // After a TaskManager dies, restarts fail until its heartbeat times out, and Flink's
          // default backoff doubles towards a minute meanwhile: capped, the job is back within the
          // heartbeat timeout plus 10 s.
          "restart-strategy.type", "exponential-delay",
          "restart-strategy.exponential-delay.max-backoff", "10 s",
          "queryable-state.enable", "true");

  /**
   * Applied to a local cluster (the demo, {@code run} from this command line). On a real cluster
   * these are the TaskManagers' and JobManager's own settings, in its Flink config file.
   */
  public static final Map<String, String> LOCAL_CLUSTER =
      ordered(
          // Small network buffers: the per-user operators can run ahead of the single global
          // operator only by what is in flight between them, and that lead is how stale their
          // replicas are. Measured on ml-100k at parallelism 2: adaptive RMSE 0.9374-0.9406 with
          // Flink's defaults (32 KB segments, 8 floating buffers), 0.9352-0.9359 with these.
          "taskmanager.memory.segment-size", "8kb",
          "taskmanager.network.memory.buffers-per-channel", "2",
          "taskmanager.network.memory.floating-buffers-per-gate", "2",
          // RocksDB's memory for every slot together (Flink's local default is 128 MB): about twice
          // the full job's live keyed state at the benchmark's 10^5 users (250 MB), as
          // docs/operations.md advises for a cluster. The job without recommendations ran 14-35%
          // faster, the full job 15-21% (two runs each; docs/performance-log.md, "RocksDB's
          // managed memory"). A limit, not an allocation: RocksDB takes it as its state grows.
          "taskmanager.memory.managed.size", "512m",
          "queryable-state.proxy.ports", "9069",
          "queryable-state.server.ports", "9067",
          // Everything listens on loopback unless configured otherwise.
          "rest.bind-address", "127.0.0.1",
          "rest.address", "127.0.0.1",
          "rest.port", "8081",
          "jobmanager.bind-host", "127.0.0.1",
          "jobmanager.rpc.address", "127.0.0.1",
          "taskmanager.bind-host", "127.0.0.1",
          "taskmanager.host", "127.0.0.1",
          "blob.server.bind-host", "127.0.0.1");

  /** Forced whatever the configuration says: state and records never fall back to Kryo. */
  private static void force(Configuration conf) {
    conf.set(PipelineOptions.GENERIC_TYPES, false);
  }

  /**
   * The configuration a job runs with: {@code user}'s settings, plus {@link #JOB} (and, for a local
   * cluster, {@link #LOCAL_CLUSTER}) and where the timers are kept ({@link TimerPlacement}) where
   * {@code user} leaves them unset.
   */
  public static Configuration apply(Configuration user, boolean localCluster) {
    Configuration conf = new Configuration(user);
    boolean timersChosen = conf.containsKey(TimerPlacement.KEY);
    setDefaults(conf, JOB);
    TimerPlacement.apply(conf, timersChosen);
    if (localCluster) {
      setDefaults(conf, LOCAL_CLUSTER);
      if (!conf.containsKey(CoreOptions.DEFAULT_PARALLELISM.key())) {
        conf.set(CoreOptions.DEFAULT_PARALLELISM, JobConfig.from(user).parallelism());
      }
    }
    force(conf);
    return conf;
  }

  /**
   * The execution environment of the context with the job's settings: a local cluster when run from
   * this command line or a test, the cluster's when the jar is submitted with {@code flink run}.
   */
  public static StreamExecutionEnvironment environment(Configuration user) {
    return StreamExecutionEnvironment.getExecutionEnvironment(apply(user, isLocal()));
  }

  /**
   * Whether a job started now runs on a local cluster in this JVM (this command line, a test)
   * rather than on the cluster of a {@code flink run} submission.
   */
  public static boolean isLocal() {
    return StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
  }

  private static void setDefaults(Configuration conf, Map<String, String> defaults) {
    defaults.forEach(
        (key, value) -> {
          if (!conf.containsKey(key)) {
            conf.setString(key, value);
          }
        });
  }

  /**
   * The newest completed checkpoint under a checkpoint directory ({@code <dir>/<job
   * id>/chk-<n>/_metadata}), of any earlier run; empty when there is none.
   */
  public static Optional<Path> latestCheckpoint(Path checkpointDir) {
    if (!Files.isDirectory(checkpointDir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(checkpointDir)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(PipelineSettings::completedCheckpoints)
          .max(Comparator.comparing(PipelineSettings::modified))
          .map(Path::getParent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
    }
  }

  private static Stream<Path> completedCheckpoints(Path jobDir) {
    try (Stream<Path> children = Files.list(jobDir)) {
      return children
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .map(p -> p.resolve("_metadata"))
          .filter(Files::isRegularFile)
          .toList()
          .stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
