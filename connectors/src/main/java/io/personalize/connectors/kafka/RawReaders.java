package io.personalize.connectors.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The settings of a consumer that reads one of the engine's topics as raw bytes, outside the job
 * (the server's followers, {@code read}, {@code replay-dead-letters}): it sees only committed
 * records, as the job's readers do; it commits nothing unless its command does so itself; it never
 * creates a topic, which the job creates with its own settings (compacted, kept forever).
 */
public final class RawReaders {
  private RawReaders() {}

  /**
   * @param client Kafka client settings (security), which the reader's own settings override
   */
  public static Properties config(
      String bootstrapServers, Map<String, String> client, String clientId) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // The job's sinks may be transactional: never a record of an aborted transaction.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return props;
  }
}
