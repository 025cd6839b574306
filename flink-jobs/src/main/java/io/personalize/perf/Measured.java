package io.personalize.perf;

import java.util.List;
import java.util.Map;

/**
 * What one benchmark run measured.
 *
 * @param name what ran, e.g. "job p2"
 * @param parallelism the job's default parallelism
 * @param events events processed
 * @param startupSeconds from submitting the job to its first record
 * @param seconds from the first record to the last one processed
 * @param vertices each task (a chain of operators) with the share of its time busy and
 *     back-pressured, over its subtasks
 * @param checkpoints the periodic checkpoints completed during the run
 * @param counters the job's own counters at the end, summed over subtasks (lists computed and
 *     published, walk expansions reused and computed); empty for a run that has none
 * @param stateBytes state size per task in the checkpoint taken when the run had processed every
 *     event, by task name; empty when none was taken
 * @param liveStateBytes the same in a canonical savepoint taken right after it: every live key and
 *     value serialized once, uncompressed; empty when none was taken
 * @param keyedStateBytes the keyed (RocksDB) part of {@code stateBytes}, without the operator state
 *     (the replicas each subtask keeps on the heap); empty when not read
 * @param liveKeyedStateBytes the keyed part of {@code liveStateBytes}
 * @param heap this JVM's heap from the job's submission to its last event ({@link HeapSampler})
 * @param cpuSeconds the CPU time the whole process used from the first record to the last one
 *     processed ({@link CpuSampler}); -1 where the platform does not tell
 */
record Measured(
    String name,
    int parallelism,
    long events,
    double startupSeconds,
    double seconds,
    List<Vertex> vertices,
    Checkpoints checkpoints,
    Map<String, Long> counters,
    Map<String, Long> stateBytes,
    Map<String, Long> liveStateBytes,
    Map<String, Long> keyedStateBytes,
    Map<String, Long> liveKeyedStateBytes,
    Heap heap,
    double cpuSeconds) {

  /** This run with the state sizes of a checkpoint and of a savepoint taken after it. */
  Measured withStateBytes(BenchCluster.StateSizes sizes, BenchCluster.StateSizes liveSizes) {
    return new Measured(
        name,
        parallelism,
        events,
        startupSeconds,
        seconds,
        vertices,
        checkpoints,
        counters,
        sizes.total(),
        liveSizes.total(),
        sizes.keyed(),
        liveSizes.keyed(),
        heap,
        cpuSeconds);
  }

  double eventsPerSecond() {
    return events / seconds;
  }

  /** The cores the process kept busy on average while the run went; -1 when not measured. */
  double coresUsed() {
    return cpuSeconds < 0 ? -1 : cpuSeconds / seconds;
  }

  /** The process's CPU time per event, in microseconds; -1 when not measured. */
  double cpuMicrosPerEvent() {
    return cpuSeconds < 0 ? -1 : cpuSeconds * 1e6 / events;
  }

  /**
   * The task whose subtasks were busiest: where the job spends its time. Sources are left out, as
   * they are busy whenever their downstream is not back-pressuring them.
   */
  String bottleneck() {
    Vertex busiest = null;
    for (Vertex vertex : vertices) {
      if (!vertex.name().startsWith("Source")
          && (busiest == null || vertex.busy() > busiest.busy())) {
        busiest = vertex;
      }
    }
    return busiest == null ? "" : busiest.name();
  }

  /**
   * One task of the job.
   *
   * @param busy the share of its subtasks' time spent processing (the busiest subtask)
   * @param backPressured the share spent waiting for downstream buffers (the busiest subtask's)
   */
  record Vertex(String name, int parallelism, double busy, double backPressured) {}

  /**
   * @param completed how many periodic checkpoints completed
   * @param meanMillis their mean end-to-end duration
   * @param maxMillis the longest
   * @param lastBytes the full state size of the last one
   */
  record Checkpoints(long completed, double meanMillis, long maxMillis, long lastBytes) {}

  /** This run with {@code heap}. */
  Measured withHeap(Heap heap) {
    return new Measured(
        name,
        parallelism,
        events,
        startupSeconds,
        seconds,
        vertices,
        checkpoints,
        counters,
        stateBytes,
        liveStateBytes,
        keyedStateBytes,
        liveKeyedStateBytes,
        heap,
        cpuSeconds);
  }

  /**
   * @param afterGcMaxBytes the most heap used after a garbage collection; -1 when none ran
   * @param usedPeakBytes the most heap used, before a collection or at a sample
   * @param liveAtEndBytes the heap used after a full collection once the run had processed every
   *     event; -1 when not measured
   * @param maxBytes the heap's limit ({@code -Xmx})
   * @param residentPeakBytes the most resident memory of the whole process at a sample (heap,
   *     RocksDB's native memory, the broker, everything); -1 where the system does not tell
   */
  record Heap(
      long afterGcMaxBytes,
      long usedPeakBytes,
      long liveAtEndBytes,
      long maxBytes,
      long residentPeakBytes) {
    Heap withLiveAtEndBytes(long bytes) {
      return new Heap(afterGcMaxBytes, usedPeakBytes, bytes, maxBytes, residentPeakBytes);
    }
  }
}
