package io.personalize.eval;

import java.io.PrintStream;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A progress line. On a terminal it is rewritten in place ({@code \r}), at most four times a
 * second; written to a file or a pipe (a log, {@code | tee}, a container's output), each update is
 * a line of its own, at most one every ten seconds, since carriage returns there made one line of
 * thousands of updates.
 */
public final class LiveLine {
  private static final long TERMINAL_INTERVAL_NANOS = 250_000_000L;
  private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier clock;
  private final long intervalNanos;
  private long lastNanos;
  private boolean open;

  /** Starts the interval now: on a file or a pipe the first update is shown ten seconds on. */
  public LiveLine(PrintStream out, boolean terminal) {
    this(out, terminal, System::nanoTime);
  }

  /** With {@code clock} (nanoseconds) instead of {@link System#nanoTime}: a test's own clock. */
  LiveLine(PrintStream out, boolean terminal, LongSupplier clock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
    this.intervalNanos = terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
    this.lastNanos = terminal ? clock.getAsLong() - intervalNanos : clock.getAsLong();
  }

  /** Whether standard output is a terminal ({@link Terminal}). */
  public static LiveLine onStdout(PrintStream out) {
    return new LiveLine(out, Terminal.stdout());
  }

  /** Whether standard error is a terminal ({@link Terminal}). */
  public static LiveLine onStderr(PrintStream err) {
    return new LiveLine(err, Terminal.stderr());
  }

  /**
   * Whether an update would be shown now: the last was shown an interval ago or more. A caller
   * called for every record asks before it formats its text.
   */
  public boolean due() {
    return clock.getAsLong() - lastNanos >= intervalNanos;
  }

  /**
   * Shows the text when it is the {@code last} update (a final figure) or an update is {@link
   * #due}; the text is made only then.
   */
  public void update(boolean last, Supplier<String> text) {
    if (last || due()) {
      show(text.get());
    }
  }

  /** Shows {@code text} now: a final figure. */
  public void show(String text) {
    lastNanos = clock.getAsLong();
    print(text);
  }

  /** Ends the line on a terminal, if an update was shown; what follows starts a line of its own. */
  public void end() {
    if (open) {
      out.println();
      open = false;
    }
  }

  private void print(String text) {
    if (terminal) {
      // Spaces clear what a longer update before left at the end of the line.
      out.print("\r" + text + "   ");
      open = true;
    } else {
      out.println(text);
    }
    out.flush();
  }
}
