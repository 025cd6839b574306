package io.personalize.validation;

import io.personalize.model.RatingScale;
import io.personalize.util.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether an interaction event may be learned, and if not, why: each rejection has a reason
 * and a sentence naming the offending field and value. The rules are the same for every input
 * format; the job turns a rejection into a dead letter, the command line into an error.
 */
public final class EventValidator {
  /** Longest accepted user or item id, in characters. */
  public static final int MAX_ID_LENGTH = 256;

  /** Why an event is rejected; each name is also a symbol of the Avro {@code DeadLetterReason}. */
  public enum Reason {
    MISSING_ID,
    INVALID_ID,
    INVALID_VALUE,
    FUTURE_TIMESTAMP
  }

  /** A reason not to learn an event, with what exactly was wrong. */
  public record Rejection(Reason reason, String detail) {}

  private final RatingScale scale;
  private final long maxFutureMillis;

  /**
   * @param scale valid rating values
   * @param maxFutureMillis how far ahead of the wall clock an event time may be
   */
  public EventValidator(RatingScale scale, long maxFutureMillis) {
    this.scale = scale;
    this.maxFutureMillis = maxFutureMillis;
  }

  /**
   * Null when the event is valid.
   *
   * @param rating whether the event is a rating (its value must be on the scale); implicit events
   *     only need a finite value
   */
  public Rejection check(
      String userId, String itemId, boolean rating, double value, long timeMillis, long nowMillis) {
    Rejection id = checkId("userId", userId);
    if (id != null) {
      return id;
    }
    id = checkId("itemId", itemId);
    if (id != null) {
      return id;
    }
    if (!Double.isFinite(value)) {
      return new Rejection(Reason.INVALID_VALUE, "value is not a finite number: " + value);
    }
    if (rating && !scale.contains(value)) {
      return new Rejection(
          Reason.INVALID_VALUE,
          "rating " + value + " is outside the scale " + scale.min() + ".." + scale.max());
    }
    if (timeMillis < 0) {
      return new Rejection(Reason.INVALID_VALUE, "event time is negative: " + timeMillis);
    }
    if (timeMillis - nowMillis > maxFutureMillis) { // not now + max: Long.MAX_VALUE would overflow
      return new Rejection(
          Reason.FUTURE_TIMESTAMP,
          "event time "
              + Instant.ofEpochMilli(timeMillis)
              + " is more than "
              + Durations.show(Duration.ofMillis(maxFutureMillis))
              + " ahead of now ("
              + Instant.ofEpochMilli(nowMillis)
              + ")");
    }
    return null;
  }

  /**
   * Null when {@code id} is a usable user or item id: present, at most {@link #MAX_ID_LENGTH}
   * characters, no control characters, no surrounding white space.
   *
   * @param field the id's name in messages, such as {@code userId}
   */
  public static Rejection checkId(String field, String id) {
    if (id == null || id.isBlank()) {
      return new Rejection(Reason.MISSING_ID, field + " is missing or blank");
    }
    if (id.length() > MAX_ID_LENGTH) {
      return new Rejection(
          Reason.INVALID_ID,
          field + " is " + id.length() + " characters long, more than " + MAX_ID_LENGTH);
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        return new Rejection(
            Reason.INVALID_ID, field + " contains a control character at position " + i);
      }
    }
    if (!id.equals(id.strip())) {
      return new Rejection(
          Reason.INVALID_ID, field + " has leading or trailing white space: '" + id + "'");
    }
    return null;
  }
}
