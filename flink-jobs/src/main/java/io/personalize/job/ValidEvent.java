package io.personalize.job;

/** An interaction event that passed validation: what the model operators consume. A POJO. */
public class ValidEvent {
  public String userId;
  public String itemId;

  /** The Avro EventType's name: RATING, CLICK, VIEW or PURCHASE. */
  public String eventType;

  public double value;
  public long eventTimeMillis;

  public ValidEvent() {}

  public ValidEvent(
      String userId, String itemId, String eventType, double value, long eventTimeMillis) {
    this.userId = userId;
    this.itemId = itemId;
    this.eventType = eventType;
    this.value = value;
    this.eventTimeMillis = eventTimeMillis;
  }

  @Override
  public String toString() {
    return userId + " " + eventType + " " + itemId + " = " + value + " @" + eventTimeMillis;
  }
}
