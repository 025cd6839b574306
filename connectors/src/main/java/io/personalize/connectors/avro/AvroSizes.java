package io.personalize.connectors.avro;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;

/**
 * An upper bound on a record's size in {@link AvroCodec}'s single-object encoding, found without
 * encoding it: every varint at its longest, every string at three bytes per UTF-16 unit, arrays of
 * fixed-size items by their count. A caller that only needs to know whether a record fits a limit
 * (a Kafka record's size) can skip the encoding when the bound fits; the sink encodes it anyway.
 */
public final class AvroSizes {
  private static final int MAX_INT = 5;
  private static final int MAX_LONG = 10;

  private AvroSizes() {}

  /** At least as many bytes as {@link AvroCodec#encode} writes for {@code record}. */
  public static long upperBound(SpecificRecord record) {
    return AvroCodec.HEADER_AND_FINGERPRINT + body(record.getSchema(), record);
  }

  private static long body(Schema schema, Object datum) {
    long fixed = fixedSize(schema);
    if (fixed >= 0) {
      return fixed;
    }
    return switch (schema.getType()) {
      case STRING -> MAX_LONG + stringBytes((CharSequence) datum);
      case BYTES -> MAX_LONG + ((ByteBuffer) datum).remaining();
      case RECORD -> record(schema, (IndexedRecord) datum);
      case ARRAY -> array(schema.getElementType(), (Collection<?>) datum);
      case MAP -> map(schema.getValueType(), (Map<?, ?>) datum);
      case UNION -> {
        int branch = SpecificData.get().resolveUnion(schema, datum);
        yield MAX_INT + body(schema.getTypes().get(branch), datum);
      }
      default -> throw new IllegalStateException("no size for Avro type " + schema.getType());
    };
  }

  private static long record(Schema schema, IndexedRecord datum) {
    long bytes = 0;
    List<Schema.Field> fields = schema.getFields();
    for (int f = 0; f < fields.size(); f++) {
      bytes += body(fields.get(f).schema(), datum.get(f));
    }
    return bytes;
  }

  /** One block (its count, at most a long) and the end marker; items of a fixed size by count. */
  private static long array(Schema items, Collection<?> datum) {
    long bytes = MAX_LONG + 1;
    long fixed = fixedSize(items);
    if (fixed >= 0) {
      return bytes + fixed * datum.size();
    }
    for (Object item : datum) {
      bytes += body(items, item);
    }
    return bytes;
  }

  private static long map(Schema values, Map<?, ?> datum) {
    long bytes = MAX_LONG + 1;
    for (Map.Entry<?, ?> entry : datum.entrySet()) {
      bytes +=
          MAX_LONG + stringBytes((CharSequence) entry.getKey()) + body(values, entry.getValue());
    }
    return bytes;
  }

  /** The most bytes any value of this type takes, -1 when it depends on the value. */
  private static long fixedSize(Schema schema) {
    return switch (schema.getType()) {
      case NULL -> 0;
      case BOOLEAN -> 1;
      case INT, ENUM -> MAX_INT;
      case LONG -> MAX_LONG;
      case FLOAT -> 4;
      case DOUBLE -> 8;
      case FIXED -> schema.getFixedSize();
      default -> -1;
    };
  }

  private static long stringBytes(CharSequence s) {
    // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, two units, is 4).
    return s instanceof Utf8 utf8 ? utf8.getByteLength() : 3L * s.length();
  }
}
