package io.personalize.eval;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress of a long pass on one {@link LiveLine}: done/total, percent, elapsed time. Silent for
 * the first second, so short runs print nothing.
 */
public final class Progress {
  private final boolean enabled;
  private final LongSupplier clock;
  private final long startNanos;
  private final LiveLine line;
  private String task = "";
  private long taskStartNanos;
  private final Map<String, Long> taskNanos = new HashMap<>();

  /** Progress on {@code err}, which is standard error or a stream of a test's. */
  public Progress(PrintStream err, boolean enabled) {
    this(err, enabled, Terminal.stderr(), System::nanoTime);
  }

  /**
   * With {@code clock} (nanoseconds) instead of {@link System#nanoTime}: a test's own clock; {@code
   * terminal}: whether {@code out} is one ({@link LiveLine}).
   */
  Progress(PrintStream out, boolean enabled, boolean terminal, LongSupplier clock) {
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.enabled = enabled;
    this.line = new LiveLine(out, terminal, clock);
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
    if (now - startNanos < 1_000_000_000L || !line.due()) {
      return;
    }
    line.show(
        String.format(
            "%-28s %,12d / %,d (%3.0f%%)  %6.1f s",
            task,
            done,
            total,
            total == 0 ? 100.0 : 100.0 * done / total,
            (now - startNanos) / 1e9));
  }

  /** Ends the current progress line, if one was printed. */
  public void finishLine() {
    line.end();
  }

  public double elapsedSeconds() {
    return (clock.getAsLong() - startNanos) / 1e9;
  }
}
