package io.personalize.online;

import io.personalize.util.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * Groups the users that idle timers expire into batches, one per watermark advance, so that a jump
 * in event time (one event far ahead of the rest) that expires many users at once is reported as
 * one line instead of going unnoticed. Timers of one watermark advance all fire before the next
 * record, so a batch is complete when a record arrives or the watermark moves again.
 */
public final class ExpiryBatches {
  /** The users one watermark advance expired. */
  public record Batch(long users, long watermark, long oldestLastEvent, long newestLastEvent) {
    /** One line for the log. */
    public String describe(long idleMillis) {
      return String.format(
          "expired %,d user%s idle for more than %s of event time, as the watermark reached %s"
              + " (their last events %s .. %s)",
          users,
          users == 1 ? "" : "s",
          Durations.show(Duration.ofMillis(idleMillis)),
          Instant.ofEpochMilli(watermark),
          Instant.ofEpochMilli(oldestLastEvent),
          Instant.ofEpochMilli(newestLastEvent));
    }

    /**
     * How far the watermark had passed the deadline of the most recent of these users when they
     * expired: about one watermark step when event time went by (a replay of years of history
     * expires users every step, each close to its deadline), far more when it jumped (one event far
     * ahead of the rest). Long.MAX_VALUE when that does not fit a long.
     */
    public long lateByMillis(long idleMillis) {
      try {
        return Math.subtractExact(watermark, Math.addExact(newestLastEvent, idleMillis));
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
  }

  private long watermark = Long.MIN_VALUE;
  private long users;
  private long oldest = Long.MAX_VALUE;
  private long newest = Long.MIN_VALUE;

  /**
   * Counts one expired user; returns the previous batch when this expiry belongs to a later
   * watermark (the previous batch is then complete), else null.
   */
  public Batch expire(long currentWatermark, long lastEventTimeMillis) {
    Batch closed = currentWatermark != watermark ? close() : null;
    watermark = currentWatermark;
    users++;
    oldest = Math.min(oldest, lastEventTimeMillis);
    newest = Math.max(newest, lastEventTimeMillis);
    return closed;
  }

  /** Closes the open batch and returns it; null when none is open. */
  public Batch close() {
    if (users == 0) {
      return null;
    }
    Batch batch = new Batch(users, watermark, oldest, newest);
    users = 0;
    oldest = Long.MAX_VALUE;
    newest = Long.MIN_VALUE;
    return batch;
  }

  /** Whether expiries are counted that no returned batch has reported yet. */
  public boolean isOpen() {
    return users > 0;
  }
}
