package io.personalize.serving.topics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.avro.DeadLetter;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.StrictUtf8;
import io.personalize.connectors.format.WireFormat;
import io.personalize.connectors.json.JsonRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One Kafka record of any of the engine's topics as one line of JSON: where it is (partition,
 * offset, time), its key, and its value as the plain JSON of docs/formats.md, whichever format it
 * was written in. The record's type is told by the fingerprint of an Avro value, so the topic's
 * name does not matter. A value that does not decode is shown with the reason, never skipped.
 *
 * <p>A dead letter's payload is bytes (base64 in JSON); when those bytes are UTF-8 text, such as a
 * rejected JSON event, they are shown as {@code payloadText} too.
 */
final class RecordLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordLines() {}

  /** The line of one record, without the line break. */
  static String line(ConsumerRecord<byte[], byte[]> record) {
    return line(
        record.partition(), record.offset(), record.timestamp(), record.key(), record.value());
  }

  private static String line(
      int partition, long offset, long timestampMillis, byte[] key, byte[] value) {
    ObjectNode line = JSON.createObjectNode();
    line.put("partition", partition);
    line.put("offset", offset);
    line.put(
        "timestamp", timestampMillis < 0 ? null : Instant.ofEpochMilli(timestampMillis).toString());
    putBytes(line, "key", key);
    describeValue(line, value);
    return line.toString();
  }

  private static void describeValue(ObjectNode line, byte[] value) {
    if (value == null) {
      line.put("format", "none");
      line.put("error", "no value (a tombstone)");
      return;
    }
    switch (WireFormat.detect(value)) {
      case AVRO -> avro(line, value);
      case JSON -> {
        line.put("format", "json");
        try {
          line.set("value", JSON.readTree(value));
        } catch (IOException e) {
          line.put("error", "starts like a JSON object but is not JSON: " + oneLine(e));
          putBytes(line, "bytes", value);
        }
      }
      case REGISTRY_AVRO -> {
        line.put("format", "schema-registry");
        if (value.length >= 5) {
          line.put("schemaId", ByteBuffer.wrap(value, 1, 4).getInt());
        }
        line.put(
            "error",
            "schema-registry wire format: its schema is in the registry, which this reader does not"
                + " ask; the job reads it with personalize.schema-registry.url");
        putBytes(line, "bytes", value);
      }
      case UNKNOWN -> {
        line.put("format", "unknown");
        line.put(
            "error",
            "neither Avro single-object encoding nor a JSON object: " + WireFormat.describe(value));
        putBytes(line, "bytes", value);
      }
    }
  }

  private static void avro(ObjectNode line, byte[] value) {
    line.put("format", "avro");
    Optional<Class<? extends SpecificRecord>> type = AvroCodec.wireType(value);
    if (type.isEmpty()) {
      line.put(
          "error",
          "Avro single-object encoding of a schema this engine does not have: "
              + WireFormat.describe(value));
      putBytes(line, "bytes", value);
      return;
    }
    line.put("type", type.get().getSimpleName());
    SpecificRecord record;
    try {
      record = AvroCodec.of(type.get()).decode(value);
    } catch (DecodingException | AvroRuntimeException e) {
      line.put("error", oneLine(e));
      putBytes(line, "bytes", value);
      return;
    }
    try {
      line.set("value", JSON.readTree(JsonRecords.write(record)));
    } catch (IOException e) {
      throw new IllegalStateException("JsonRecords wrote what Jackson cannot read", e);
    }
    if (record instanceof DeadLetter letter && letter.getPayload() != null) {
      ByteBuffer payload = letter.getPayload().duplicate();
      byte[] bytes = new byte[payload.remaining()];
      payload.get(bytes);
      String text = text(bytes);
      if (text != null) {
        line.put("payloadText", text);
      }
    }
  }

  /** Bytes as a string when they are UTF-8 text, else in base64 as {@code name + "Base64"}. */
  private static void putBytes(ObjectNode line, String name, byte[] bytes) {
    if (bytes == null) {
      line.putNull(name);
      return;
    }
    String text = text(bytes);
    if (text != null) {
      line.put(name, text);
    } else {
      line.put(name + "Base64", Base64.getEncoder().encodeToString(bytes));
    }
  }

  /** The bytes as text when they are strict UTF-8 without control characters but white space. */
  private static String text(byte[] bytes) {
    String text;
    try {
      text = StrictUtf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        return null;
      }
    }
    return text;
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
