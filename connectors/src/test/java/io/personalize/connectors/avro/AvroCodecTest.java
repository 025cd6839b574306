package io.personalize.connectors.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.ModelKind;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

  static InteractionEvent event() {
    return InteractionEvent.newBuilder()
        .setUserId("u1")
        .setItemId("i42")
        .setEventType(EventType.RATING)
        .setValue(4.5)
        .setEventTimeMillis(1_577_836_800_000L)
        .setFeatures(Map.of("dwell", 12.5))
        .setContext(Map.of("device", "phone"))
        .build();
  }

  /** One record of every top-level wire type, with optional fields both set and null. */
  static Stream<SpecificRecord> records() {
    return Stream.of(
        event(),
        InteractionEvent.newBuilder(event()).setFeatures(null).setContext(null).build(),
        ItemMetadata.newBuilder()
            .setItemId("i42")
            .setTitle("Toy Story (1995)")
            .setGenres(List.of("Animation", "Comedy"))
            .setYear(1995)
            .setFeatures(Map.of("popularity", 0.3))
            .setUpdateTimeMillis(0)
            .build(),
        ItemMetadata.newBuilder()
            .setItemId("i43")
            .setTitle(null)
            .setYear(null)
            .setUpdateTimeMillis(7)
            .build(),
        GradientCheckpoint.newBuilder()
            .setModelKind(ModelKind.HYBRID)
            .setVersion(3)
            .setPreviousVersion(2)
            .setCreatedAtMillis(1000)
            .setEventsCovered(5000)
            .setFactors(2)
            .setFeatureDimension(64)
            .setGlobalMeanDelta(0.01)
            .setItemDeltas(List.of(new ItemParameterDelta("i1", 0.1, List.of(0.5f, -0.25f), 3L)))
            .setFeatureWeightDeltas(List.of(new FeatureWeightDelta(7, -0.003)))
            .build(),
        new GroupBoundaries(4L, 7, 0.0, 6.5, 943L, 1234L),
        new RecommendationList(
            "u1",
            99L,
            3L,
            List.of(new ScoredItem("i1", 4.9, "walks")),
            7L,
            "walks+rank",
            false,
            98L,
            12L),
        new MetricSnapshot(
            "HYBRID", "adaptive", 0, true, 0L, 100L, 10L, 3L, 0.9, 0.7, null, null, 10, 0.2, 0.1),
        DeadLetter.newBuilder()
            .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
            .setSourceTopic("interactions")
            .setSourcePartition(2)
            .setSourceOffset(17L)
            .setReason(DeadLetterReason.UNDECODABLE)
            .setDetail("bad")
            .setReceivedAtMillis(5)
            .build());
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> AvroCodec<T> codecOf(T record) {
    return AvroCodec.of((Class<T>) record.getClass());
  }

  @ParameterizedTest
  @MethodSource("records")
  void roundTripsEveryWireType(SpecificRecord record) {
    AvroCodec<SpecificRecord> codec = codecOf(record);

    byte[] bytes = codec.encode(record);

    assertThat(codec.decode(bytes)).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("records")
  void writesTheSameBytesAsTheGeneratedEncoder(SpecificRecord record) throws Exception {
    ByteBuffer generated = (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);

    assertThat(codecOf(record).encode(record)).isEqualTo(bytes(generated));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }

  @Test
  void messagesStartWithTheHeaderAndTheLittleEndianFingerprint() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] bytes = codec.encode(event());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint)
        .isEqualTo(SchemaNormalization.parsingFingerprint64(InteractionEvent.getClassSchema()))
        .isEqualTo(codec.fingerprint());
    assertThat(codec.schema()).isEqualTo(InteractionEvent.getClassSchema());
    assertThat(codec.type()).isEqualTo(InteractionEvent.class);
  }

  private static AvroDecodingException decodeFailure(AvroCodec<?> codec, byte[] bytes) {
    AvroDecodingException e =
        catchThrowableOfType(AvroDecodingException.class, () -> codec.decode(bytes));
    assertThat(e).as("decoding %s", bytes == null ? "null" : Arrays.toString(bytes)).isNotNull();
    assertThat(e.getMessage()).isNotBlank();
    return e;
  }

  @Test
  void nullAndEmptyBytesAreUndecodable() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);

    assertThat(decodeFailure(codec, null).reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    AvroDecodingException empty = decodeFailure(codec, new byte[0]);
    assertThat(empty.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(empty.getMessage()).contains("empty");
  }

  @Test
  void bytesWithoutTheHeaderAreUndecodable() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] json =
        "{\"userId\":\"u1\",\"itemId\":\"i1\",\"value\":4}".getBytes(StandardCharsets.UTF_8);

    AvroDecodingException e = decodeFailure(codec, json);

    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(e.getMessage()).contains("no C3 01 header").contains("7B 22 75");
    assertThat(decodeFailure(codec, new byte[] {(byte) 0xC3}).reason())
        .isEqualTo(DeadLetterReason.UNDECODABLE);
  }

  @Test
  void everyTruncationIsUndecodable() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] bytes = codec.encode(event());

    for (int length = 1; length < bytes.length; length++) {
      AvroDecodingException e = decodeFailure(codec, Arrays.copyOf(bytes, length));
      assertThat(e.reason())
          .as("first %d of %d bytes", length, bytes.length)
          .isEqualTo(DeadLetterReason.UNDECODABLE);
    }
  }

  @Test
  void bytesLeftOverAfterTheRecordAreUndecodable() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] bytes = codec.encode(event());

    AvroDecodingException e = decodeFailure(codec, Arrays.copyOf(bytes, bytes.length + 3));

    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(e.getMessage()).contains("3 bytes left over");
  }

  @Test
  void aRecordOfAnotherTypeIsTheWrongSchema() {
    byte[] item = codecOf(records().toList().get(2)).encode(records().toList().get(2));

    AvroDecodingException e = decodeFailure(AvroCodec.of(InteractionEvent.class), item);

    assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
    assertThat(e.getMessage()).contains("ItemMetadata").contains("InteractionEvent");
  }

  @Test
  void anUnknownFingerprintIsTheWrongSchema() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] bytes = codec.encode(event());
    bytes[5] ^= 0x55; // another writer schema, e.g. a version this reader was not given

    AvroDecodingException e = decodeFailure(codec, bytes);

    assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
    assertThat(e.getMessage()).contains("unknown writer schema fingerprint");
  }

  @Test
  void aHeaderAndFingerprintWithoutBodyIsUndecodable() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] headerOnly = Arrays.copyOf(codec.encode(event()), 10);

    assertThat(decodeFailure(codec, headerOnly).reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
  }

  @Test
  void aHugeLengthInTheBodyFailsFastWithoutExhaustingMemory() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] header = Arrays.copyOf(codec.encode(event()), 10);
    // userId length as a zig-zag varint of about 2^31 - 16: far beyond the 5 bytes that follow.
    byte[] body = {(byte) 0xE0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a', 'b', 'c'};
    byte[] bytes = new byte[header.length + body.length];
    System.arraycopy(header, 0, bytes, 0, header.length);
    System.arraycopy(body, 0, bytes, header.length, body.length);

    long start = System.nanoTime();
    AvroDecodingException e = decodeFailure(codec, bytes);

    assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(e.getMessage()).contains("InteractionEvent.userId");
  }

  @ParameterizedTest
  @MethodSource("records")
  void everySingleByteCorruptionDecodesOrIsUndecodable(SpecificRecord record) {
    AvroCodec<SpecificRecord> codec = codecOf(record);
    byte[] valid = codec.encode(record);
    for (int i = 10; i < valid.length; i++) {
      for (int value : new int[] {0x00, 0x01, 0x7F, 0x80, 0xFF, valid[i] ^ 0x40}) {
        byte[] bytes = valid.clone();
        bytes[i] = (byte) value;
        try {
          codec.decode(bytes);
        } catch (AvroDecodingException e) {
          assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        }
      }
    }
  }

  @Test
  void randomBodiesBehindAValidHeaderOnlyEverThrowTheDecodingException() {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] valid = codec.encode(event());
    Random random = new Random(1);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = Arrays.copyOf(valid, 10 + 1 + random.nextInt(60));
      for (int i = 10; i < bytes.length; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) {
        // Keep a plausible prefix so decoding gets further into the record.
        System.arraycopy(valid, 10, bytes, 10, Math.min(valid.length, bytes.length) - 10 - 1);
      }
      try {
        codec.decode(bytes);
      } catch (AvroDecodingException e) {
        assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
      }
    }
  }

  @Test
  void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    byte[] before = codec.encode(event()); // builds the transient encoder

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(codec);
    }
    @SuppressWarnings("unchecked")
    AvroCodec<InteractionEvent> copy =
        (AvroCodec<InteractionEvent>)
            new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray())).readObject();

    assertThat(copy.decode(before)).isEqualTo(event());
    assertThat(copy.encode(event())).isEqualTo(before);
    assertThat(buffer.size()).as("only the class is serialized").isLessThan(400);
  }

  @Test
  void encodingARecordThatBreaksItsSchemaFails() {
    InteractionEvent noUser = event();
    noUser.setUserId(null);

    assertThatThrownBy(() -> AvroCodec.of(InteractionEvent.class).encode(noUser))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void rejectsAClassWithoutGeneratedSchema() {
    assertThatThrownBy(() -> AvroCodec.of(NotGenerated.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NotGenerated");
  }

  /** A SpecificRecord without the generated SCHEMA$ field. */
  static final class NotGenerated implements SpecificRecord {
    @Override
    public void put(int i, Object v) {}

    @Override
    public Object get(int i) {
      return null;
    }

    @Override
    public Schema getSchema() {
      return Schema.create(Schema.Type.NULL);
    }
  }
}
