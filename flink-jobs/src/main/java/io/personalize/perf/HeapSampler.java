package io.personalize.perf;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * This JVM's heap while one run goes: the bench's cluster runs here, so it holds what the job's
 * tasks and the cluster keep on the heap (beside the in-process Kafka broker and the generated
 * stream, there in every run alike; RocksDB's state is off the heap). Each garbage collection tells
 * the heap used before and after it, and a sample every second adds the heap used since the last
 * collection to the peak. No collection is forced while the run is timed (as the flood's samples
 * do): a full one would stall it. So the most after a collection bounds what the run kept only from
 * above, often far above, as G1 leaves the old generation's garbage until the heap fills up; {@link
 * #liveBytes} after the run tells what it kept. The same samples read the process's resident memory
 * from {@code /proc/self/status} (Linux), which also counts RocksDB's native memory.
 */
final class HeapSampler implements AutoCloseable {
  private static final long SAMPLE_MILLIS = 1_000;

  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final AtomicLong afterGcMax = new AtomicLong(-1);
  private final AtomicLong usedPeak = new AtomicLong();
  private final AtomicLong residentPeak = new AtomicLong(-1);
  private final GcNotifications collections = new GcNotifications(this::collected);
  private final Thread sampler;
  private volatile boolean running = true;

  /** Starts sampling; {@link #stop} ends it. */
  HeapSampler() {
    sampler = new Thread(this::sample, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (running) {
      usedPeak.accumulateAndGet(
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
      residentPeak.accumulateAndGet(residentBytes(), Math::max);
      try {
        TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException stopped) {
        return;
      }
    }
  }

  private void collected(GarbageCollectionNotificationInfo info) {
    var gc = info.getGcInfo();
    usedPeak.accumulateAndGet(heapUsed(gc.getMemoryUsageBeforeGc()), Math::max);
    afterGcMax.accumulateAndGet(heapUsed(gc.getMemoryUsageAfterGc()), Math::max);
  }

  private long heapUsed(Map<String, MemoryUsage> byPool) {
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : byPool.entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }

  /** Stops sampling and returns what it saw. */
  Measured.Heap stop() {
    close();
    usedPeak.accumulateAndGet(
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    residentPeak.accumulateAndGet(residentBytes(), Math::max);
    return new Measured.Heap(
        afterGcMax.get(), usedPeak.get(), -1, Runtime.getRuntime().maxMemory(), residentPeak.get());
  }

  /** This process's resident memory (VmRSS), or -1 where {@code /proc/self/status} is absent. */
  static long residentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          // "VmRSS:\t  123456 kB"
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException unreadable) {
      return -1;
    }
    return -1;
  }

  private static final java.nio.file.Path PROC_STATUS = java.nio.file.Path.of("/proc/self/status");

  /** The most full collections {@link #liveBytes} makes. */
  private static final int MAX_COLLECTIONS = 6;

  /**
   * The heap used right after a full collection: what this JVM holds live (the cluster and the
   * broker run here, so the job's live heap plus about a constant). It stops every thread for a
   * moment, so not while a run is timed.
   *
   * <p>Collections until two in a row free less than a megabyte, with the pending finalizers run
   * after each: Flink's processing-time service has a finalizer, so a finished task (its operators,
   * replicas and buffers: a whole job's heap) outlives the first collection after it ends, which
   * only queues it for that finalizer (and the queue is filled by another thread, after the
   * collection: a phantom-reachable canary says when). Until 2026-12-06 one collection was made,
   * and a run that followed another job counted, in about half of the runs, the previous job's heap
   * too (docs/performance.md).
   */
  @SuppressWarnings({"deprecation", "removal"})
  static long liveBytes() {
    long used = Long.MAX_VALUE;
    int steady = 0;
    for (int round = 0; round < MAX_COLLECTIONS; round++) {
      ReferenceQueue<Object> collected = new ReferenceQueue<>();
      PhantomReference<Object> canary = new PhantomReference<>(new Object(), collected);
      System.gc();
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      // Twice in a row: the finalizer of an object the collection before queued may not have been
      // handed its object yet when the pending finalizers ran (seen once, on a busy machine).
      steady = used - now < 1 << 20 ? steady + 1 : 0;
      if (steady == 2) {
        return Math.min(now, used);
      }
      used = Math.min(now, used);
      try {
        // The reference handler queues what the collection found after it; the canary, found by
        // the same collection, tells that it has got to them (a second round mops up the rest).
        collected.remove(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return used;
      }
      Reference.reachabilityFence(canary);
      System.runFinalization();
    }
    return used;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    collections.close();
  }
}
