package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                  ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                  ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
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
    Set<Listener> before = listeningSockets();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Set<Listener> opened = new HashSet<>(listeningSockets());
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

  /** A TCP socket in the LISTEN state. */
  record Listener(InetAddress address, int port) {
    @Override
    public String toString() {
      return (address.isAnyLocalAddress() ? "*(all interfaces)" : address.getHostAddress())
          + ":"
          + port;
    }
  }

  /**
   * The TCP sockets this JVM listens on: the LISTEN (state 0A) entries of /proc/net/tcp and
   * /proc/net/tcp6 whose inode is one of this process's open sockets.
   */
  static Set<Listener> listeningSockets() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[") && target.endsWith("]")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed while listing
        }
      }
    }
    Set<Listener> listeners = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 10 || !"0A".equals(fields[3]) || !inodes.contains(fields[9])) {
          continue;
        }
        String[] local = fields[1].split(":");
        listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
      }
    }
    return listeners;
  }

  /** An address as /proc/net/tcp* prints it: 32-bit words in hex, each in host byte order. */
  static InetAddress address(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int b = Integer.parseInt(hex.substring(word * 8 + i * 2, word * 8 + i * 2 + 2), 16);
        bytes[word * 4 + (littleEndian ? 3 - i : i)] = (byte) b;
      }
    }
    return InetAddress.getByAddress(bytes);
  }

  @Test
  void readsProcNetAddresses() throws Exception {
    Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    assertThat(address("0100007F").getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(address("00000000").isAnyLocalAddress()).isTrue();
    assertThat(address("00000000000000000000000001000000").isLoopbackAddress()).isTrue();
    assertThat(address("00000000000000000000000000000000").isAnyLocalAddress()).isTrue();
    assertThat(address("0000000000000000FFFF00000100007F").getHostAddress()).isEqualTo("127.0.0.1");
  }
}
