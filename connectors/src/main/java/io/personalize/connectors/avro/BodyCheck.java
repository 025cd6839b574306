package io.personalize.connectors.avro;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its writer schema without building anything, and reports the
 * first place where it cannot be a value of the schema: a length or item count larger than the
 * bytes left, a bad varint, an enum or union index out of range, the data ending early, or bytes
 * left over after the value.
 *
 * <p>Avro's decoders allocate a string, byte array or collection of the size the data declares
 * before reading it, so a single corrupt length (2^31 bytes in a 30-byte message) can exhaust the
 * heap. Checking first bounds every allocation of the real decode by the size of the message.
 */
public final class BodyCheck {
  private static final Schema STRING = Schema.create(Schema.Type.STRING);

  private final byte[] bytes;
  private int pos;
  private Map<Schema, Integer> minSizes;

  /** Names of the fields and collections being read, for messages. */
  private final ArrayDeque<String> path = new ArrayDeque<>();

  private BodyCheck(byte[] bytes, int offset) {
    this.bytes = bytes;
    this.pos = offset;
  }

  /**
   * Null when {@code bytes[offset..]} is exactly one value of {@code schema}; otherwise what is
   * wrong with it.
   */
  public static String problem(Schema schema, byte[] bytes, int offset) {
    BodyCheck check = new BodyCheck(bytes, offset);
    try {
      check.path.add(schema.getName());
      check.value(schema);
    } catch (Invalid e) {
      return e.getMessage();
    }
    int left = bytes.length - check.pos;
    return left == 0 ? null : left + " bytes left over after the record";
  }

  private void value(Schema schema) {
    switch (schema.getType()) {
      case NULL -> {}
      case BOOLEAN -> need(1);
      case INT -> readVarint(5);
      case LONG -> readVarint(10);
      case FLOAT -> need(4);
      case DOUBLE -> need(8);
      case FIXED -> need(schema.getFixedSize());
      case STRING, BYTES -> {
        long length = readVarint(10);
        if (length < 0) {
          throw new Invalid("negative length " + length + " at " + path());
        }
        need(length);
      }
      case ENUM -> {
        long index = readVarint(5);
        if (index < 0 || index >= schema.getEnumSymbols().size()) {
          throw new Invalid(
              "enum index "
                  + index
                  + " at "
                  + path()
                  + " outside the "
                  + schema.getEnumSymbols().size()
                  + " symbols of "
                  + schema.getName());
        }
      }
      case UNION -> {
        long index = readVarint(5);
        List<Schema> branches = schema.getTypes();
        if (index < 0 || index >= branches.size()) {
          throw new Invalid(
              "union index "
                  + index
                  + " at "
                  + path()
                  + " outside its "
                  + branches.size()
                  + " types");
        }
        value(branches.get((int) index));
      }
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          path.addLast(field.name());
          value(field.schema());
          path.removeLast();
        }
      }
      case ARRAY -> items(schema.getElementType(), false);
      case MAP -> items(schema.getValueType(), true);
      default -> throw new Invalid("unsupported type " + schema.getType() + " at " + path());
    }
  }

  /** The blocks of an array or map: count (negative: followed by the block size), items, 0. */
  private void items(Schema element, boolean keyed) {
    int minItem = minSize(element) + (keyed ? 1 : 0);
    for (long count = readVarint(10); count != 0; count = readVarint(10)) {
      if (count < 0) {
        count = -count;
        long blockBytes = readVarint(10);
        if (blockBytes < 0 || blockBytes > left()) {
          throw new Invalid(
              "block size " + blockBytes + " at " + path() + ", " + left() + " bytes left");
        }
      }
      if (count < 0 || (minItem > 0 && count > left() / minItem)) {
        throw new Invalid(
            count + " items at " + path() + " cannot fit in the " + left() + " bytes left");
      }
      path.addLast(keyed ? "{}" : "[]");
      for (long i = 0; i < count; i++) {
        if (keyed) {
          value(STRING);
        }
        value(element);
      }
      path.removeLast();
    }
  }

  /** The fewest bytes a value of the schema can take. */
  private int minSize(Schema schema) {
    if (minSizes == null) {
      minSizes = new HashMap<>();
    }
    Integer known = minSizes.get(schema);
    if (known != null) {
      return known;
    }
    minSizes.put(schema, 0); // a recursive reference counts as 0 while being computed
    int size =
        switch (schema.getType()) {
          case NULL -> 0;
          case FLOAT -> 4;
          case DOUBLE -> 8;
          case FIXED -> schema.getFixedSize();
          case RECORD -> {
            long sum = 0;
            for (Schema.Field field : schema.getFields()) {
              sum += minSize(field.schema());
            }
            yield (int) Math.min(sum, Integer.MAX_VALUE);
          }
          case UNION -> {
            int min = Integer.MAX_VALUE;
            for (Schema branch : schema.getTypes()) {
              min = Math.min(min, minSize(branch));
            }
            yield 1 + (min == Integer.MAX_VALUE ? 0 : min);
          }
          default -> 1; // boolean, int, long, enum, string, bytes, array, map
        };
    minSizes.put(schema, size);
    return size;
  }

  /** E.g. {@code GradientCheckpoint.itemDeltas[].factorDelta[]}. */
  private String path() {
    StringBuilder b = new StringBuilder();
    for (String part : path) {
      if (b.length() > 0 && !part.equals("[]") && !part.equals("{}")) {
        b.append('.');
      }
      b.append(part);
    }
    return b.toString();
  }

  private int left() {
    return bytes.length - pos;
  }

  private void need(long n) {
    if (n > left()) {
      throw new Invalid(
          (left() == 0 ? "data ends" : "data ends after " + left() + " of " + n + " bytes")
              + " at "
              + path());
    }
    pos += (int) n;
  }

  /** A zig-zag varint of at most {@code maxBytes} bytes (5 for int, 10 for long). */
  private long readVarint(int maxBytes) {
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      if (pos >= bytes.length) {
        throw new Invalid("data ends inside a number at " + path());
      }
      int b = bytes[pos++] & 0xFF;
      raw |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new Invalid("number longer than " + maxBytes + " bytes at " + path());
  }

  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }
}
