package io.personalize.connectors.kafka;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.format.DecodingException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Builds the {@link DeadLetter} of a Kafka record the engine could not use. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * The dead letter of a raw record: its value bytes as the payload (a copy; null stays null), its
   * topic, partition and offset as the origin.
   *
   * @param detail what was wrong, for a human; null becomes the reason's name
   * @param nowMillis when the record was set aside (processing time, epoch ms)
   */
  public static DeadLetter of(
      RawRecord raw, DeadLetterReason reason, String detail, long nowMillis) {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(reason, "reason");
    return DeadLetter.newBuilder()
        .setPayload(raw.value == null ? null : ByteBuffer.wrap(raw.value.clone()))
        .setSourceTopic(raw.topic)
        .setSourcePartition(raw.partition)
        .setSourceOffset(raw.offset)
        .setReason(reason)
        .setDetail(detail == null ? reason.name() : detail)
        .setReceivedAtMillis(nowMillis)
        .build();
  }

  /** The dead letter of a raw record that did not decode: reason and detail from the failure. */
  public static DeadLetter of(RawRecord raw, DecodingException failure, long nowMillis) {
    return of(raw, failure.reason(), failure.getMessage(), nowMillis);
  }
}
