package io.personalize.connectors.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.StrictUtf8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Any of the engine's generated Avro records as a plain JSON object, and back, driven by the
 * record's schema (docs/formats.md, "JSON"): field names as in the schema; a record is an object,
 * an array an array, a map an object, an enum its symbol name, a {@code ["null", X]} union null or
 * the plain X value (no Avro type wrapper), bytes a base64 string, a non-finite double the string
 * {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}. A {@code long} field whose name ends in
 * {@code Millis} (an epoch-millisecond time) is also read from an ISO-8601 instant with a zone,
 * such as {@code "2026-12-03T08:00:00Z"}; it is always written as a number.
 *
 * <p>Reading is strict: strict UTF-8, one JSON object and nothing after it, no duplicate keys, no
 * comments or NaN literals, nesting at most {@link #MAX_DEPTH} deep, numbers at most {@link
 * #MAX_NUMBER_LENGTH} characters. A field the schema does not have is ignored (a newer writer may
 * add fields, as in Avro); a field without a default must be present and not null. Every failure is
 * a {@link DecodingException}: {@link DeadLetterReason#UNDECODABLE} for bytes that are not such a
 * JSON object, {@link DeadLetterReason#WRONG_SCHEMA} for a wrong type, a missing field ({@link
 * MissingFieldException}) or an unknown enum symbol, {@link DeadLetterReason#INVALID_VALUE} for a
 * number that does not fit its field or a time string that is not an ISO-8601 instant.
 *
 * <p>Thread-safe, stateless and Flink-free.
 */
public final class JsonRecords {
  /** Deepest nesting of objects and arrays read; the engine's records need 3. */
  public static final int MAX_DEPTH = 8;

  /** Longest number read, in characters; a longer one is not a usable number. */
  public static final int MAX_NUMBER_LENGTH = 64;

  /** Longest JSON string read, in characters. */
  static final int MAX_STRING_LENGTH = 1 << 20;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxStringLength(MAX_STRING_LENGTH)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final String TIME_SUFFIX = "Millis";

  private JsonRecords() {}

  /**
   * Reads one JSON object as a record of a generated class.
   *
   * @throws DecodingException for anything but a JSON object that fits the class's schema
   */
  public static <T extends SpecificRecord> T read(byte[] json, Class<T> type) {
    Objects.requireNonNull(type, "type");
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    String name = schema.getName();
    if (json == null || json.length == 0) {
      throw new DecodingException(
          DeadLetterReason.UNDECODABLE,
          "no bytes to read as JSON " + name + " (" + (json == null ? "null" : "empty") + ")",
          null);
    }
    CharBuffer text;
    try {
      text = StrictUtf8.decode(ByteBuffer.wrap(json));
    } catch (CharacterCodingException e) {
      throw new DecodingException(
          DeadLetterReason.UNDECODABLE,
          "not valid UTF-8, so not JSON " + name + " (" + json.length + " bytes): " + e,
          e);
    }
    try (JsonParser parser =
        FACTORY.createParser(
            text.array(), text.arrayOffset() + text.position(), text.remaining())) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new DecodingException(
            DeadLetterReason.UNDECODABLE,
            "JSON " + name + " must be an object, not " + describe(parser, first),
            null);
      }
      @SuppressWarnings("unchecked")
      T record = (T) new Reader(model, parser, name).record(schema, "");
      JsonToken after = parser.nextToken();
      if (after != null) {
        throw new DecodingException(
            DeadLetterReason.UNDECODABLE,
            "JSON " + name + " has trailing content after its object: " + describe(parser, after),
            null);
      }
      return record;
    } catch (JsonProcessingException e) {
      throw new DecodingException(
          DeadLetterReason.UNDECODABLE,
          "not well-formed JSON "
              + name
              + " ("
              + json.length
              + " bytes): "
              + e.getOriginalMessage()
              + " at character "
              + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset()),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading JSON from memory failed", e);
    }
  }

  /** A record as one JSON object, UTF-8. */
  public static byte[] write(SpecificRecord record) {
    Objects.requireNonNull(record, "record");
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      writeValue(generator, record.getSchema(), record, record.getSchema().getName());
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeValue(JsonGenerator g, Schema schema, Object value, String path)
      throws IOException {
    switch (schema.getType()) {
      case RECORD -> {
        SpecificRecord record = (SpecificRecord) value;
        g.writeStartObject();
        for (Schema.Field field : schema.getFields()) {
          g.writeFieldName(field.name());
          writeValue(g, field.schema(), record.get(field.pos()), path + "." + field.name());
        }
        g.writeEndObject();
      }
      case UNION -> {
        if (value == null) {
          g.writeNull();
        } else {
          writeValue(g, nonNullBranch(schema, path), value, path);
        }
      }
      case ARRAY -> {
        g.writeStartArray();
        for (Object element : (List<?>) value) {
          writeValue(g, schema.getElementType(), element, path + "[]");
        }
        g.writeEndArray();
      }
      case MAP -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          g.writeFieldName(entry.getKey().toString());
          writeValue(g, schema.getValueType(), entry.getValue(), path + "{}");
        }
        g.writeEndObject();
      }
      case ENUM, STRING -> g.writeString(value.toString());
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        g.writeBinary(bytes);
      }
      case INT -> g.writeNumber((Integer) value);
      case LONG -> g.writeNumber((Long) value);
      case FLOAT -> g.writeNumber((Float) value);
      case DOUBLE -> g.writeNumber((Double) value);
      case BOOLEAN -> g.writeBoolean((Boolean) value);
      case NULL -> g.writeNull();
      default ->
          throw new IllegalArgumentException(
              "no JSON form for " + schema.getType() + " at " + path);
    }
  }

  /** The X of a {@code ["null", X]} union, the only unions the engine's schemas have. */
  private static Schema nonNullBranch(Schema union, String path) {
    List<Schema> branches = union.getTypes();
    Schema found = null;
    for (Schema branch : branches) {
      if (branch.getType() != Schema.Type.NULL) {
        if (found != null) {
          throw new IllegalArgumentException(
              "no plain JSON form for the union " + union + " at " + path);
        }
        found = branch;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("a union of null only at " + path);
    }
    return found;
  }

  private static String describe(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      return "nothing";
    }
    String kind =
        switch (token) {
          case START_OBJECT -> "an object";
          case START_ARRAY -> "an array";
          case VALUE_STRING -> "a string";
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
          case VALUE_TRUE, VALUE_FALSE -> "a boolean";
          case VALUE_NULL -> "null";
          default -> token.asString() == null ? token.name() : token.asString();
        };
    if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
      String text = parser.getText();
      if (text.length() > 40) {
        text = text.substring(0, 40) + "...";
      }
      return kind + " (" + (token == JsonToken.VALUE_STRING ? "\"" + text + "\"" : text) + ")";
    }
    return kind;
  }

  /** Reads one record, field by field, from a parser positioned on its {@code START_OBJECT}. */
  private static final class Reader {
    private final SpecificData model;
    private final JsonParser parser;
    private final String typeName;

    Reader(SpecificData model, JsonParser parser, String typeName) {
      this.model = model;
      this.parser = parser;
      this.typeName = typeName;
    }

    Object record(Schema schema, String path) throws IOException {
      Object[] values = new Object[schema.getFields().size()];
      boolean[] seen = new boolean[values.length];
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        Schema.Field field = schema.getField(name);
        JsonToken valueToken = parser.nextToken();
        if (field == null) {
          parser.skipChildren(); // a field of a newer writer: ignored, like Avro's resolution
          continue;
        }
        String fieldPath = path.isEmpty() ? name : path + "." + name;
        seen[field.pos()] = true;
        values[field.pos()] = value(field.schema(), valueToken, fieldPath, field.name());
      }
      if (token != JsonToken.END_OBJECT) {
        throw wrongSchema(path, "an object", token);
      }
      Object record = model.newRecord(null, schema);
      for (Schema.Field field : schema.getFields()) {
        int pos = field.pos();
        String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
        if (!seen[pos]) {
          if (!field.hasDefaultValue()) {
            throw new MissingFieldException(
                fieldPath, "JSON " + typeName + ": required field '" + fieldPath + "' is missing");
          }
          values[pos] = model.deepCopy(field.schema(), model.getDefaultValue(field));
        }
        model.setField(record, field.name(), pos, values[pos]);
      }
      return record;
    }

    private Object value(Schema schema, JsonToken token, String path, String fieldName)
        throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        if (schema.getType() == Schema.Type.UNION || schema.getType() == Schema.Type.NULL) {
          return null;
        }
        throw new MissingFieldException(
            path, "JSON " + typeName + ": field '" + path + "' is null, and it is required");
      }
      switch (schema.getType()) {
        case UNION:
          return value(nonNullBranch(schema, path), token, path, fieldName);
        case RECORD:
          expect(token, JsonToken.START_OBJECT, path, "an object");
          return record(schema, path);
        case ARRAY:
          {
            expect(token, JsonToken.START_ARRAY, path, "an array");
            List<Object> list = new ArrayList<>();
            JsonToken element;
            while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
              list.add(
                  elementValue(schema.getElementType(), element, path + "[" + list.size() + "]"));
            }
            return list;
          }
        case MAP:
          {
            expect(token, JsonToken.START_OBJECT, path, "an object");
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String key = parser.currentName();
              map.put(
                  key, elementValue(schema.getValueType(), parser.nextToken(), path + "." + key));
            }
            return map;
          }
        case ENUM:
          {
            expect(
                token,
                JsonToken.VALUE_STRING,
                path,
                "a string (a symbol of " + schema.getName() + ")");
            String symbol = parser.getText();
            if (!schema.hasEnumSymbol(symbol)) {
              throw new DecodingException(
                  DeadLetterReason.WRONG_SCHEMA,
                  "JSON "
                      + typeName
                      + ": field '"
                      + path
                      + "' is \""
                      + shorten(symbol)
                      + "\", not a symbol of "
                      + schema.getName()
                      + " "
                      + schema.getEnumSymbols(),
                  null);
            }
            return model.createEnum(symbol, schema);
          }
        case STRING:
          expect(token, JsonToken.VALUE_STRING, path, "a string");
          return parser.getText();
        case BYTES:
          expect(token, JsonToken.VALUE_STRING, path, "a base64 string");
          try {
            return ByteBuffer.wrap(parser.getBinaryValue());
          } catch (JsonProcessingException e) {
            throw new DecodingException(
                DeadLetterReason.WRONG_SCHEMA,
                "JSON "
                    + typeName
                    + ": field '"
                    + path
                    + "' is not base64: "
                    + e.getOriginalMessage(),
                e);
          }
        case BOOLEAN:
          if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw wrongSchema(path, "a boolean", token);
          }
          return token == JsonToken.VALUE_TRUE;
        case INT:
          {
            long value = integer(token, path, fieldName, "an int");
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
              throw outOfRange(path, "an int");
            }
            return (int) value;
          }
        case LONG:
          return integer(token, path, fieldName, "a long");
        case DOUBLE:
          return real(token, path, "a double");
        case FLOAT:
          {
            double value = real(token, path, "a float");
            float narrowed = (float) value;
            if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
              throw outOfRange(path, "a float");
            }
            return narrowed;
          }
        default:
          throw new IllegalArgumentException(
              "no JSON form for " + schema.getType() + " at " + path);
      }
    }

    /** An array element or map value: null only where the schema allows it. */
    private Object elementValue(Schema schema, JsonToken token, String path) throws IOException {
      if (token == JsonToken.VALUE_NULL
          && schema.getType() != Schema.Type.UNION
          && schema.getType() != Schema.Type.NULL) {
        throw wrongSchema(path, "a value", token);
      }
      return value(schema, token, path, "");
    }

    private long integer(JsonToken token, String path, String fieldName, String what)
        throws IOException {
      if (token == JsonToken.VALUE_STRING && fieldName.endsWith(TIME_SUFFIX)) {
        String text = parser.getText();
        try {
          return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
          throw new DecodingException(
              DeadLetterReason.INVALID_VALUE,
              "JSON "
                  + typeName
                  + ": field '"
                  + path
                  + "' is \""
                  + shorten(text)
                  + "\", neither epoch milliseconds nor an ISO-8601 instant with a zone"
                  + " (e.g. 2026-12-03T08:00:00Z)",
              null);
        }
      }
      if (token != JsonToken.VALUE_NUMBER_INT) {
        String expected =
            fieldName.endsWith(TIME_SUFFIX)
                ? "an integer (epoch milliseconds) or an ISO-8601 string"
                : "an integer";
        throw wrongSchema(path, expected, token);
      }
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw outOfRange(path, what);
      }
      return parser.getLongValue();
    }

    private double real(JsonToken token, String path, String what) throws IOException {
      if (token == JsonToken.VALUE_STRING) {
        // The written form of a non-finite double; the engine's checks reject it where it matters.
        switch (parser.getText()) {
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            throw wrongSchema(path, "a number", token);
        }
      }
      if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
        throw wrongSchema(path, "a number", token);
      }
      double value = parser.getDoubleValue();
      if (Double.isInfinite(value)) {
        throw outOfRange(path, what);
      }
      return value;
    }

    private void expect(JsonToken token, JsonToken expected, String path, String what)
        throws IOException {
      if (token != expected) {
        throw wrongSchema(path, what, token);
      }
    }

    private DecodingException wrongSchema(String path, String expected, JsonToken token)
        throws IOException {
      return new DecodingException(
          DeadLetterReason.WRONG_SCHEMA,
          "JSON "
              + typeName
              + ": field '"
              + (path.isEmpty() ? "(the object)" : path)
              + "' must be "
              + expected
              + ", not "
              + describe(parser, token),
          null);
    }

    private DecodingException outOfRange(String path, String what) throws IOException {
      return new DecodingException(
          DeadLetterReason.INVALID_VALUE,
          "JSON "
              + typeName
              + ": field '"
              + path
              + "' is "
              + shorten(parser.getText())
              + ", which does not fit "
              + what,
          null);
    }
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
