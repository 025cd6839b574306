package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroDecodingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private static final byte[] GARBAGE = "not avro".getBytes(StandardCharsets.UTF_8);

  @Test
  void keepsThePayloadAndTheOriginOfTheRawRecord() {
    RawRecord raw =
        new RawRecord(
            "interactions", 3, 1234L, 99L, "u1".getBytes(StandardCharsets.UTF_8), GARBAGE);

    DeadLetter letter = DeadLetters.of(raw, DeadLetterReason.INVALID_VALUE, "rating 9", 5000L);

    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(GARBAGE));
    assertThat(letter.getSourceTopic()).isEqualTo("interactions");
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(1234L);
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
    assertThat(letter.getDetail()).isEqualTo("rating 9");
    assertThat(letter.getReceivedAtMillis()).isEqualTo(5000L);
  }

  @Test
  void thePayloadIsACopy() {
    byte[] value = GARBAGE.clone();
    RawRecord raw = new RawRecord("t", 0, 0, 0, null, value);

    DeadLetter letter = DeadLetters.of(raw, DeadLetterReason.OTHER, "x", 0);
    value[0] = 'X';

    assertThat(letter.getPayload()).isEqualTo(ByteBuffer.wrap(GARBAGE));
  }

  @Test
  void aRecordWithoutValueHasNoPayloadAndADetailIsAlwaysThere() {
    RawRecord raw = new RawRecord("t", 0, 7, 0, null, null);

    DeadLetter letter = DeadLetters.of(raw, DeadLetterReason.UNDECODABLE, null, 1);

    assertThat(letter.getPayload()).isNull();
    assertThat(letter.getDetail()).isEqualTo("UNDECODABLE");
  }

  @Test
  void takesReasonAndDetailFromADecodingFailureAndEncodes() {
    RawRecord raw = new RawRecord("interactions", 0, 42, 0, null, GARBAGE);
    AvroDecodingException failure =
        catchThrowableOfType(
            AvroDecodingException.class,
            () -> AvroCodec.of(InteractionEvent.class).decode(raw.value));

    DeadLetter letter = DeadLetters.of(raw, failure, 10);

    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(letter.getDetail()).isEqualTo(failure.getMessage()).contains("no C3 01 header");
    AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    assertThat(codec.decode(codec.encode(letter))).isEqualTo(letter);
  }

  @Test
  void aDeadLetterOverTheRecordSizeKeepsTheFirstBytesOfItsPayloadAndSaysSo() {
    byte[] value = new byte[50_000];
    for (int b = 0; b < value.length; b++) {
      value[b] = (byte) (b * 31);
    }
    DeadLetter letter =
        DeadLetters.of(
            new RawRecord("interactions", 1, 42, 0, null, value),
            DeadLetterReason.UNDECODABLE,
            "unknown format",
            9);

    DeadLetter fitted = DeadLetters.fitTo(letter, 20_000);

    byte[] encoded = AvroCodec.of(DeadLetter.class).encode(fitted);
    assertThat(encoded.length).isLessThanOrEqualTo(20_000).isGreaterThan(19_900);
    int kept = fitted.getPayload().remaining();
    assertThat(fitted.getPayload()).isEqualTo(ByteBuffer.wrap(value, 0, kept));
    assertThat(fitted.getDetail())
        .isEqualTo(
            "unknown format (payload truncated to its first "
                + kept
                + " of 50000 bytes, to fit personalize.output.max-record-bytes)");
    assertThat(fitted.getSourceOffset()).isEqualTo(42);
    assertThat(fitted.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(DeadLetters.isTruncated(fitted)).as("not to be replayed").isTrue();
    assertThat(DeadLetters.isTruncated(letter)).isFalse();
  }

  @Test
  void aDeadLetterThatFitsIsLeftAlone() {
    DeadLetter letter =
        DeadLetters.of(new RawRecord("t", 0, 0, 0, null, GARBAGE), DeadLetterReason.OTHER, "x", 0);

    assertThat(DeadLetters.fitTo(letter, 1_000)).isSameAs(letter);
    assertThat(DeadLetters.isTruncated(letter)).isFalse();
  }
}
