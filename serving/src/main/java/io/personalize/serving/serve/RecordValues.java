package io.personalize.serving.serve;

import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.RecordDecoder;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes a topic's values, Avro single-object encoding or JSON, told per record by the first byte
 * ({@link RecordDecoder}); anything else is a rejected record.
 */
final class RecordValues {
  private static final ClassValue<RecordDecoder<?>> DECODERS =
      new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected RecordDecoder<?> computeValue(Class<?> type) {
          return RecordDecoder.of((Class<? extends SpecificRecord>) type);
        }
      };

  private RecordValues() {}

  /**
   * @throws IllegalArgumentException naming the type when the bytes are not one of its records
   */
  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> T decode(Class<T> type, byte[] value) {
    try {
      return ((RecordDecoder<T>) DECODERS.get(type)).decode(value);
    } catch (DecodingException e) {
      throw new IllegalArgumentException(
          "not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
