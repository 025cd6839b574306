package io.personalize.connectors.format;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.validation.EventValidator;

/**
 * The engine's checks of a decoded interaction event ({@link EventValidator}), for every way an
 * event comes in: the job's validator of the interactions topic and the server's {@code POST
 * /events} give the same reasons and details.
 */
public final class EventCheck {
  private EventCheck() {}

  /**
   * {@code event} when {@code validator} accepts it at {@code nowMillis}.
   *
   * @throws DecodingException with the dead-letter reason and detail of the rejection
   */
  public static InteractionEvent checked(
      InteractionEvent event, EventValidator validator, long nowMillis) {
    EventValidator.Rejection rejection =
        validator.check(
            event.getUserId(),
            event.getItemId(),
            event.getEventType() == EventType.RATING,
            event.getValue(),
            event.getEventTimeMillis(),
            nowMillis);
    if (rejection != null) {
      throw new DecodingException(CoreRecords.reason(rejection.reason()), rejection.detail(), null);
    }
    return event;
  }
}
