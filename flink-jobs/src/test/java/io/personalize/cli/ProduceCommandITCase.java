package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class ProduceCommandITCase {

  private static List<byte[]> readAll(String bootstrap, String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<byte[]> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      return values;
    }
  }

  @Test
  void replaysGeneratedDataIntoKafka() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(2, "events", "item-metadata");

      ProduceCommandTest.Run run =
          ProduceCommandTest.run(
              "--data",
              "generated",
              "--generated-users",
              "50",
              "--generated-items",
              "80",
              "--generated-events",
              "2000",
              "--topic",
              "events",
              "--items-topic",
              "item-metadata",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--timeout-seconds",
              "20");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("sent 2,000 events to 'events' and 80 items to 'item-metadata' at ")
          .contains("events/s");
      assertThat(run.err()).contains("read generated (generated): 2,000 events, 80 items");

      List<byte[]> events = readAll(kafka.bootstrapServers(), "events", 2000);
      List<byte[]> items = readAll(kafka.bootstrapServers(), "item-metadata", 80);
      assertThat(events).hasSize(2000);
      assertThat(items).hasSize(80);
      AvroCodec<InteractionEvent> eventCodec = AvroCodec.of(InteractionEvent.class);
      AvroCodec<ItemMetadata> itemCodec = AvroCodec.of(ItemMetadata.class);
      events.forEach(bytes -> assertThat(eventCodec.decode(bytes).getValue()).isBetween(1.0, 5.0));
      items.forEach(bytes -> assertThat(itemCodec.decode(bytes).getGenres()).isNotEmpty());
    }
  }
}
