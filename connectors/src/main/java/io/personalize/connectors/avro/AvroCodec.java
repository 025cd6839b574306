package io.personalize.connectors.avro;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.RecommendationList;
import io.personalize.connectors.format.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one generated record type: {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body (see docs/schemas.md,
 * "Kafka encoding"). The same encoder and decoder as the generated {@code X.getEncoder()} / {@code
 * X.getDecoder()}: the class's own {@link SpecificData} and schema.
 *
 * <p>{@link #decode} never returns garbage silently: it throws {@link AvroDecodingException} with
 * {@link DeadLetterReason#WRONG_SCHEMA} for a well-formed message of an unknown writer schema and
 * {@link DeadLetterReason#UNDECODABLE} for anything else (null or empty bytes, no header, truncated
 * or corrupt body, bytes left over after the record).
 *
 * <p>Thread-safe. Serializable, so Flink can ship it inside a function: only the class is
 * serialized; the encoder and decoder are built on first use.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final byte[] HEADER = {(byte) 0xC3, 0x01};
  static final int HEADER_AND_FINGERPRINT = 10;

  /** The engine's top-level wire types (the values of its topics) by their schema's fingerprint. */
  private static final Map<Long, Class<? extends SpecificRecord>> WIRE_TYPES =
      List.<Class<? extends SpecificRecord>>of(
              InteractionEvent.class,
              ItemMetadata.class,
              GradientCheckpoint.class,
              GroupBoundaries.class,
              RecommendationList.class,
              MetricSnapshot.class,
              DeadLetter.class)
          .stream()
          .collect(
              Collectors.toMap(
                  type ->
                      SchemaNormalization.parsingFingerprint64(
                          SpecificData.getForClass(type).getSchema(type)),
                  type -> type));

  private final Class<T> type;

  /** Built on first use, and again after deserialization. */
  private transient volatile Parts<T> parts;

  /** What the codec derives from the class. */
  private record Parts<T>(
      String name,
      Schema schema,
      long fingerprint,
      BinaryMessageEncoder<T> encoder,
      BinaryMessageDecoder<T> decoder) {}

  private AvroCodec(Class<T> type) {
    this.type = type;
  }

  /**
   * The codec of a generated record class, such as {@code AvroCodec.of(InteractionEvent.class)}.
   *
   * @throws IllegalArgumentException if the class is not a generated record with a schema
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    AvroCodec<T> codec = new AvroCodec<>(type);
    try {
      codec.parts();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a generated Avro record class: " + type, e);
    }
    return codec;
  }

  /** The record class. */
  public Class<T> type() {
    return type;
  }

  /** The schema of the record class: the writer schema of {@link #encode}. */
  public Schema schema() {
    return parts().schema();
  }

  /** CRC-64-AVRO fingerprint of {@link #schema()}, as written in every message. */
  public long fingerprint() {
    return parts().fingerprint();
  }

  /**
   * Which of the engine's top-level record types (the values of its topics) a single-object-encoded
   * value was written as, told by the fingerprint in its header; empty for bytes without the header
   * or of a writer schema the engine does not have.
   */
  public static Optional<Class<? extends SpecificRecord>> wireType(byte[] bytes) {
    if (bytes == null
        || bytes.length < HEADER_AND_FINGERPRINT
        || bytes[0] != HEADER[0]
        || bytes[1] != HEADER[1]) {
      return Optional.empty();
    }
    long fingerprint =
        ByteBuffer.wrap(bytes, HEADER.length, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return Optional.ofNullable(WIRE_TYPES.get(fingerprint));
  }

  /**
   * Single-object encoding of a record.
   *
   * @throws org.apache.avro.AvroRuntimeException or NullPointerException if the record breaks its
   *     schema, e.g. null in a non-null field
   */
  public byte[] encode(T record) {
    Objects.requireNonNull(record, "record");
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try {
      parts().encoder().encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one single-object-encoded record written with this class's schema. A record of any
   * other writer schema, another type or another version of this one, is {@link
   * DeadLetterReason#WRONG_SCHEMA}: older versions must be registered when the first schema change
   * ships (docs/schemas.md, "Rollout").
   *
   * @throws AvroDecodingException with {@link DeadLetterReason#WRONG_SCHEMA} or {@link
   *     DeadLetterReason#UNDECODABLE}; never any other exception
   */
  public T decode(byte[] bytes) {
    String name = parts().name();
    if (bytes == null || bytes.length == 0) {
      throw undecodable(
          "no bytes to decode as " + name + " (" + (bytes == null ? "null" : "empty") + ")", null);
    }
    if (bytes.length < HEADER.length || bytes[0] != HEADER[0] || bytes[1] != HEADER[1]) {
      throw undecodable(
          "not Avro single-object encoding (no C3 01 header): "
              + WireFormat.describe(bytes)
              + ", not "
              + name,
          null);
    }
    if (bytes.length < HEADER_AND_FINGERPRINT) {
      throw undecodable(
          "truncated: "
              + WireFormat.describe(bytes)
              + " ends inside the schema fingerprint of the header",
          null);
    }
    long fingerprint =
        ByteBuffer.wrap(bytes, HEADER.length, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (fingerprint != fingerprint()) {
      throw wrongSchema(fingerprint, bytes.length, null);
    }
    // Check the structure first: Avro allocates whatever length the data declares.
    String problem = BodyCheck.problem(schema(), bytes, HEADER_AND_FINGERPRINT);
    if (problem != null) {
      throw undecodable(
          "corrupt or truncated " + name + " (" + bytes.length + " bytes): " + problem, null);
    }
    T record;
    try {
      record = parts().decoder().decode(bytes);
    } catch (MissingSchemaException e) {
      throw wrongSchema(fingerprint, bytes.length, e);
    } catch (IOException | RuntimeException e) {
      throw undecodable("corrupt " + name + " (" + bytes.length + " bytes): " + rootMessage(e), e);
    }
    return record;
  }

  private Parts<T> parts() {
    Parts<T> p = parts;
    if (p == null) {
      SpecificData model = SpecificData.getForClass(type);
      Schema schema = model.getSchema(type);
      p =
          new Parts<>(
              type.getSimpleName(),
              schema,
              SchemaNormalization.parsingFingerprint64(schema),
              new BinaryMessageEncoder<>(model, schema),
              new BinaryMessageDecoder<>(model, schema));
      parts = p;
    }
    return p;
  }

  private AvroDecodingException wrongSchema(long fingerprint, int length, Throwable cause) {
    Class<? extends SpecificRecord> known = WIRE_TYPES.get(fingerprint);
    return new AvroDecodingException(
        DeadLetterReason.WRONG_SCHEMA,
        "unknown writer schema fingerprint "
            + HexFormat.of().toHexDigits(fingerprint)
            + (known == null ? "" : " (a " + known.getSimpleName() + " record)")
            + " where "
            + type.getSimpleName()
            + " (fingerprint "
            + HexFormat.of().toHexDigits(fingerprint())
            + ") was expected; "
            + length
            + " bytes",
        cause);
  }

  private static AvroDecodingException undecodable(String message, Throwable cause) {
    return new AvroDecodingException(DeadLetterReason.UNDECODABLE, message, cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public String toString() {
    return "AvroCodec[" + type.getName() + "]";
  }
}
