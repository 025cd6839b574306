package io.personalize.job;

import io.personalize.model.EventKind;

/** An interaction event that passed validation: what the model operators consume. A POJO. */
public class ValidEvent {
  public String userId;
  public String itemId;

  /** The Avro EventType's name: RATING, CLICK, VIEW or PURCHASE. */
  public String eventType;

  public double value;
  public long eventTimeMillis;

  /**
   * The ranking model's negatives for this event, item ids drawn once by {@link
   * UserSequenceFunction} so that the global and the per-user halves learn the same examples; empty
   * before that operator.
   */
  public String[] negatives = new String[0];

  public ValidEvent() {}

  public ValidEvent(
      String userId, String itemId, String eventType, double value, long eventTimeMillis) {
    this.userId = userId;
    this.itemId = itemId;
    this.eventType = eventType;
    this.value = value;
    this.eventTimeMillis = eventTimeMillis;
  }

  public EventKind kind() {
    return EventKind.valueOf(eventType);
  }

  @Override
  public String toString() {
    return userId + " " + eventType + " " + itemId + " = " + value + " @" + eventTimeMillis;
  }
}
