package io.personalize.connectors.kafka;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.DecodingException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Builds the {@link DeadLetter} of a Kafka record the engine could not use. */
public final class DeadLetters {
  /** Longest detail a dead letter that had to be cut keeps. */
  private static final int MAX_DETAIL_CHARS = 1_000;

  /** How the detail of a letter whose payload was cut says so. */
  private static final String TRUNCATED = " (payload truncated to its first ";

  private static final AvroCodec<DeadLetter> CODEC = AvroCodec.of(DeadLetter.class);

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

  /**
   * {@code letter} when its Avro encoding is at most {@code maxBytes}; otherwise a copy that keeps
   * only the first bytes of the payload, with the detail saying how many of how many were kept. A
   * bad record close to Kafka's record size limit would otherwise make a dead letter over it, which
   * the producer refuses, failing the job on that record again after every restart.
   */
  public static DeadLetter fitTo(DeadLetter letter, int maxBytes) {
    int size = CODEC.encode(letter).length;
    if (size <= maxBytes || letter.getPayload() == null) {
      return letter;
    }
    int total = letter.getPayload().remaining();
    String detail = letter.getDetail();
    if (detail.length() > MAX_DETAIL_CHARS) {
      detail = detail.substring(0, MAX_DETAIL_CHARS) + "...";
    }
    // Cut the payload by the excess and the detail's note; repeat while still over (it is not
    // when the detail was short, but a long one may be multi-byte).
    int keep = total;
    int excess = size - maxBytes + truncationNote(total, total).length();
    DeadLetter fitted = letter;
    while (excess > 0 && keep > 0) {
      keep = Math.max(0, keep - excess);
      byte[] kept = new byte[keep];
      letter.getPayload().duplicate().get(kept);
      fitted =
          DeadLetter.newBuilder(letter)
              .setPayload(ByteBuffer.wrap(kept))
              .setDetail(detail + truncationNote(keep, total))
              .build();
      excess = CODEC.encode(fitted).length - maxBytes;
    }
    return fitted;
  }

  /**
   * Whether {@link #fitTo} cut the letter's payload: then it is not the record that was sent, and
   * replaying it would send a broken record.
   */
  public static boolean isTruncated(DeadLetter letter) {
    return letter.getDetail().contains(TRUNCATED);
  }

  private static String truncationNote(int kept, int total) {
    return TRUNCATED
        + kept
        + " of "
        + total
        + " bytes, to fit personalize.output.max-record-bytes)";
  }

  /** The dead letter of a raw record that did not decode: reason and detail from the failure. */
  public static DeadLetter of(RawRecord raw, DecodingException failure, long nowMillis) {
    return of(raw, failure.reason(), failure.getMessage(), nowMillis);
  }
}
