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
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private static final String SASL = "SASL_PLAINTEXT";
  private static final String SASL_OVER_TLS = "SASL_SSL";

  private KafkaBroker() {}

  /**
   * Writes {@code server.properties} and formats the storage; returns the properties file. With
   * {@code users}, the client listener requires SASL logins; with {@code tls} too (else null), over
   * TLS.
   */
  static Path configure(
      Layout layout, Path home, int port, Map<String, String> users, KafkaTls tls, Path log4j) {
    if (tls != null && users.isEmpty()) {
      throw new IllegalArgumentException("a TLS listener needs Kafka users: it is SASL over TLS");
    }
    Path dir = home.resolve("kafka");
    Path properties = dir.resolve("server.properties");
    int controllerPort = Ports.free();
    String client = protocol(users, tls);
    Map<String, String> settings =
        ordered(
            "process.roles", "broker,controller",
            "node.id", "1",
            "listeners",
                client
                    + "://"
                    + Ports.LOOPBACK
                    + ":"
                    + port
                    + ",CONTROLLER://"
                    + Ports.LOOPBACK
                    + ":"
                    + controllerPort,
            "advertised.listeners", client + "://" + Ports.LOOPBACK + ":" + port,
            "inter.broker.listener.name", client,
            "controller.listener.names", "CONTROLLER",
            "listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT",
            "controller.quorum.bootstrap.servers", Ports.LOOPBACK + ":" + controllerPort,
            "log.dirs", dir.resolve("data").toString(),
            // One broker: every internal topic has one replica.
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0");
    if (!users.isEmpty()) {
      // PLAIN logins; the broker logs in to itself as a user of its own with a random password.
      String brokerPassword = java.util.UUID.randomUUID().toString();
      StringBuilder jaas =
          new StringBuilder(
              "org.apache.kafka.common.security.plain.PlainLoginModule required"
                  + " username=\"broker\" password=\""
                  + brokerPassword
                  + "\" user_broker=\""
                  + brokerPassword
                  + "\"");
      users.forEach((user, password) -> jaas.append(" user_" + user + "=\"" + password + "\""));
      settings.put("sasl.enabled.mechanisms", "PLAIN");
      settings.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      settings.put(
          "listener.name." + client.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
          jaas + ";");
    }
    if (tls != null) {
      settings.put("ssl.keystore.type", "PKCS12");
      settings.put("ssl.keystore.location", tls.keystore().toAbsolutePath().toString());
      settings.put("ssl.keystore.password", tls.keystorePassword());
      settings.put("ssl.key.password", tls.keystorePassword());
      // The broker is a client of its own listener (inter-broker): it must trust itself.
      settings.put("ssl.truststore.type", "PKCS12");
      settings.put("ssl.truststore.location", tls.truststore().toAbsolutePath().toString());
      settings.put("ssl.truststore.password", tls.truststorePassword());
    }
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

  private static String protocol(Map<String, String> users, KafkaTls tls) {
    if (users.isEmpty()) {
      return "PLAINTEXT";
    }
    return tls == null ? SASL : SASL_OVER_TLS;
  }

  /**
   * The client settings that log in as {@code user} to a broker configured with users, over TLS
   * trusting the certificate of {@code tls} unless it is null.
   */
  static Map<String, String> clientProperties(String user, String password, KafkaTls tls) {
    Map<String, String> client = new java.util.TreeMap<>();
    client.put("security.protocol", tls == null ? SASL : SASL_OVER_TLS);
    client.put("sasl.mechanism", "PLAIN");
    client.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    if (tls != null) {
      client.put("ssl.truststore.location", tls.truststore().toAbsolutePath().toString());
      client.put("ssl.truststore.password", tls.truststorePassword());
    }
    return Map.copyOf(client);
  }

  /**
   * Waits until the broker answers a client and leads every partition, or fails after two minutes.
   */
  static void awaitReady(String bootstrapServers, Map<String, String> client, long pid) {
    Properties config = new Properties();
    config.putAll(client);
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
              if (admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                  .nodes()
                  .get()
                  .isEmpty()) {
                return false;
              }
              // After a restart the broker answers before it leads its partitions again: a
              // producer would time out on them.
              var topics = admin.listTopics().names().get();
              return admin.describeTopics(topics).allTopicNames().get().values().stream()
                  .flatMap(topic -> topic.partitions().stream())
                  .allMatch(
                      partition -> partition.leader() != null && !partition.leader().isEmpty());
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
