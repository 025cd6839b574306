package io.personalize.perf;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * This process's CPU time while one run goes, sampled every {@value #SAMPLE_MILLIS} ms, so that a
 * run's CPU seconds between its first record and its end (known only afterwards) can be read off by
 * interpolation. On a shared machine a run's rate moves with what other work leaves it, while its
 * CPU per event counts only the time it ran; and how many cores it kept busy says whether the
 * machine was its limit. The process is the whole benchmark: the cluster, the in-process broker,
 * RocksDB's threads, the JIT compiler.
 */
final class CpuSampler implements AutoCloseable {
  private static final long SAMPLE_MILLIS = 100;

  private long[] wallMillis = new long[64];
  private long[] cpuNanos = new long[64];
  private int samples;
  private final Thread sampler;
  private volatile boolean running = true;

  /** Starts sampling this process; {@link #close} ends it. */
  CpuSampler() {
    this(true);
  }

  /**
   * Without a sampling thread when {@code sampling} is false: the samples are {@link #record}ed.
   */
  CpuSampler(boolean sampling) {
    if (!sampling) {
      sampler = null;
      return;
    }
    record(System.currentTimeMillis(), processCpuNanos());
    sampler = new Thread(this::sample, "bench-cpu-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException stopped) {
        return;
      }
      record(System.currentTimeMillis(), processCpuNanos());
    }
  }

  /** Adds a sample: the process had used {@code cpu} ns of CPU at {@code wall} ms. */
  synchronized void record(long wall, long cpu) {
    if (cpu < 0) {
      return; // the platform does not tell
    }
    if (samples == wallMillis.length) {
      wallMillis = Arrays.copyOf(wallMillis, samples * 2);
      cpuNanos = Arrays.copyOf(cpuNanos, samples * 2);
    }
    wallMillis[samples] = wall;
    cpuNanos[samples] = cpu;
    samples++;
  }

  /**
   * The CPU seconds the process used from {@code fromMillis} to {@code toMillis}, each end
   * interpolated between the samples around it; -1 unless samples bracket both ends.
   */
  synchronized double cpuSecondsBetween(long fromMillis, long toMillis) {
    double from = cpuNanosAt(fromMillis);
    double to = cpuNanosAt(toMillis);
    return Double.isNaN(from) || Double.isNaN(to) ? -1 : (to - from) / 1e9;
  }

  private double cpuNanosAt(long millis) {
    for (int s = 1; s < samples; s++) {
      if (wallMillis[s] >= millis && wallMillis[s - 1] <= millis) {
        long span = wallMillis[s] - wallMillis[s - 1];
        double share = span == 0 ? 1 : (double) (millis - wallMillis[s - 1]) / span;
        return cpuNanos[s - 1] + share * (cpuNanos[s] - cpuNanos[s - 1]);
      }
    }
    return Double.NaN;
  }

  /** Takes a last sample now and stops sampling. */
  void stop() {
    close();
    record(System.currentTimeMillis(), processCpuNanos());
  }

  @Override
  public void close() {
    running = false;
    if (sampler != null) {
      sampler.interrupt();
    }
  }

  /** The CPU time this process has used, in ns; -1 where the platform does not tell. */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
