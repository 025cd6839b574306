package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a consumer group would read of a topic, on a real broker. */
class TopicBacklogITCase {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static TopicBacklog backlog(String topic, String group) {
    return TopicBacklog.of(
        kafka.bootstrapServers(), Map.of(), topic, group, Duration.ofSeconds(30));
  }

  @Test
  void countsTheRecordsAfterTheGroupsCommittedOffsets() throws Exception {
    kafka.createTopics(2, "backlog");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("backlog", i % 2, null, new byte[] {(byte) i})).get();
      }
    }
    assertThat(backlog("backlog", "fresh")).isEqualTo(new TopicBacklog(10, 10, false));

    // The group has read 3 records of partition 0 and none of partition 1 (no offset there).
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .alterConsumerGroupOffsets(
              "reader", Map.of(new TopicPartition("backlog", 0), new OffsetAndMetadata(3)))
          .all()
          .get();
    }
    assertThat(backlog("backlog", "reader")).isEqualTo(new TopicBacklog(10, 7, true));

    assertThat(backlog("missing", "reader")).isEqualTo(new TopicBacklog(0, 0, false));
  }
}
