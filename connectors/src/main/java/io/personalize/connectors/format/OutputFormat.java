package io.personalize.connectors.format;

import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.json.JsonRecords;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;

/**
 * How the engine writes the records of an output topic (docs/formats.md). Readers of the engine's
 * topics ({@link RecordDecoder}) read both, told per record by the first byte.
 */
public enum OutputFormat {
  /** Avro single-object encoding: {@code C3 01}, the schema fingerprint, the binary body. */
  AVRO,
  /** One plain JSON object with the schema's field names, UTF-8 ({@link JsonRecords}). */
  JSON;

  /**
   * The format of a command-line value, {@code avro} or {@code json} in any case.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static OutputFormat named(String name) {
    for (OutputFormat format : values()) {
      if (format.name().equalsIgnoreCase(name.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException("a format is avro or json, not '" + name + "'");
  }

  /** The lower-case name, as command lines and reports spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The bytes of one record in this format; {@code codec} is the record type's Avro codec. */
  public <T extends SpecificRecord> byte[] encode(AvroCodec<T> codec, T record) {
    return this == JSON ? JsonRecords.write(record) : codec.encode(record);
  }
}
