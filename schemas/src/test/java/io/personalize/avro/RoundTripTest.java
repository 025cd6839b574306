package io.personalize.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Every record type, built with its generated builder, survives single-object encoding and decoding
 * unchanged.
 */
class RoundTripTest {

  private static final long T0 = 1_700_000_000_000L;

  static InteractionEvent sampleEvent() {
    return InteractionEvent.newBuilder()
        .setUserId("u-42")
        .setItemId("i-7")
        .setEventType(EventType.RATING)
        .setValue(4.5)
        .setEventTimeMillis(T0)
        .setFeatures(Map.of("dwellSeconds", 12.5, "position", 3.0))
        .setContext(Map.of("device", "mobile", "page", "home"))
        .build();
  }

  @Test
  void interactionEvent() throws IOException {
    assertRoundTrip(sampleEvent(), InteractionEvent.getEncoder(), InteractionEvent.getDecoder());
  }

  @Test
  void interactionEventWithOptionalFieldsLeftOut() throws IOException {
    InteractionEvent event =
        InteractionEvent.newBuilder()
            .setUserId("u-1")
            .setItemId("i-1")
            .setEventType(EventType.CLICK)
            .setValue(1.0)
            .setEventTimeMillis(T0)
            .build();
    assertThat(event.getFeatures()).isNull();
    assertThat(event.getContext()).isNull();
    assertRoundTrip(event, InteractionEvent.getEncoder(), InteractionEvent.getDecoder());
  }

  @Test
  void requiredFieldsHaveNoDefault() {
    assertThatThrownBy(() -> InteractionEvent.newBuilder().setUserId("u-1").build())
        .isInstanceOf(AvroRuntimeException.class);
  }

  @Test
  void itemMetadata() throws IOException {
    ItemMetadata item =
        ItemMetadata.newBuilder()
            .setItemId("i-7")
            .setTitle("Toy Story (1995)")
            .setGenres(List.of("Animation", "Children", "Comedy"))
            .setYear(1995)
            .setFeatures(Map.of("popularity", 0.93))
            .setUpdateTimeMillis(T0)
            .build();
    assertRoundTrip(item, ItemMetadata.getEncoder(), ItemMetadata.getDecoder());
  }

  @Test
  void itemMetadataDefaults() throws IOException {
    ItemMetadata item = ItemMetadata.newBuilder().setItemId("i-8").setUpdateTimeMillis(T0).build();
    assertThat(item.getTitle()).isNull();
    assertThat(item.getGenres()).isEmpty();
    assertThat(item.getYear()).isNull();
    assertThat(item.getFeatures()).isEmpty();
    assertRoundTrip(item, ItemMetadata.getEncoder(), ItemMetadata.getDecoder());
  }

  @Test
  void gradientCheckpoint() throws IOException {
    GradientCheckpoint checkpoint =
        GradientCheckpoint.newBuilder()
            .setModelKind(ModelKind.HYBRID)
            .setVersion(8)
            .setPreviousVersion(7)
            .setCreatedAtMillis(T0)
            .setEventsCovered(123_456)
            .setFactors(3)
            .setFeatureDimension(1 << 18)
            .setGlobalMeanDelta(-0.0125)
            .setItemDeltas(
                List.of(
                    ItemParameterDelta.newBuilder()
                        .setItemId("i-7")
                        .setBiasDelta(0.01)
                        .setFactorDelta(List.of(0.1f, -0.2f, 0.3f))
                        .build(),
                    ItemParameterDelta.newBuilder()
                        .setItemId("i-9")
                        .setBiasDelta(-0.02)
                        .setFactorDelta(List.of(0f, 0f, 1e-6f))
                        .build()))
            .setFeatureWeightDeltas(
                List.of(
                    FeatureWeightDelta.newBuilder().setIndex(17).setDelta(0.5).build(),
                    FeatureWeightDelta.newBuilder().setIndex(262_143).setDelta(-1e-9).build()))
            .build();
    assertRoundTrip(checkpoint, GradientCheckpoint.getEncoder(), GradientCheckpoint.getDecoder());
  }

  @Test
  void itemParameterDelta() throws IOException {
    ItemParameterDelta delta =
        ItemParameterDelta.newBuilder()
            .setItemId("i-1")
            .setBiasDelta(0.25)
            .setFactorDelta(List.of())
            .build();
    assertRoundTrip(delta, ItemParameterDelta.getEncoder(), ItemParameterDelta.getDecoder());
  }

  @Test
  void featureWeightDelta() throws IOException {
    FeatureWeightDelta delta = FeatureWeightDelta.newBuilder().setIndex(0).setDelta(1.5).build();
    assertRoundTrip(delta, FeatureWeightDelta.getEncoder(), FeatureWeightDelta.getDecoder());
  }

  @Test
  void groupBoundaries() throws IOException {
    GroupBoundaries boundaries =
        GroupBoundaries.newBuilder()
            .setVersion(2)
            .setGroups(5)
            .setLogCountMin(0.0)
            .setLogCountMax(Math.log(2_000))
            .setUsers(6_040)
            .setComputedAtMillis(T0)
            .build();
    assertRoundTrip(boundaries, GroupBoundaries.getEncoder(), GroupBoundaries.getDecoder());
  }

  @Test
  void recommendationList() throws IOException {
    RecommendationList list =
        RecommendationList.newBuilder()
            .setUserId("u-42")
            .setGeneratedAtMillis(T0)
            .setModelVersion(8)
            .setItems(
                List.of(
                    ScoredItem.newBuilder().setItemId("i-3").setScore(4.8).build(),
                    ScoredItem.newBuilder().setItemId("i-1").setScore(4.1).build()))
            .build();
    assertRoundTrip(list, RecommendationList.getEncoder(), RecommendationList.getDecoder());
  }

  @Test
  void scoredItem() throws IOException {
    ScoredItem item = ScoredItem.newBuilder().setItemId("i-3").setScore(-0.5).build();
    assertRoundTrip(item, ScoredItem.getEncoder(), ScoredItem.getDecoder());
  }

  @Test
  void metricSnapshot() throws IOException {
    MetricSnapshot metrics =
        MetricSnapshot.newBuilder()
            .setModel("MF")
            .setMode("global+user")
            .setGroup(0)
            .setCumulative(false)
            .setWindowStartMillis(T0)
            .setWindowEndMillis(T0 + 3_600_000)
            .setEvents(10_000)
            .setUsers(512)
            .setRmse(0.91)
            .setMae(0.72)
            .build();
    assertThat(metrics.getLogloss()).isNull();
    assertThat(metrics.getAuc()).isNull();
    assertRoundTrip(metrics, MetricSnapshot.getEncoder(), MetricSnapshot.getDecoder());
  }

  @Test
  void deadLetter() throws IOException {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setPayload(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)))
            .setSourceTopic("interactions")
            .setSourcePartition(3)
            .setSourceOffset(98_765L)
            .setReason(DeadLetterReason.UNDECODABLE)
            .setDetail("Unrecognized header bytes: 0x6E 0x6F")
            .setReceivedAtMillis(T0)
            .build();
    assertRoundTrip(letter, DeadLetter.getEncoder(), DeadLetter.getDecoder());
  }

  @Test
  void deadLetterWithoutSource() throws IOException {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setReason(DeadLetterReason.OTHER)
            .setDetail("generated in-process")
            .setReceivedAtMillis(T0)
            .build();
    assertThat(letter.getPayload()).isNull();
    assertThat(letter.getSourceTopic()).isNull();
    assertThat(letter.getSourcePartition()).isNull();
    assertThat(letter.getSourceOffset()).isNull();
    assertRoundTrip(letter, DeadLetter.getEncoder(), DeadLetter.getDecoder());
  }

  private static <T extends SpecificRecord> void assertRoundTrip(
      T record, BinaryMessageEncoder<T> encoder, BinaryMessageDecoder<T> decoder)
      throws IOException {
    ByteBuffer encoded = encoder.encode(record);
    T decoded = decoder.decode(encoded);
    assertThat(decoded).isEqualTo(record).isNotSameAs(record);
  }
}
