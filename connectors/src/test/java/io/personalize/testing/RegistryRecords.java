package io.personalize.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Records in the schema-registry wire format ({@code 00}, 4-byte big-endian schema id, Avro binary
 * body), as a Confluent serializer writes them, and variants of a schema as another producer might
 * have evolved it.
 */
public final class RegistryRecords {
  private RegistryRecords() {}

  /**
   * The registry framing of {@code record} (generic or generated), written with its own schema
   * under {@code id}.
   */
  public static byte[] frame(int id, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new SpecificDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A record of {@code schema} with these field values (enum values given as symbol names). */
  public static GenericRecord record(Schema schema, Map<String, Object> values) {
    GenericData.Record record = new GenericData.Record(schema);
    values.forEach(
        (name, value) -> {
          Schema.Field field = schema.getField(name);
          record.put(
              name,
              field.schema().getType() == Schema.Type.ENUM
                  ? new GenericData.EnumSymbol(field.schema(), (String) value)
                  : value);
        });
    return record;
  }

  /** {@code schema} with a nullable string field added last, default null. */
  public static Schema withExtraField(Schema schema, String name) {
    List<Schema.Field> fields = copy(schema.getFields());
    Schema nullableString =
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    fields.add(
        new Schema.Field(
            name, nullableString, "added by a newer producer", JsonProperties.NULL_VALUE));
    return rebuild(schema, fields);
  }

  /** {@code schema} without the field {@code name}. */
  public static Schema withoutField(Schema schema, String name) {
    List<Schema.Field> fields = copy(schema.getFields());
    fields.removeIf(f -> f.name().equals(name));
    return rebuild(schema, fields);
  }

  /** {@code schema} with the field {@code name} of another type. */
  public static Schema withFieldType(Schema schema, String name, Schema.Type type) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(
          f.name().equals(name)
              ? new Schema.Field(f.name(), Schema.create(type), f.doc())
              : new Schema.Field(f, f.schema()));
    }
    return rebuild(schema, fields);
  }

  private static List<Schema.Field> copy(List<Schema.Field> fields) {
    List<Schema.Field> copies = new ArrayList<>();
    for (Schema.Field f : fields) {
      copies.add(new Schema.Field(f, f.schema()));
    }
    return copies;
  }

  private static Schema rebuild(Schema schema, List<Schema.Field> fields) {
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}
