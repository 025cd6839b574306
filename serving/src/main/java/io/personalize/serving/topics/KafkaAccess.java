package io.personalize.serving.topics;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.connectors.kafka.KafkaReachability;
import io.personalize.connectors.kafka.RawReaders;
import io.personalize.serving.config.SettingFlags;
import io.personalize.serving.query.Endpoints;
import io.personalize.settings.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Option;

/**
 * Where the topic commands find Kafka and how they log in: the options they share, and the consumer
 * and partitions made from them. Consumers read committed records only, as the job's and the
 * server's do, and never create a topic.
 */
final class KafkaAccess {
  static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description =
          "Kafka bootstrap servers (default: the 'kafka' of --endpoints, else "
              + DEFAULT_BOOTSTRAP_SERVERS
              + ").")
  String bootstrapServers;

  @Option(
      names = "--endpoints",
      paramLabel = "FILE",
      description =
          "The endpoints.json the demo, `run` or bin/cluster writes: take Kafka's address from it.")
  Path endpoints;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description =
          "A Flink config file (config.yaml syntax) with Kafka client settings"
              + " (personalize.kafka.*), as `run` and `serve` read it: the place for a password.")
  Path configFile;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client setting as personalize.kafka.<setting>, as `run` takes it (e.g. -D"
              + " personalize.kafka.security.protocol=SASL_SSL).")
  Map<String, String> properties;

  /** The brokers: the flag, else the endpoints file's, else the default. */
  String servers() {
    if (bootstrapServers != null) {
      return bootstrapServers;
    }
    if (endpoints != null) {
      JsonNode kafka = Endpoints.document(endpoints).get("kafka");
      if (kafka == null || !kafka.isTextual() || kafka.asText().isBlank()) {
        throw new IllegalArgumentException(
            "endpoints file " + endpoints + " has no 'kafka' address (--bootstrap-servers)");
      }
      return kafka.asText();
    }
    return DEFAULT_BOOTSTRAP_SERVERS;
  }

  /**
   * The {@code personalize.kafka.*} client settings of the config file and {@code -D}, without the
   * prefix; checks that a broker answers with them.
   *
   * @param command the command's name, for the message refusing a setting of another kind
   */
  Map<String, String> clientSettings(String command) {
    Configuration conf =
        configFile == null ? new Configuration() : SettingFlags.readFile(configFile);
    if (properties != null) {
      for (Map.Entry<String, String> property : properties.entrySet()) {
        if (!property.getKey().startsWith(KafkaClientSettings.PREFIX)) {
          throw new IllegalArgumentException(
              "-D "
                  + property.getKey()
                  + ": "
                  + command
                  + " takes Kafka client settings only, as "
                  + KafkaClientSettings.PREFIX
                  + "<setting>");
        }
        conf.setString(property.getKey(), property.getValue());
      }
    }
    Map<String, String> client = KafkaClientSettings.from(conf.toMap());
    KafkaReachability.check(servers(), client, TIMEOUT, "--bootstrap-servers, --endpoints");
    return client;
  }

  /** Settings of a consumer of raw bytes that commits nothing unless asked to. */
  Properties consumerConfig(Map<String, String> client, String clientId) {
    return RawReaders.config(servers(), client, clientId);
  }

  /**
   * Every partition of {@code topic}, in order.
   *
   * @throws IllegalArgumentException naming the topics there are when it does not exist
   */
  List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      TreeSet<String> topics = new TreeSet<>(consumer.listTopics(TIMEOUT).keySet());
      topics.removeIf(name -> name.startsWith("__"));
      throw new IllegalArgumentException(
          "no topic '"
              + topic
              + "' at "
              + servers()
              + (topics.isEmpty()
                  ? " (it has no topics)"
                  : "; its topics: " + String.join(", ", topics)));
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    partitions.sort(Comparator.comparingInt(TopicPartition::partition));
    return partitions;
  }

  /** Whether the consumer has read every partition up to {@code ends}. */
  static boolean atEnd(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> ends) {
    for (TopicPartition partition : partitions) {
      // read_committed: a transaction's marker moves the position past the last record.
      if (consumer.position(partition) < ends.get(partition)) {
        return false;
      }
    }
    return true;
  }
}
