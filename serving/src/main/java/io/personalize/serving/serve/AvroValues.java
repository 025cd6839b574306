package io.personalize.serving.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageDecoder;

/** Decodes a topic's single-object encoded Avro values; anything else is a rejected record. */
final class AvroValues {
  private AvroValues() {}

  /**
   * @throws IllegalArgumentException naming the type when the bytes are not one of its records
   */
  static <T> T decode(BinaryMessageDecoder<T> decoder, byte[] value, String type) {
    try {
      return decoder.decode(ByteBuffer.wrap(value));
    } catch (IOException | AvroRuntimeException e) {
      throw new IllegalArgumentException("not a " + type + ": " + e.getMessage(), e);
    }
  }
}
