package io.personalize.job;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroDecodingException;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.validation.EventValidator;
import org.apache.flink.api.common.functions.OpenContext;

/** Decodes interaction records and checks them with the engine's {@link EventValidator}. */
public class ValidateInteractions extends ValidateRecords<ValidEvent> {
  private final JobConfig config;
  private transient AvroCodec<InteractionEvent> codec;
  private transient EventValidator validator;

  public ValidateInteractions(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext context) {
    super.open(context);
    codec = AvroCodec.of(InteractionEvent.class);
    validator = new EventValidator(config.scale(), config.millis(PersonalizeOptions.MAX_FUTURE));
  }

  @Override
  ValidEvent decode(RawRecord raw, long nowMillis) throws Rejected {
    InteractionEvent event;
    try {
      event = codec.decode(raw.value);
    } catch (AvroDecodingException e) {
      throw new Rejected(e.reason(), e.getMessage());
    }
    EventValidator.Rejection rejection =
        validator.check(
            event.getUserId(),
            event.getItemId(),
            event.getEventType() == EventType.RATING,
            event.getValue(),
            event.getEventTimeMillis(),
            nowMillis);
    if (rejection != null) {
      throw new Rejected(CoreRecords.reason(rejection.reason()), rejection.detail());
    }
    return new ValidEvent(
        event.getUserId(),
        event.getItemId(),
        event.getEventType().name(),
        event.getValue(),
        event.getEventTimeMillis());
  }
}
