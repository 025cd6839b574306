package io.personalize.job;

import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.EventCheck;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.validation.EventValidator;
import org.apache.flink.api.common.functions.OpenContext;

/**
 * Decodes interaction records, Avro (single-object or schema-registry) or JSON ({@link
 * RecordDecoder}), and checks them with the engine's {@link EventValidator}: a JSON event becomes
 * the same Avro record first, so both formats get the same checks and dead-letter reasons.
 */
public class ValidateInteractions extends ValidateRecords<ValidEvent> {
  private final JobConfig config;
  private transient RecordDecoder<InteractionEvent> decoder;
  private transient EventValidator validator;

  public ValidateInteractions(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext context) {
    super.open(context);
    decoder = RecordDecoder.of(InteractionEvent.class, config.schemaRegistry());
    watchRegistry(decoder);
    validator = new EventValidator(config.scale(), config.millis(PersonalizeOptions.MAX_FUTURE));
  }

  @Override
  ValidEvent decode(RawRecord raw, long nowMillis) throws Rejected {
    InteractionEvent event;
    try {
      event = EventCheck.checked(decoder.decode(raw.value), validator, nowMillis);
    } catch (DecodingException e) {
      throw new Rejected(e.reason(), e.getMessage());
    }
    return new ValidEvent(
        event.getUserId(),
        event.getItemId(),
        event.getEventType().name(),
        event.getValue(),
        event.getEventTimeMillis());
  }
}
