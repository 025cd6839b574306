package io.personalize.connectors.data;

import io.personalize.model.EventKind;
import java.util.Objects;

/**
 * One interaction event: a rating, or an implicit event such as a click.
 *
 * @param userId the user's id as written in the data set; for click and view data sets without
 *     users (yoochoose, diginetica) the id of the session, which stands for its user
 * @param itemId the item's id as written in the data set
 * @param value the rating of a {@link EventKind#RATING} (MovieLens: 1..5, or 0.5..5.0 in half stars
 *     for ml-latest); 1.0 for an implicit event (the event happened), as the Avro {@code
 *     InteractionEvent} has it
 * @param timeMillis when the event happened, in epoch milliseconds (MovieLens stores seconds)
 * @param kind what kind of event it is
 * @param sessionId the session the event belongs to, as written in the data set; null when the data
 *     set has no sessions (MovieLens). The session belongs to the user {@code userId}.
 */
public record Interaction(
    String userId, String itemId, double value, long timeMillis, EventKind kind, String sessionId) {
  /**
   * @throws IllegalArgumentException when an implicit event's value is not 1.0
   */
  public Interaction {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(kind, "kind");
    if (!kind.isRating() && value != 1.0) {
      throw new IllegalArgumentException(
          "a " + kind + " event's value is 1.0, not " + value + ": " + userId + " " + itemId);
    }
  }

  /** A rating, outside any session. */
  public Interaction(String userId, String itemId, double value, long timeMillis) {
    this(userId, itemId, value, timeMillis, EventKind.RATING, null);
  }

  /**
   * An implicit event (value 1.0) of an anonymous session, which is its own user: the session id is
   * also the user id, as written in the data set (no prefix).
   *
   * @throws IllegalArgumentException when {@code kind} is {@link EventKind#RATING}
   */
  public static Interaction inSession(
      String sessionId, String itemId, EventKind kind, long timeMillis) {
    if (kind.isRating()) {
      throw new IllegalArgumentException("a session's events are implicit, not ratings");
    }
    return new Interaction(sessionId, itemId, 1.0, timeMillis, kind, sessionId);
  }
}
