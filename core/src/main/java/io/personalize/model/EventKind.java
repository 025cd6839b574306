package io.personalize.model;

/**
 * What kind of interaction an event is: the symbols of the Avro {@code EventType}, in its order
 * (the connectors convert one to the other by name). A rating is explicit feedback, its value the
 * rating; the others are implicit feedback, their value 1.0 (the event happened).
 */
public enum EventKind {
  RATING,
  CLICK,
  VIEW,
  PURCHASE;

  /** Whether the event's value is a rating; an implicit event's value is always 1.0. */
  public boolean isRating() {
    return this == RATING;
  }
}
