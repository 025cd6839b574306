package io.personalize.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * The Kafka wire format: Avro single-object encoding, {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema's parsing canonical form, then the Avro binary body.
 */
class SingleObjectEncodingTest {

  @Test
  void headerIsMarkerThenFingerprintOfTheWriterSchema() throws IOException {
    byte[] bytes = toArray(InteractionEvent.getEncoder().encode(RoundTripTest.sampleEvent()));

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(SchemaNormalization.parsingFingerprint64(InteractionEvent.getClassSchema()));
  }

  @Test
  void aMessageOfAnotherTypeIsRejectedByItsFingerprint() throws IOException {
    ByteBuffer recommendation =
        RecommendationList.getEncoder()
            .encode(
                RecommendationList.newBuilder()
                    .setUserId("u-1")
                    .setGeneratedAtMillis(0)
                    .setModelVersion(0)
                    .setItems(List.of())
                    .build());

    assertThatThrownBy(() -> InteractionEvent.getDecoder().decode(recommendation))
        .isInstanceOf(MissingSchemaException.class);
  }

  @Test
  void bytesWithoutTheHeaderAreRejected() {
    byte[] garbage = "{\"userId\":\"u-1\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> InteractionEvent.getDecoder().decode(garbage))
        .isInstanceOf(BadHeaderException.class);
  }

  /**
   * A message written with a newer version (here: one more optional field) has a new fingerprint. A
   * decoder that was not given that schema rejects it; once the schema is in its store, it resolves
   * the message to the current class, dropping the unknown field.
   */
  @Test
  void aNewerWriterSchemaIsReadableOnceTheDecoderKnowsIt() throws IOException {
    Schema newer =
        SchemaTestSupport.withExtraField(
            InteractionEvent.getClassSchema(),
            new Schema.Field(
                "compatibilityProbe",
                Schema.createUnion(
                    Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "Probe; null when unset.",
                JsonProperties.NULL_VALUE));
    InteractionEvent event = RoundTripTest.sampleEvent();
    GenericRecord written = new GenericData.Record(newer);
    for (Schema.Field f : InteractionEvent.getClassSchema().getFields()) {
      written.put(
          f.name(),
          f.name().equals("eventType")
              ? new GenericData.EnumSymbol(f.schema(), event.get(f.name()).toString())
              : event.get(f.name()));
    }
    written.put("compatibilityProbe", "s-1");
    ByteBuffer message =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer).encode(written);

    assertThatThrownBy(() -> InteractionEvent.getDecoder().decode(message.duplicate()))
        .isInstanceOf(MissingSchemaException.class);

    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(newer);
    BinaryMessageDecoder<InteractionEvent> decoder = InteractionEvent.createDecoder(store);
    assertThat(decoder.decode(message.duplicate())).isEqualTo(event);
  }

  private static byte[] toArray(ByteBuffer buffer) {
    return Arrays.copyOfRange(
        buffer.array(),
        buffer.arrayOffset() + buffer.position(),
        buffer.arrayOffset() + buffer.limit());
  }
}
