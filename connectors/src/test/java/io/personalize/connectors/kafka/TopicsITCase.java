package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicsITCase {
  private static final Instant ML100K_OLDEST = Instant.parse("1997-09-20T03:05:10Z");

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

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static Config config(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = admin()) {
      return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
  }

  private static void createTopic(String topic, Map<String, String> configs) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(configs)))
          .all()
          .get();
    }
  }

  @Test
  void createForReplayKeepsRecordsForeverAndLeavesExistingTopicsAlone() throws Exception {
    createTopic("replay-existing", Map.of());
    // A timeout below Kafka's default request timeout (30 s) must work too.
    try (Topics topics = new Topics(kafka.bootstrapServers(), Duration.ofSeconds(5))) {

      List<String> created = topics.createForReplay(3, "replay-new", "replay-existing");

      assertThat(created).containsExactly("replay-new");
    }
    Config config = config("replay-new");
    assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
    assertThat(config.get(TopicConfig.RETENTION_BYTES_CONFIG).value()).isEqualTo("-1");
    try (Admin admin = admin()) {
      assertThat(
              admin
                  .describeTopics(List.of("replay-new"))
                  .allTopicNames()
                  .get()
                  .get("replay-new")
                  .partitions())
          .hasSize(3);
    }
    assertThat(config("replay-existing").get(TopicConfig.RETENTION_MS_CONFIG).value())
        .isEqualTo("604800000");
  }

  @Test
  void retentionProblemReadsTheTopicsSettings() throws Exception {
    createTopic("default-retention", Map.of());
    createTopic("forever", Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    createTopic("append-time", Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    Instant now = Instant.now();
    try (Topics topics = new Topics(kafka.bootstrapServers())) {
      assertThat(topics.retentionProblem("default-retention", ML100K_OLDEST, now))
          .hasValueSatisfying(
              warning ->
                  assertThat(warning)
                      .contains("topic 'default-retention'")
                      .contains("retention.ms=604800000")
                      .contains("1997-09-20T03:05:10Z"));
      assertThat(topics.retentionProblem("default-retention", now.minusSeconds(60), now))
          .as("recent records")
          .isEmpty();
      assertThat(topics.retentionProblem("forever", ML100K_OLDEST, now)).isEmpty();
      assertThat(topics.retentionProblem("append-time", ML100K_OLDEST, now)).isEmpty();
      assertThatThrownBy(() -> topics.retentionProblem("no-such-topic", ML100K_OLDEST, now))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no-such-topic");
    }
  }

  private static TopicBacklog backlog(String topic, String group) {
    return TopicBacklog.of(
        kafka.bootstrapServers(), Map.of(), topic, group, Duration.ofSeconds(30));
  }

  /** {@link TopicBacklog}: what a consumer group would read of a topic. */
  @Test
  void aBacklogCountsTheRecordsAfterTheGroupsCommittedOffsets() throws Exception {
    kafka.createTopics(2, "backlog");
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaTestClients.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("backlog", i % 2, null, new byte[] {(byte) i})).get();
      }
    }
    assertThat(backlog("backlog", "fresh")).isEqualTo(new TopicBacklog(10, 10, false));

    // The group has read 3 records of partition 0 and none of partition 1 (no offset there).
    try (Admin admin = admin()) {
      admin
          .alterConsumerGroupOffsets(
              "reader", Map.of(new TopicPartition("backlog", 0), new OffsetAndMetadata(3)))
          .all()
          .get();
    }
    assertThat(backlog("backlog", "reader")).isEqualTo(new TopicBacklog(10, 7, true));

    assertThat(backlog("missing", "reader")).isEqualTo(new TopicBacklog(0, 0, false));

    // A timeout under the clients' 30 s request timeout: the admin client failed to start ("The
    // specified value of default.api.timeout.ms must be no smaller than the value of
    // request.timeout.ms"), and bin/personalize run with it.
    assertThat(
            TopicBacklog.of(
                kafka.bootstrapServers(), Map.of(), "backlog", "reader", Duration.ofSeconds(5)))
        .isEqualTo(new TopicBacklog(10, 7, true));
  }
}
