package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.testing.ListeningSockets;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Assumptions;
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
          KafkaTestClients.producer(kafka.bootstrapServers())) {
        sent = producer.send(new ProducerRecord<>("a", key, value)).get();
        // A topic nobody created: auto-created with one partition.
        producer.send(new ProducerRecord<>("auto", key, value)).get();
      }

      List<ConsumerRecord<byte[], byte[]>> records =
          KafkaTestClients.readAll(kafka.bootstrapServers(), "a", 1);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).key()).isEqualTo(key);
      assertThat(records.get(0).value()).isEqualTo(value);
      assertThat(records.get(0).partition()).isEqualTo(sent.partition());
      assertThat(KafkaTestClients.readAll(kafka.bootstrapServers(), "auto", 1)).hasSize(1);
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertThat(
                admin
                    .describeTopics(List.of("auto"))
                    .allTopicNames()
                    .get()
                    .get("auto")
                    .partitions())
            .hasSize(1);
      }
    }
  }

  /**
   * Regression: the broker and its KRaft controller listened on every interface (the test kit
   * pre-binds {@code new InetSocketAddress(0)}), so the demo's Kafka was reachable from the
   * network. Every socket the broker opens for listening must be bound to the loopback address.
   */
  @Test
  void listensOnLoopbackOnly() throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/proc/self/fd")) && Files.isReadable(Path.of("/proc/net/tcp")),
        "needs Linux /proc to list this JVM's listening sockets");
    Set<ListeningSockets.Listener> before = ListeningSockets.now();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Set<ListeningSockets.Listener> opened = new HashSet<>(ListeningSockets.now());
      opened.removeAll(before);
      System.out.println("EmbeddedKafka listening sockets: " + opened);

      String bootstrap = kafka.bootstrapServers();
      int brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
      assertThat(opened)
          .as("sockets the broker listens on (broker and controller)")
          .hasSizeGreaterThanOrEqualTo(2)
          .anyMatch(listener -> listener.port() == brokerPort);
      assertThat(opened)
          .as("sockets the broker listens on, each must be bound to 127.0.0.1")
          .allMatch(listener -> listener.address().isLoopbackAddress());
      assertThat(bootstrap).as("bootstrap servers").startsWith("127.0.0.1:");
    }
  }

  @Test
  void topicsCreatedForAReplayKeepEveryRecord() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        Topics topics = new Topics(kafka.bootstrapServers());
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertThat(topics.createForReplay(2, "replay")).containsExactly("replay");
      assertThat(topics.createForReplay(2, "replay")).as("already there").isEmpty();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "replay");
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
      assertThat(config.get(TopicConfig.RETENTION_BYTES_CONFIG).value()).isEqualTo("-1");
      assertThat(admin.describeTopics(List.of("replay")).allTopicNames().get().get("replay"))
          .satisfies(d -> assertThat(d.partitions()).hasSize(2));
    }
  }

  @Test
  void readsProcNetAddresses() throws Exception {
    Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    assertThat(ListeningSockets.address("0100007F").getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(ListeningSockets.address("00000000").isAnyLocalAddress()).isTrue();
    assertThat(ListeningSockets.address("00000000000000000000000001000000").isLoopbackAddress())
        .isTrue();
    assertThat(ListeningSockets.address("00000000000000000000000000000000").isAnyLocalAddress())
        .isTrue();
    assertThat(ListeningSockets.address("0000000000000000FFFF00000100007F").getHostAddress())
        .isEqualTo("127.0.0.1");
  }
}
