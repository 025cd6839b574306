package io.personalize.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.personalize.demo.RestApi;
import io.personalize.job.PipelineSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A local Flink cluster in this JVM, kept up across the benchmark's runs (so each run's start-up is
 * the job's own, not the cluster's), with the settings of every local run of the job ({@link
 * PipelineSettings}). A run's measures come from the cluster's REST API, as an operator would read
 * them: the tasks' accumulated busy and back-pressured time, the checkpoint statistics.
 */
final class BenchCluster implements AutoCloseable {
  private static final long HEARTBEAT_MILLIS = 1_000;

  /** The job's own counters a run reports, summed over subtasks (those the job has). */
  private static final List<String> JOB_COUNTERS =
      List.of(
          "lists-computed",
          "lists-published",
          "walk-expansions-reused",
          "walk-expansions-computed");

  private final Configuration conf;
  private final int proxyPort;
  private final MiniCluster cluster;
  private final RestApi rest;
  private final Map<JobID, Map<OperatorID, String>> taskOfOperator = new HashMap<>();

  /** A cluster with {@code slots} task slots configured by {@code user} over the job's defaults. */
  BenchCluster(Configuration user, int slots) throws Exception {
    Configuration applied = PipelineSettings.apply(user, true);
    applied.set(RestOptions.PORT, 0);
    // The REST API caches metrics for 10 s by default: the busy times at the end would be stale.
    applied.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, java.time.Duration.ofMillis(500));
    proxyPort = freePort();
    applied.setString("queryable-state.proxy.ports", String.valueOf(proxyPort));
    applied.setString("queryable-state.server.ports", String.valueOf(freePort()));
    // Checkpoint statistics are cached for 3 s by default: the final checkpoint's would be missing
    // (and Flink logs each miss as an error).
    applied.set(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT, Duration.ofMillis(100));
    // Accumulators of a running job reach the REST API with heartbeats (default every 10 s).
    applied.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(HEARTBEAT_MILLIS));
    this.conf = applied;
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(applied)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    rest = new RestApi(cluster.getRestAddress().get().toString());
  }

  /** The port of the queryable state proxy, on 127.0.0.1. */
  int proxyPort() {
    return proxyPort;
  }

  /** Submits a job and returns once every one of its tasks runs. */
  JobID start(StreamExecutionEnvironment env, long timeoutMillis) throws Exception {
    JobID job = submit(env);
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      boolean running = true;
      JsonNode vertices;
      try {
        vertices = rest.get("/jobs/" + job).path("vertices");
      } catch (java.net.http.HttpTimeoutException slow) {
        // A loaded machine (a flood of a million users) can keep the REST API busy for seconds.
        vertices = JsonNodeFactory.instance.arrayNode();
      }
      for (JsonNode vertex : vertices) {
        running &= vertex.path("status").asText().equals("RUNNING");
      }
      if (running && vertices.size() > 0) {
        return job;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the job's tasks did not all start in time");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Cancels a job and waits for it to end. */
  void cancel(JobID job) throws Exception {
    cluster.cancelJob(job).get();
    while (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A fresh environment on this cluster's settings plus {@code job}'s. */
  StreamExecutionEnvironment environment(Configuration job) {
    Configuration merged = new Configuration(conf);
    merged.addAll(job);
    return StreamExecutionEnvironment.createLocalEnvironment(merged);
  }

  /** Runs a bounded job to its end and measures it. */
  Measured runToEnd(String name, StreamExecutionEnvironment env, long events) throws Exception {
    try (CpuSampler cpu = new CpuSampler()) {
      long submitted = System.currentTimeMillis();
      JobID job = submit(env);
      Measured.Heap heap;
      JobResult result;
      try (HeapSampler sampler = new HeapSampler()) {
        result = cluster.requestJobResult(job).get();
        heap = sampler.stop();
      }
      long end = System.currentTimeMillis();
      cpu.stop();
      if (!result.isSuccess()) {
        throw new IllegalStateException(
            name
                + ": the job failed: "
                + result.getSerializedThrowable().map(Throwable::getMessage).orElse("?"));
      }
      // The job has ended: what is live is the cluster's, the broker's and the stream's.
      Measured.Heap withLive = heap.withLiveAtEndBytes(HeapSampler.liveBytes());
      return measure(name, env.getParallelism(), job, events, submitted, end, withLive, cpu);
    }
  }

  /**
   * Runs an unbounded job until {@code done} says every event went through, takes a full checkpoint
   * for the state sizes, cancels the job and measures it.
   */
  Measured runUntil(
      String name,
      StreamExecutionEnvironment env,
      long events,
      BooleanSupplier done,
      long timeoutMillis)
      throws Exception {
    try (CpuSampler cpu = new CpuSampler()) {
      long submitted = System.currentTimeMillis();
      JobID job = submit(env);
      HeapSampler heap = new HeapSampler();
      try {
        long deadline = submitted + timeoutMillis;
        while (!done.getAsBoolean()) {
          if (cluster.getJobStatus(job).get().isGloballyTerminalState()) {
            throw new IllegalStateException(
                name + ": the job stopped before processing every event");
          }
          failIfFailedOver(name, job);
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(
                name + ": not every event processed after " + timeoutMillis / 1000 + " s");
          }
          TimeUnit.MILLISECONDS.sleep(100);
        }
        long end = System.currentTimeMillis();
        Measured.Heap used = heap.stop();
        cpu.stop();
        // The busy times as of the end (the REST API's metrics are at most 500 ms old), before the
        // checkpoint for the state sizes adds its own work.
        TimeUnit.MILLISECONDS.sleep(600);
        Measured run = measure(name, env.getParallelism(), job, events, submitted, end, used, cpu);
        // The job, still running, holds its state; after its busy times are read, as the full
        // collection stops its threads.
        run = run.withHeap(used.withLiveAtEndBytes(HeapSampler.liveBytes()));
        return run.withStateBytes(stateAfterFullCheckpoint(job), liveState(job));
      } finally {
        heap.close();
        cancel(job);
      }
    }
  }

  /** A benchmark of a job that restarts measures its restarts: stop at the first failure. */
  void failIfFailedOver(String name, JobID job) throws Exception {
    JsonNode entries =
        rest.get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries");
    if (entries.size() > 0) {
      String trace = entries.get(0).path("stacktrace").asText();
      // The innermost cause says why; the head of the trace says where.
      int root = trace.lastIndexOf("Caused by:");
      String cause = root < 0 ? "" : trace.substring(root, trace.indexOf('\n', root) + 1);
      throw new IllegalStateException(
          name
              + ": the job failed: "
              + trace.substring(0, Math.min(trace.length(), 2_000))
              + (cause.isEmpty() ? "" : "\n... " + cause));
    }
  }

  private JobID submit(StreamExecutionEnvironment env) throws Exception {
    StreamGraph graph = env.getStreamGraph();
    JobGraph jobGraph = graph.getJobGraph(BenchCluster.class.getClassLoader(), new JobID());
    Map<OperatorID, String> tasks = new HashMap<>();
    for (JobVertex vertex : jobGraph.getVertices()) {
      vertex
          .getOperatorIDs()
          .forEach(ids -> tasks.put(ids.getGeneratedOperatorID(), vertex.getName()));
    }
    JobID job = cluster.submitJob(jobGraph).get().getJobID();
    taskOfOperator.put(job, tasks);
    return job;
  }

  private StateSizes stateAfterFullCheckpoint(JobID job) throws Exception {
    return stateAfterCheckpoint(job, CheckpointType.FULL);
  }

  /**
   * The state as a canonical savepoint writes it, by task: every live key and value serialized
   * once, uncompressed (a checkpoint uploads RocksDB's files: compressed blocks, which may still
   * hold versions not compacted away). The savepoint is deleted.
   */
  private StateSizes liveState(JobID job) throws Exception {
    Path directory = Files.createTempDirectory("personalize-bench-savepoint");
    try {
      cluster
          .triggerSavepoint(job, directory.toUri().toString(), false, SavepointFormatType.CANONICAL)
          .get(10, TimeUnit.MINUTES);
      long id =
          rest.get("/jobs/" + job + "/checkpoints")
              .path("latest")
              .path("savepoint")
              .path("id")
              .asLong(-1);
      return id < 0 ? StateSizes.NONE : stateOfCheckpoint(job, id);
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /**
   * Triggers a checkpoint of {@code type} (CONFIGURED: incremental, as the periodic ones), waits
   * for it and returns its full state size by task: what a restore of it would read.
   */
  StateSizes stateAfterCheckpoint(JobID job, CheckpointType type) throws Exception {
    return stateOfCheckpoint(job, cluster.triggerCheckpoint(job, type).get(10, TimeUnit.MINUTES));
  }

  /**
   * The state sizes by task of a checkpoint or savepoint, all of it and the keyed part.
   *
   * @param total the full state size by task (the REST API's)
   * @param keyed the keyed state by task (from the metadata file); empty when it could not be read
   */
  record StateSizes(Map<String, Long> total, Map<String, Long> keyed) {
    static final StateSizes NONE = new StateSizes(Map.of(), Map.of());
  }

  /** The state sizes by task of the completed checkpoint or savepoint {@code id}. */
  private StateSizes stateOfCheckpoint(JobID job, long id) throws Exception {
    // Statistics of a checkpoint just completed may take a moment to reach the REST API.
    TimeUnit.MILLISECONDS.sleep(300);
    JsonNode details = null;
    for (int attempt = 0; details == null; attempt++) {
      try {
        details = rest.get("/jobs/" + job + "/checkpoints/details/" + id);
      } catch (IOException notYet) {
        if (attempt >= 50) {
          throw notYet;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    Map<String, String> names = vertexNames(job);
    Map<String, Long> sizes = new LinkedHashMap<>();
    details
        .path("tasks")
        .properties()
        .forEach(
            e ->
                sizes.put(
                    names.getOrDefault(e.getKey(), e.getKey()),
                    e.getValue().path("state_size").asLong()));
    Map<String, Long> keyed = Map.of();
    try {
      keyed =
          KeyedStateSizes.read(
              details.path("external_path").asText(), taskOfOperator.getOrDefault(job, Map.of()));
    } catch (IOException gone) {
      // A periodic checkpoint completed since and removed this one: the totals stand alone.
      System.err.printf("keyed state sizes not read (%s)%n", gone);
    }
    return new StateSizes(sizes, keyed);
  }

  /**
   * How the job's slowest samples line up with its completed checkpoints (those the REST API's
   * history still holds: the latest 10 by default), and each task's worst subtask over those that
   * ran while samples were in flight.
   */
  LatencyTail latencyTail(
      JobID job, List<LatencyTail.Seen> seen, List<LatencyTail.Window> pauses, long overMillis)
      throws Exception {
    Map<String, String> names = vertexNames(job);
    List<LatencyTail.Checkpoint> completed = new ArrayList<>();
    for (JsonNode checkpoint : rest.get("/jobs/" + job + "/checkpoints").path("history")) {
      if (!checkpoint.path("status").asText().equals("COMPLETED")) {
        continue;
      }
      long id = checkpoint.path("id").asLong();
      List<LatencyTail.TaskStall> stalls = new ArrayList<>();
      for (String vertex : names.keySet()) {
        JsonNode summary =
            rest.get("/jobs/" + job + "/checkpoints/details/" + id + "/subtasks/" + vertex)
                .path("summary");
        stalls.add(
            new LatencyTail.TaskStall(
                names.get(vertex),
                summary.path("start_delay").path("max").asLong(),
                summary.path("alignment").path("duration").path("max").asLong(),
                summary.path("checkpoint_duration").path("sync").path("max").asLong()));
      }
      completed.add(
          new LatencyTail.Checkpoint(
              new LatencyTail.Window(
                  checkpoint.path("trigger_timestamp").asLong(),
                  checkpoint.path("latest_ack_timestamp").asLong()),
              stalls));
    }
    return LatencyTail.of(seen, completed, pauses, overMillis);
  }

  /**
   * The sum over every task and subtask of the metrics whose name ends with {@code suffix} (an
   * operator's gauge such as {@code users-counted}, or a RocksDB native metric such as {@code
   * estimate-num-keys}, reported per column family), as the REST API fetched them last; -1 when no
   * task has such a metric.
   */
  long metricSum(JobID job, String suffix) throws Exception {
    return metricSum(job, suffix, name -> true);
  }

  /** The same, of the metrics whose name also passes {@code filter}. */
  long metricSum(JobID job, String suffix, java.util.function.Predicate<String> filter)
      throws Exception {
    long sum = 0;
    boolean found = false;
    for (String vertex : vertexNames(job).keySet()) {
      String path = "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics";
      List<String> names = new ArrayList<>();
      for (JsonNode metric : rest.get(path)) {
        String name = metric.path("id").asText();
        if (name.endsWith(suffix) && filter.test(name)) {
          names.add(name);
        }
      }
      // The REST API takes a few names per request: a URL with hundreds would be refused.
      for (int from = 0; from < names.size(); from += 20) {
        String get =
            names.subList(from, Math.min(names.size(), from + 20)).stream()
                .map(n -> java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining(","));
        for (JsonNode metric : rest.get(path + "?agg=sum&get=" + get)) {
          sum += (long) metric.path("sum").asDouble();
          found = true;
        }
      }
    }
    return found ? sum : -1;
  }

  private Map<String, String> vertexNames(JobID job) throws Exception {
    Map<String, String> names = new LinkedHashMap<>();
    for (JsonNode vertex : rest.get("/jobs/" + job).path("vertices")) {
      names.put(vertex.path("id").asText(), vertex.path("name").asText());
    }
    return names;
  }

  private Measured measure(
      String name,
      int parallelism,
      JobID job,
      long events,
      long submitted,
      long end,
      Measured.Heap heap,
      CpuSampler cpu)
      throws Exception {
    long first = firstRecordMillis(job);
    if (first == Long.MAX_VALUE) {
      throw new IllegalStateException(name + ": the job read no record");
    }
    boolean finished = cluster.getJobStatus(job).get().isGloballyTerminalState();
    List<Measured.Vertex> vertices = new ArrayList<>();
    for (JsonNode vertex : rest.get("/jobs/" + job).path("vertices")) {
      String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
      int subtasks = vertex.path("parallelism").asInt();
      double busy = 0;
      double backPressured = 0;
      for (int subtask = 0; subtask < subtasks; subtask++) {
        double[] times = finished ? archivedTimes(path, subtask) : liveTimes(path, subtask);
        if (!finished && times[0] + times[1] + times[2] == 0) {
          // Not fetched yet by the REST API's metric fetcher: once more after its interval.
          TimeUnit.MILLISECONDS.sleep(600);
          times = liveTimes(path, subtask);
        }
        double total = times[0] + times[1] + times[2];
        if (total > 0) {
          busy = Math.max(busy, times[0] / total);
          backPressured = Math.max(backPressured, times[1] / total);
        }
      }
      vertices.add(
          new Measured.Vertex(vertex.path("name").asText(), subtasks, busy, backPressured));
    }
    JsonNode checkpoints = rest.get("/jobs/" + job + "/checkpoints");
    Measured.Checkpoints periodic =
        new Measured.Checkpoints(
            checkpoints.path("counts").path("completed").asLong(),
            checkpoints.path("summary").path("end_to_end_duration").path("avg").asDouble(),
            checkpoints.path("summary").path("end_to_end_duration").path("max").asLong(),
            checkpoints.path("latest").path("completed").path("state_size").asLong());
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String counter : finished ? List.<String>of() : JOB_COUNTERS) {
      long sum = metricSum(job, "." + counter);
      if (sum >= 0) {
        counters.put(counter, sum);
      }
    }
    return new Measured(
        name,
        parallelism,
        events,
        (first - submitted) / 1e3,
        (end - first) / 1e3,
        vertices,
        periodic,
        counters,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        heap,
        cpu.cpuSecondsBetween(first, end));
  }

  /**
   * When the job read its first record; {@code Long.MAX_VALUE} if it never did. A running job's
   * accumulators reach the REST API with the TaskManager's heartbeats: wait for one.
   */
  private long firstRecordMillis(JobID job) throws Exception {
    long deadline = System.currentTimeMillis() + 3 * HEARTBEAT_MILLIS + 5_000;
    while (true) {
      for (JsonNode accumulator :
          rest.get("/jobs/" + job + "/accumulators").path("user-task-accumulators")) {
        if (accumulator.path("name").asText().equals(FirstRecordClock.ACCUMULATOR)) {
          return Long.parseLong(accumulator.path("value").asText());
        }
      }
      if (System.currentTimeMillis() > deadline) {
        return Long.MAX_VALUE;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * A running subtask's accumulated busy, back-pressured and idle milliseconds, from the metrics
   * the REST API fetched last.
   */
  private double[] liveTimes(String vertexPath, int subtask) throws Exception {
    double[] times = new double[3];
    JsonNode metrics =
        rest.get(
            vertexPath
                + "/subtasks/"
                + subtask
                + "/metrics?get=accumulateBusyTimeMs,accumulateBackPressuredTimeMs,accumulateIdleTimeMs");
    for (JsonNode metric : metrics) {
      int index =
          switch (metric.path("id").asText()) {
            case "accumulateBusyTimeMs" -> 0;
            case "accumulateBackPressuredTimeMs" -> 1;
            default -> 2;
          };
      times[index] = metric.path("value").asDouble();
    }
    return times;
  }

  /** The same of a finished subtask, as its job's archive keeps them. */
  private double[] archivedTimes(String vertexPath, int subtask) throws Exception {
    JsonNode m = rest.get(vertexPath).path("subtasks").path(subtask).path("metrics");
    return new double[] {
      m.path("accumulated-busy-time").asDouble(),
      m.path("accumulated-backpressured-time").asDouble(),
      m.path("accumulated-idle-time").asDouble()
    };
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
