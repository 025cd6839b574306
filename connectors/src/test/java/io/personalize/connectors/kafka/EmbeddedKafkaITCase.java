package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaITCase {

  @Test
  void startsCreatesTopicsAndCarriesARecord() throws Exception {
    long start = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      double startSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("EmbeddedKafka ready in %.1f s at %s%n", startSeconds, kafka);
      assertThat(startSeconds).as("start-up time").isLessThan(30);

      kafka.createTopics(3, "a", "b");
      kafka.createTopics(3, "a"); // already there: no error
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get()).contains("a", "b");
        assertThat(admin.describeTopics(List.of("a")).allTopicNames().get().get("a").partitions())
            .hasSize(3);
      }

      byte[] key = "k".getBytes(StandardCharsets.UTF_8);
      byte[] value = {1, 2, 3};
      RecordMetadata sent;
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                  ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                  ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
        sent = producer.send(new ProducerRecord<>("a", key, value)).get();
      }

      List<ConsumerRecord<byte[], byte[]>> records =
          KafkaTestClients.readAll(kafka.bootstrapServers(), "a", 1);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).key()).isEqualTo(key);
      assertThat(records.get(0).value()).isEqualTo(value);
      assertThat(records.get(0).partition()).isEqualTo(sent.partition());
    }
  }
}
