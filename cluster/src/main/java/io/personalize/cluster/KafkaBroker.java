package io.personalize.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker process in KRaft mode (broker and controller in one JVM, as in a one-node
 * development cluster), bound to loopback, its data under {@code HOME/kafka}.
 */
final class KafkaBroker {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private KafkaBroker() {}

  /** Writes {@code server.properties} and formats the storage; returns the properties file. */
  static Path configure(Layout layout, Path home, int port, Path log4j) {
    Path dir = home.resolve("kafka");
    Path properties = dir.resolve("server.properties");
    int controllerPort = Ports.free();
    Map<String, String> settings =
        ordered(
            "process.roles", "broker,controller",
            "node.id", "1",
            "listeners",
                "PLAINTEXT://" + Ports.LOOPBACK + ":" + port + ",CONTROLLER://" + Ports.LOOPBACK
                    + ":" + controllerPort,
            "advertised.listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + port,
            "controller.listener.names", "CONTROLLER",
            "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.quorum.bootstrap.servers", Ports.LOOPBACK + ":" + controllerPort,
            "log.dirs", dir.resolve("data").toString(),
            // One broker: every internal topic has one replica.
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0");
    try {
      // Each start is a new one-node cluster: the storage is formatted for this controller port.
      deleteRecursively(dir);
      Files.createDirectories(dir);
      StringBuilder text = new StringBuilder("# Written by bin/cluster start.\n");
      settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
      Files.writeString(properties, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaProcesses.run(
        JavaProcesses.command(
            List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + log4j),
            layout.kafkaClasspath(),
            "kafka.tools.StorageTool",
            List.of(
                "format",
                "--standalone",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                properties.toString())),
        Duration.ofMinutes(2));
    return properties;
  }

  /** Starts the broker of {@code properties} (configured before) and returns its process id. */
  static long start(Layout layout, Path properties, Path log4j, Path log) {
    return JavaProcesses.start(
        JavaProcesses.command(
            List.of("-Xmx512m", "-Xms512m", "-Dlog4j2.configurationFile=" + log4j),
            layout.kafkaClasspath(),
            "kafka.Kafka",
            List.of(properties.toString())),
        log);
  }

  /** Waits until the broker answers a client, or fails after a minute. */
  static void awaitReady(String bootstrapServers, long pid) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    try (Admin admin = Admin.create(config)) {
      Polling.await(
          () -> {
            if (!JavaProcesses.isAlive(pid)) {
              throw new Polling.Fatal("the Kafka broker exited: see HOME/logs/kafka.log");
            }
            try {
              return !admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                  .nodes()
                  .get()
                  .isEmpty();
            } catch (Exception e) {
              return false;
            }
          },
          READY_TIMEOUT,
          () -> "the Kafka broker at " + bootstrapServers + " does not answer");
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
