package io.personalize.stream;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.model.RatingScale;

/**
 * Decides whether a decoded interaction event may be learned, and if not, why: each rejection has a
 * dead-letter reason and a sentence naming the offending field and value.
 */
public final class InteractionValidator {
  /** Longest accepted user or item id, in characters. */
  public static final int MAX_ID_LENGTH = 256;

  private final RatingScale scale;
  private final long maxFutureMillis;

  /**
   * @param scale valid rating values
   * @param maxFutureMillis how far ahead of the wall clock an event time may be
   */
  public InteractionValidator(RatingScale scale, long maxFutureMillis) {
    this.scale = scale;
    this.maxFutureMillis = maxFutureMillis;
  }

  /** A reason not to learn an event. */
  public record Rejection(DeadLetterReason reason, String detail) {}

  /** Null when the event is valid. */
  public Rejection check(InteractionEvent event, long nowMillis) {
    Rejection id = checkId("userId", event.getUserId());
    if (id != null) {
      return id;
    }
    id = checkId("itemId", event.getItemId());
    if (id != null) {
      return id;
    }
    double value = event.getValue();
    if (!Double.isFinite(value)) {
      return new Rejection(
          DeadLetterReason.INVALID_VALUE, "value is not a finite number: " + value);
    }
    if (event.getEventType() == EventType.RATING && (value < scale.min() || value > scale.max())) {
      return new Rejection(
          DeadLetterReason.INVALID_VALUE,
          "rating " + value + " is outside the scale " + scale.min() + ".." + scale.max());
    }
    long time = event.getEventTimeMillis();
    if (time < 0) {
      return new Rejection(DeadLetterReason.INVALID_VALUE, "event time is negative: " + time);
    }
    if (time > nowMillis + maxFutureMillis) {
      return new Rejection(
          DeadLetterReason.FUTURE_TIMESTAMP,
          "event time "
              + java.time.Instant.ofEpochMilli(time)
              + " is more than "
              + java.time.Duration.ofMillis(maxFutureMillis)
              + " ahead of now ("
              + java.time.Instant.ofEpochMilli(nowMillis)
              + ")");
    }
    return null;
  }

  private static Rejection checkId(String field, String id) {
    if (id == null || id.isBlank()) {
      return new Rejection(DeadLetterReason.MISSING_ID, field + " is missing or blank");
    }
    if (id.length() > MAX_ID_LENGTH) {
      return new Rejection(
          DeadLetterReason.INVALID_ID,
          field + " is " + id.length() + " characters long, more than " + MAX_ID_LENGTH);
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        return new Rejection(
            DeadLetterReason.INVALID_ID, field + " contains a control character at " + i);
      }
    }
    if (!id.equals(id.strip())) {
      return new Rejection(
          DeadLetterReason.INVALID_ID,
          field + " has leading or trailing white space: '" + id + "'");
    }
    return null;
  }
}
