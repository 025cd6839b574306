package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.EventType;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.avro.Objective;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a record the job writes that is larger than Kafka's default limit (1 MB, the
 * producer's {@code max.request.size} and the broker's {@code message.max.bytes}) failed the job
 * with {@code RecordTooLargeException}, and it restarted into the same failure. It happened to the
 * global model's checkpoint of a catalog of about 8,000 items at k = 32 (the flood,
 * docs/performance.md), and would happen to the dead letter of a bad input record near the limit.
 * The broker here runs Kafka's default limits.
 */
class RecordSizeITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final AvroCodec<GradientCheckpoint> CHECKPOINTS =
      AvroCodec.of(GradientCheckpoint.class);
  private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
  private static final long START = 1_577_836_800_000L;
  private static final int ITEMS = 2_000;

  /** 2,000 items at k = 256 in one checkpoint: about 2 MB of item deltas. */
  @Test
  void aCheckpointLargerThanAKafkaRecordIsPublishedInPartsAndTheJobKeepsRunning(
      @TempDir Path checkpoints) throws Exception {
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, 1);
    settings.set(PersonalizeOptions.MODEL_FACTORS, 256);
    settings.set(PersonalizeOptions.MODEL_UPDATES_EVERY_EVENTS, ITEMS);
    settings.set(PersonalizeOptions.MODEL_UPDATES_EVERY, Duration.ofMinutes(10));
    settings.set(RecommendationOptions.ENABLED, false);
    try (KafkaJob kafkaJob = new KafkaJob(settings, checkpoints)) {
      JobConfig job = kafkaJob.config();
      List<byte[]> events = new ArrayList<>();
      for (int e = 0; e < ITEMS; e++) {
        events.add(event("u" + e % 50, "i" + e, START + e * 1000L));
      }
      kafkaJob.produce(job.get(PersonalizeOptions.TOPIC_INTERACTIONS), 0, events, START);

      JobClient client = JobRunner.start(kafkaJob.environment(), job);
      try {
        Set<String> items = new HashSet<>();
        List<String> parts = new ArrayList<>();
        int[] largest = {0};
        boolean complete =
            kafkaJob.consumeUntil(
                List.of(job.get(PersonalizeOptions.TOPIC_MODEL_UPDATES)),
                r -> {
                  largest[0] = Math.max(largest[0], r.value().length);
                  GradientCheckpoint c = CHECKPOINTS.decode(r.value());
                  if (c.getObjective() == Objective.RATING) {
                    for (ItemParameterDelta d : c.getItemDeltas()) {
                      items.add(d.getItemId());
                    }
                    parts.add(c.getVersion() + ":" + c.getPart() + "/" + c.getParts());
                  }
                },
                x -> items.size() == ITEMS,
                Duration.ofMinutes(2));
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), client.getJobID());
        assertThat(rest.failures()).as("job failures").isZero();
        assertThat(complete).as("every item's delta published, %d seen", items.size()).isTrue();
        assertThat(largest[0]).as("largest record").isLessThanOrEqualTo(1_000_000);
        // One checkpoint of 2,000 items in 3 parts of about 700 KB, numbered in order.
        assertThat(parts).containsExactly("1:0/3", "1:1/3", "1:2/3");
      } finally {
        client.cancel().get();
      }
    }
  }

  /** A bad record just under the broker's limit: its dead letter would be over it. */
  @Test
  void theDeadLetterOfABadRecordNearTheLimitFitsAndTheJobKeepsRunning(@TempDir Path checkpoints)
      throws Exception {
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, 1);
    settings.set(RecommendationOptions.ENABLED, false);
    try (KafkaJob kafkaJob = new KafkaJob(settings, checkpoints)) {
      JobConfig job = kafkaJob.config();
      byte[] bad = new byte[1_048_400];
      new Random(7).nextBytes(bad);
      bad[0] = 0x42; // none of Avro's C3 01, the registry's 00 or JSON's '{'
      List<byte[]> records = new ArrayList<>();
      records.add(event("u1", "i1", START));
      records.add(bad);
      for (int e = 1; e <= 10; e++) {
        records.add(event("u1", "i" + e, START + e * 1000L));
      }
      kafkaJob.produce(job.get(PersonalizeOptions.TOPIC_INTERACTIONS), 0, records, START);

      JobClient client = JobRunner.start(kafkaJob.environment(), job);
      try {
        List<DeadLetter> letters = new ArrayList<>();
        int[] largest = {0};
        boolean arrived =
            kafkaJob.consumeUntil(
                List.of(job.get(PersonalizeOptions.TOPIC_DEAD_LETTERS)),
                r -> {
                  largest[0] = Math.max(largest[0], r.value().length);
                  letters.add(DEAD_LETTERS.decode(r.value()));
                },
                x -> !letters.isEmpty(),
                Duration.ofMinutes(2));
        assertThat(arrived).as("the dead letter arrived").isTrue();
        assertThat(kafkaJob.awaitScored(11)).as("every good event scored").isTrue();
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), client.getJobID());
        assertThat(rest.failures()).as("job failures").isZero();
        DeadLetter letter = letters.get(0);
        assertThat(letter.getSourceOffset()).isEqualTo(1);
        assertThat(letter.getDetail()).contains("payload truncated", "1048400");
        byte[] kept = new byte[letter.getPayload().remaining()];
        letter.getPayload().duplicate().get(kept);
        assertThat(kept.length).isGreaterThan(900_000);
        assertThat(kept).isEqualTo(java.util.Arrays.copyOf(bad, kept.length));
        assertThat(largest[0]).as("largest record").isLessThanOrEqualTo(1_000_000);
      } finally {
        client.cancel().get();
      }
    }
  }

  private static byte[] event(String user, String item, long time) {
    return EVENTS.encode(
        InteractionEvent.newBuilder()
            .setUserId(user)
            .setItemId(item)
            .setEventType(EventType.RATING)
            .setValue(4)
            .setEventTimeMillis(time)
            .build());
  }
}
