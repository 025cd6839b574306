package io.personalize.connectors.kafka.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.connectors.kafka.flink.KafkaConnectors.RawRecordDeserializationSchema;
import io.personalize.connectors.kafka.flink.KafkaConnectors.RecordSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The schemas and builders without a broker or a cluster; the job's tests run them for real. */
class KafkaConnectorsTest {
  private static final InteractionEvent EVENT =
      new InteractionEvent("u1", "i1", EventType.RATING, 4.0, 1000L, null, null);

  private static ConsumerRecord<byte[], byte[]> consumerRecord(byte[] key, byte[] value) {
    return new ConsumerRecord<>(
        "interactions",
        2,
        41L,
        1234L,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private static List<RawRecord> deserialize(ConsumerRecord<byte[], byte[]> record)
      throws Exception {
    List<RawRecord> out = new ArrayList<>();
    new RawRecordDeserializationSchema()
        .deserialize(
            record,
            new Collector<>() {
              @Override
              public void collect(RawRecord r) {
                out.add(r);
              }

              @Override
              public void close() {}
            });
    return out;
  }

  @Test
  void theRawDeserializerKeepsOriginKeyAndAnyValueBytes() throws Exception {
    byte[] key = "u1".getBytes(StandardCharsets.UTF_8);
    byte[] garbage = {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF};

    assertThat(deserialize(consumerRecord(key, garbage)))
        .containsExactly(new RawRecord("interactions", 2, 41L, 1234L, key, garbage));
    assertThat(deserialize(consumerRecord(null, null)))
        .containsExactly(new RawRecord("interactions", 2, 41L, 1234L, null, null));
  }

  @Test
  void rawRecordsAreAFlinkPojoNotKryo() {
    assertThat(new RawRecordDeserializationSchema().getProducedType())
        .isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void theAvroSerializerWritesKeyTimestampAndSingleObjectValue() throws Exception {
    RecordSerializationSchema<InteractionEvent> schema =
        InstantiationUtil.clone(
            new RecordSerializationSchema<>(
                "interactions",
                InteractionEvent.class,
                InteractionEvent::getUserId,
                InteractionEvent::getEventTimeMillis));

    // Flink's own timestamp (here that of a timer at the end of time) is never written.
    ProducerRecord<byte[], byte[]> record = schema.serialize(EVENT, null, Long.MAX_VALUE);

    assertThat(record.topic()).isEqualTo("interactions");
    assertThat(record.partition()).isNull();
    assertThat(record.timestamp()).isEqualTo(EVENT.getEventTimeMillis());
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("u1");
    assertThat(AvroCodec.of(InteractionEvent.class).decode(record.value())).isEqualTo(EVENT);
  }

  @Test
  void theAvroSerializerWritesNoKeyWithoutAKeyFunctionOrWhenItReturnsNull() {
    assertThat(
            new RecordSerializationSchema<>("t", InteractionEvent.class, null, null)
                .serialize(EVENT, null, null)
                .key())
        .isNull();
    assertThat(
            new RecordSerializationSchema<InteractionEvent>(
                    "t", InteractionEvent.class, e -> null, null)
                .serialize(EVENT, null, null)
                .key())
        .isNull();
  }

  /**
   * A broker rejects a record timestamp far ahead of its clock (by default more than an hour), and
   * the rejection fails the sink and its TaskManager: such timestamps are replaced by the broker's
   * time.
   */
  @Test
  void timestampsABrokerWouldRejectAreLeftToTheBroker() {
    long now = System.currentTimeMillis();
    for (long bad : new long[] {Long.MAX_VALUE, now + 3_600_000L, -1L}) {
      assertThat(
              new RecordSerializationSchema<InteractionEvent>(
                      "t", InteractionEvent.class, null, e -> bad)
                  .serialize(EVENT, null, bad)
                  .timestamp())
          .as("timestamp %d", bad)
          .isNull();
    }
    assertThat(
            new RecordSerializationSchema<InteractionEvent>(
                    "t", InteractionEvent.class, null, e -> null)
                .serialize(EVENT, null, 5L)
                .timestamp())
        .isNull();
  }

  @Test
  void sourcesAreUnboundedUnlessAStopIsGiven() {
    KafkaSource<RawRecord> unbounded =
        KafkaConnectors.rawSource("localhost:9092", "t", "g", OffsetsInitializer.earliest());
    KafkaSource<RawRecord> bounded =
        KafkaConnectors.rawSource(
            "localhost:9092", "t", "g", OffsetsInitializer.earliest(), OffsetsInitializer.latest());

    assertThat(unbounded.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    assertThat(bounded.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
    assertThat(bounded.getProducedType()).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void sinksBuildForEachGuaranteeAndExactlyOnceNeedsAPrefix() throws Exception {
    KafkaSink<InteractionEvent> atLeastOnce =
        KafkaConnectors.avroSink(
            "localhost:9092",
            "t",
            InteractionEvent.class,
            InteractionEvent::getUserId,
            InteractionEvent::getEventTimeMillis,
            DeliveryGuarantee.AT_LEAST_ONCE);
    KafkaSink<InteractionEvent> exactlyOnce =
        KafkaConnectors.avroSink(
            "localhost:9092",
            "t",
            InteractionEvent.class,
            null,
            null,
            DeliveryGuarantee.EXACTLY_ONCE,
            "personalize-test");

    assertThat(InstantiationUtil.clone(atLeastOnce)).isNotNull();
    assertThat(InstantiationUtil.clone(exactlyOnce)).isNotNull();
    assertThatThrownBy(
            () ->
                KafkaConnectors.avroSink(
                    "localhost:9092",
                    "t",
                    InteractionEvent.class,
                    null,
                    null,
                    DeliveryGuarantee.EXACTLY_ONCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transactional id prefix");
    assertThatThrownBy(
            () ->
                KafkaConnectors.avroSink(
                    "localhost:9092",
                    "t",
                    InteractionEvent.class,
                    null,
                    null,
                    DeliveryGuarantee.EXACTLY_ONCE,
                    " "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
