package io.personalize.connectors.format;

import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.json.JsonRecords;
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

  /** The bytes of one record in this format; {@code codec} is the record type's Avro codec. */
  public <T extends SpecificRecord> byte[] encode(AvroCodec<T> codec, T record) {
    return this == JSON ? JsonRecords.write(record) : codec.encode(record);
  }
}
