package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: when a broker deletes records the job has not read yet (retention on a replayed
 * history is how it happened), Kafka's consumer jumps to the new log start and the job skipped the
 * deleted offsets with no dead letter, no log line and no metric. Now every skipped range is
 * counted ({@code offsets-skipped}) and logged.
 *
 * <p>The deletion is made deterministic with a real broker: records 100..199 are written in a
 * transaction that stays open, so the job (which reads committed data only) stops at offset 100;
 * records before offset 150 are then deleted and the transaction committed, so the job's next fetch
 * at offset 100 is out of range and resumes at 150.
 */
class OffsetGapITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final long START = 1_577_836_800_000L;

  @Test
  void offsetsDeletedBeforeTheyWereReadAreCounted(@TempDir Path checkpoints) throws Exception {
    Configuration settings = new Configuration();
    // The gap is seen by validation; the recommending half would add only time.
    settings.set(RecommendationOptions.ENABLED, false);
    settings.set(PersonalizeOptions.PARALLELISM, 1);
    try (KafkaJob kafkaJob = new KafkaJob(settings, checkpoints)) {
      JobConfig job = kafkaJob.config();
      String topic = job.get(PersonalizeOptions.TOPIC_INTERACTIONS);
      kafkaJob.produce(topic, 0, events(0, 100), START);

      JobClient client = JobRunner.start(kafkaJob.environment(), job);
      try (KafkaProducer<byte[], byte[]> transactional = transactionalProducer(kafkaJob);
          Admin admin =
              Admin.create(
                  Map.of(
                      AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                      kafkaJob.kafka.bootstrapServers()))) {
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), client.getJobID());
        assertThat(rest.await(r -> accepted(r) >= 100, Duration.ofMinutes(2)))
            .as("the first 100 records read")
            .isTrue();

        transactional.initTransactions();
        transactional.beginTransaction();
        for (byte[] value : events(100, 100)) {
          transactional.send(new ProducerRecord<>(topic, 0, START, null, value));
        }
        transactional.flush(); // offsets 100..199 written, not committed: the job waits at 100
        admin
            .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(150)))
            .all()
            .get();
        transactional.commitTransaction();

        assertThat(rest.await(r -> skipped(r) >= 50, Duration.ofMinutes(2)))
            .as("offsets-skipped after the deletion")
            .isTrue();
        assertThat(skipped(rest)).isEqualTo(50);
        assertThat(rest.await(r -> accepted(r) >= 150, Duration.ofMinutes(1))).isTrue();
        assertThat(accepted(rest)).as("records read: 0..99 and 150..199").isEqualTo(150);
        assertThat(rest.failures()).isZero();
      } finally {
        client.cancel().get();
      }
    }
  }

  private static long skipped(FlinkRest rest) {
    return metric(rest, "offsets-skipped");
  }

  private static long accepted(FlinkRest rest) {
    return metric(rest, "Validate_interactions.records-accepted");
  }

  private static long metric(FlinkRest rest, String suffix) {
    try {
      return rest.operatorMetricSum(suffix);
    } catch (Exception e) {
      return -1;
    }
  }

  private static List<byte[]> events(int from, int n) {
    java.util.ArrayList<byte[]> list = new java.util.ArrayList<>();
    for (int e = from; e < from + n; e++) {
      list.add(
          EVENTS.encode(
              InteractionEvent.newBuilder()
                  .setUserId("u" + e % 7)
                  .setItemId("i" + e % 11)
                  .setEventType(EventType.RATING)
                  .setValue(1 + e % 5)
                  .setEventTimeMillis(START + e * 1000L)
                  .build()));
    }
    return list;
  }

  private static KafkaProducer<byte[], byte[]> transactionalProducer(KafkaJob kafkaJob) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaJob.kafka.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "offset-gap-test");
    return new KafkaProducer<>(props);
  }
}
