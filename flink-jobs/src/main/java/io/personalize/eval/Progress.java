package io.personalize.eval;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress of a long pass on one line of the terminal: done/total, percent, elapsed time. Silent
 * for the first second, so short runs print nothing, and at most four updates a second.
 */
public final class Progress {
  private final PrintStream out;
  private final boolean enabled;
  private final LongSupplier clock;
  private final long startNanos;
  private long lastPrintNanos;
  private String task = "";
  private long taskStartNanos;
  private final Map<String, Long> taskNanos = new HashMap<>();
  private boolean printed;

  public Progress(PrintStream out, boolean enabled) {
    this(out, enabled, System::nanoTime);
  }

  /** With {@code clock} (nanoseconds) instead of {@link System#nanoTime}: a test's own clock. */
  Progress(PrintStream out, boolean enabled, LongSupplier clock) {
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.lastPrintNanos = startNanos;
    this.out = out;
    this.enabled = enabled;
  }

  public static Progress silent() {
    return new Progress(System.err, false);
  }

  public void task(String name) {
    finishLine();
    endTask();
    this.task = name;
    this.taskStartNanos = clock.getAsLong();
  }

  /** Stops the current task's clock (the next {@link #task} does too). */
  public void endTask() {
    if (!task.isEmpty()) {
      taskNanos.merge(task, clock.getAsLong() - taskStartNanos, Long::sum);
      task = "";
    }
  }

  /**
   * How long the task {@code name} ran until it ended: what a pass's own loop took, without what
   * the run does before and after it (the benchmark's compute loop times the prequential pass
   * alone, not the metrics computed from it).
   */
  public double taskSeconds(String name) {
    Long nanos = taskNanos.get(name);
    if (nanos == null) {
      throw new IllegalStateException("no task '" + name + "' ended, only " + taskNanos.keySet());
    }
    return nanos / 1e9;
  }

  public void update(long done, long total) {
    if (!enabled) {
      return;
    }
    long now = clock.getAsLong();
    if (now - startNanos < 1_000_000_000L || now - lastPrintNanos < 250_000_000L) {
      return;
    }
    lastPrintNanos = now;
    printed = true;
    out.printf(
        "\r%-28s %,12d / %,d (%3.0f%%)  %6.1f s",
        task, done, total, total == 0 ? 100.0 : 100.0 * done / total, (now - startNanos) / 1e9);
    out.flush();
  }

  /** Ends the current progress line, if one was printed. */
  public void finishLine() {
    if (printed) {
      out.println();
      printed = false;
    }
  }

  public double elapsedSeconds() {
    return (clock.getAsLong() - startNanos) / 1e9;
  }
}
