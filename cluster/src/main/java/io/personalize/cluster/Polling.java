package io.personalize.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for processes that have no completion callback: a broker's port, a job's tasks. */
public final class Polling {
  private static final Duration INTERVAL = Duration.ofMillis(250);

  private Polling() {}

  /** A condition that will never hold, e.g. the awaited process has exited: stop waiting. */
  public static final class Fatal extends RuntimeException {
    public Fatal(String message) {
      super(message);
    }
  }

  /**
   * Polls until {@code done} holds; an exception from {@code done} means "not yet" unless it is a
   * {@link Fatal}. Fails with {@code why} after {@code timeout}.
   */
  public static void await(BooleanSupplier done, Duration timeout, Supplier<String> why) {
    Instant deadline = Instant.now().plus(timeout);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        if (done.getAsBoolean()) {
          return;
        }
      } catch (Fatal e) {
        throw e;
      } catch (RuntimeException e) {
        last = e;
      }
      sleep(INTERVAL);
    }
    String message = "timed out after " + timeout.toSeconds() + " s: ";
    try {
      message += why.get();
    } catch (RuntimeException e) {
      message += e.getMessage();
    }
    throw new IllegalStateException(message, last);
  }

  /**
   * Polls until {@code holds} has held at every poll for at least {@code steadyFor}: for answers
   * that may be stale for a while (Flink's REST API serves a job's state from a cache that lives
   * {@code web.refresh-interval}, 3 s by default), so one answer that it holds is not enough.
   */
  public static void awaitSteady(
      BooleanSupplier holds, Duration steadyFor, Duration timeout, Supplier<String> why) {
    long[] holdingSince = {Long.MIN_VALUE};
    await(
        () -> {
          long now = System.nanoTime();
          long since = holdingSince[0];
          holdingSince[0] = Long.MIN_VALUE; // stays so unless it holds now (an exception: not yet)
          if (!holds.getAsBoolean()) {
            return false;
          }
          holdingSince[0] = since;
          if (holdingSince[0] == Long.MIN_VALUE) {
            holdingSince[0] = now;
          }
          return now - holdingSince[0] >= steadyFor.toNanos();
        },
        timeout,
        why);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
