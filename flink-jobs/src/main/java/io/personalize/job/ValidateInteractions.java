package io.personalize.job;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroDecodingException;
import io.personalize.connectors.kafka.DeadLetters;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.stream.InteractionValidator;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and validates raw interaction records. A valid event goes on; anything else goes to the
 * dead-letter side output with its bytes, origin and reason, and is counted per reason. Nothing
 * here throws on bad input, so one bad record never fails the job.
 */
public class ValidateInteractions extends ProcessFunction<RawRecord, ValidEvent> {
  private final JobConfig config;
  private transient AvroCodec<InteractionEvent> codec;
  private transient InteractionValidator validator;
  private transient Map<DeadLetterReason, Counter> rejected;
  private transient Counter accepted;

  public ValidateInteractions(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext context) {
    codec = AvroCodec.of(InteractionEvent.class);
    validator = new InteractionValidator(config.scale(), config.maxFutureMillis());
    rejected = new EnumMap<>(DeadLetterReason.class);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      rejected.put(
          reason,
          getRuntimeContext()
              .getMetricGroup()
              .addGroup("rejected")
              .counter(reason.name().toLowerCase(java.util.Locale.ROOT)));
    }
    accepted = getRuntimeContext().getMetricGroup().counter("events-accepted");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<ValidEvent> out) {
    long now = System.currentTimeMillis();
    InteractionEvent event;
    try {
      event = codec.decode(raw.value);
    } catch (AvroDecodingException e) {
      reject(raw, e.reason(), e.getMessage(), now, ctx);
      return;
    } catch (RuntimeException e) {
      reject(raw, DeadLetterReason.UNDECODABLE, "cannot decode: " + e, now, ctx);
      return;
    }
    InteractionValidator.Rejection rejection = validator.check(event, now);
    if (rejection != null) {
      reject(raw, rejection.reason(), rejection.detail(), now, ctx);
      return;
    }
    accepted.inc();
    out.collect(
        new ValidEvent(
            event.getUserId(),
            event.getItemId(),
            event.getEventType().name(),
            event.getValue(),
            event.getEventTimeMillis()));
  }

  private void reject(
      RawRecord raw, DeadLetterReason reason, String detail, long now, Context ctx) {
    rejected.get(reason).inc();
    ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, reason, detail, now));
  }
}
