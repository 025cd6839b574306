package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.testing.RegistryRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Records in the schema-registry wire format through a real registry (Apicurio Registry, its
 * Confluent-compatible API, as a process of its own), a real broker and the job: good records of
 * the current schema and of an evolved one, interleaved with single-object Avro, are all scored;
 * every kind of bad registry-framed record is a dead letter with its reason at its offset; then,
 * with the registry stopped, a record of a schema not fetched yet waits the configured time and is
 * a REGISTRY_UNAVAILABLE dead letter, while a record of a schema already fetched is still scored.
 * The job never fails.
 */
class SchemaRegistryITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final Schema CURRENT = InteractionEvent.getClassSchema();
  private static final long NOW = System.currentTimeMillis();
  private static final Duration MAX_WAIT = Duration.ofSeconds(3);

  /** A bad record and the dead letter it must become. */
  private record Bad(byte[] value, DeadLetterReason reason, String detail) {}

  @Test
  void registryFramedRecordsAreScoredOrDeadLetteredAndARegistryOutageNeverFailsTheJob()
      throws Exception {
    // The registry takes tens of seconds to start: the broker and topics start meanwhile.
    try (ApicurioRegistry registry = new ApicurioRegistry()) {
      Configuration settings = new Configuration();
      // Decoding and dead letters happen before the recommending half, which would add only time.
      settings.set(RecommendationOptions.ENABLED, false);
      settings.set(PersonalizeOptions.PARALLELISM, 1);
      settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
      settings.set(PersonalizeOptions.SCHEMA_REGISTRY_URL, registry.confluentApi());
      settings.set(PersonalizeOptions.SCHEMA_REGISTRY_MAX_WAIT, MAX_WAIT);
      settings.set(PersonalizeOptions.SCHEMA_REGISTRY_REQUEST_TIMEOUT, Duration.ofSeconds(2));
      try (KafkaJob kafkaJob = new KafkaJob(settings, Files.createTempDirectory("checkpoints"))) {
        System.out.println("Apicurio Registry answered after " + registry.awaitReady() + " ms");
        Schema evolved = RegistryRecords.withExtraField(CURRENT, "sessionId");
        Schema fewer = RegistryRecords.withoutField(CURRENT, "context");
        Schema incompatible = RegistryRecords.withFieldType(CURRENT, "value", Schema.Type.STRING);
        int current = registry.register("interactions-value", CURRENT);
        int evolvedId = registry.register("interactions-value", evolved);
        int fewerId = registry.register("interactions-value", fewer);
        int incompatibleId = registry.register("other-value", incompatible);
        int itemId = registry.register("items-value", ItemMetadata.getClassSchema());

        byte[] goodFramed = RegistryRecords.frame(current, event(CURRENT, "u1", 4, 0));
        Map<String, Object> stringValue = values("u1", 4, 0);
        stringValue.put("value", "4");
        List<Bad> bad =
            List.of(
                new Bad(
                    RegistryRecords.frame(99_999, event(CURRENT, "u1", 4, 0)),
                    DeadLetterReason.UNKNOWN_SCHEMA_ID,
                    "schema id 99999 is not in the schema registry"),
                new Bad(
                    Arrays.copyOf(goodFramed, goodFramed.length - 3),
                    DeadLetterReason.UNDECODABLE,
                    "corrupt or truncated InteractionEvent of schema id " + current),
                new Bad(
                    RegistryRecords.frame(
                        incompatibleId, RegistryRecords.record(incompatible, stringValue)),
                    DeadLetterReason.WRONG_SCHEMA,
                    "cannot be read as InteractionEvent: TYPE_MISMATCH"),
                new Bad(
                    withBody(current, "random bytes, not avro".getBytes(StandardCharsets.US_ASCII)),
                    DeadLetterReason.UNDECODABLE,
                    "of schema id " + current),
                new Bad(
                    new byte[] {0, 0, 0},
                    DeadLetterReason.UNDECODABLE,
                    "schema-registry framing cut short: 3 bytes"),
                new Bad(
                    RegistryRecords.frame(
                        itemId,
                        ItemMetadata.newBuilder().setItemId("i1").setUpdateTimeMillis(0).build()),
                    DeadLetterReason.WRONG_SCHEMA,
                    "(io.personalize.avro.ItemMetadata) cannot be read as InteractionEvent:"
                        + " NAME_MISMATCH"),
                new Bad(
                    Arrays.copyOf(goodFramed, 5),
                    DeadLetterReason.UNDECODABLE,
                    "of schema id " + current + ": data ends"),
                new Bad(
                    RegistryRecords.frame(evolvedId, event(evolved, "u1", 7, 0)),
                    DeadLetterReason.INVALID_VALUE,
                    "7"));

        JobConfig job = kafkaJob.config();
        String interactions = job.get(PersonalizeOptions.TOPIC_INTERACTIONS);

        // 120 good events: single-object Avro, and registry-framed in the current and the
        // evolved schema; the bad records spread among them, each at a known offset.
        List<byte[]> records = new ArrayList<>();
        Map<Long, Bad> badAt = new TreeMap<>();
        int good = 0;
        for (int n = 0; n < 120; n++) {
          String user = "u" + (n % 10);
          double rating = 1 + n % 5;
          records.add(
              switch (n % 3) {
                case 0 -> EVENTS.encode(avroEvent(user, rating, n));
                case 1 -> RegistryRecords.frame(current, event(CURRENT, user, rating, n));
                default -> {
                  Map<String, Object> values = values(user, rating, n);
                  values.put("sessionId", "s" + n);
                  yield RegistryRecords.frame(evolvedId, RegistryRecords.record(evolved, values));
                }
              });
          good++;
          if (n % 12 == 5 && badAt.size() < bad.size()) {
            badAt.put((long) records.size(), bad.get(badAt.size()));
            records.add(bad.get(badAt.size() - 1).value());
          }
        }
        assertThat(badAt).hasSameSizeAs(bad);
        kafkaJob.produce(interactions, 0, records, NOW - 100_000);

        StreamExecutionEnvironment env = kafkaJob.environment();
        JobRunner.define(env, job, List.of());
        JobClient client = env.executeAsync("schema-registry");
        try {
          FlinkRest rest = new FlinkRest(kafkaJob.restPort(), client.getJobID());
          assertThat(kafkaJob.awaitScored(good)).as("every good record scored").isTrue();
          Map<Long, DeadLetter> letters = deadLetters(kafkaJob, job, bad.size());
          assertThat(letters.keySet()).containsExactlyElementsOf(badAt.keySet());
          for (Map.Entry<Long, Bad> expected : badAt.entrySet()) {
            DeadLetter letter = letters.get(expected.getKey());
            assertThat(letter.getReason())
                .as("offset %d: %s", expected.getKey(), letter.getDetail())
                .isEqualTo(expected.getValue().reason());
            assertThat(letter.getDetail()).contains(expected.getValue().detail());
            assertThat(payload(letter)).isEqualTo(expected.getValue().value());
          }

          // The registry goes away: a schema fetched before is still known, a new one is not.
          registry.close();
          long stopped = System.currentTimeMillis();
          long waiting = records.size();
          kafkaJob.produce(
              interactions,
              0,
              List.of(
                  RegistryRecords.frame(fewerId, event(fewer, "u1", 3, 500)),
                  RegistryRecords.frame(current, event(CURRENT, "u2", 3, 501)),
                  EVENTS.encode(avroEvent("u3", 3, 502))),
              NOW - 100_000);
          assertThat(kafkaJob.awaitScored(good + 2)).as("records after the wait scored").isTrue();
          Map<Long, DeadLetter> after = deadLetters(kafkaJob, job, bad.size() + 1);
          DeadLetter unavailable = after.get(waiting);
          assertThat(unavailable.getReason()).isEqualTo(DeadLetterReason.REGISTRY_UNAVAILABLE);
          assertThat(unavailable.getDetail()).contains("schema id " + fewerId + " not fetched");
          Matcher waited =
              Pattern.compile("unavailable for (\\d+) ms").matcher(unavailable.getDetail());
          assertThat(waited.find()).as(unavailable.getDetail()).isTrue();
          System.out.println(
              "the record waited "
                  + waited.group(1)
                  + " ms for the stopped registry; dead letter seen "
                  + (System.currentTimeMillis() - stopped)
                  + " ms after it stopped");
          assertThat(Long.parseLong(waited.group(1))).isGreaterThanOrEqualTo(MAX_WAIT.toMillis());
          assertThat(rest.await(r -> outages(r) >= 1, Duration.ofSeconds(20)))
              .as("outage metric")
              .isTrue();
          assertThat(rest.failures()).isZero();
          assertThat(client.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
          client.cancel().get();
        }
      }
    }
  }

  private static long outages(FlinkRest rest) {
    try {
      return rest.operatorMetricSum("schema-registry.outages");
    } catch (Exception e) {
      return -1;
    }
  }

  /** Dead letters by source offset, once there are {@code count} of them (or two minutes pass). */
  private static Map<Long, DeadLetter> deadLetters(KafkaJob kafkaJob, JobConfig job, int count) {
    Map<Long, DeadLetter> letters = new TreeMap<>();
    kafkaJob.consumeUntil(
        List.of(job.get(PersonalizeOptions.TOPIC_DEAD_LETTERS)),
        r -> {
          DeadLetter letter = AvroCodec.of(DeadLetter.class).decode(r.value());
          letters.put(letter.getSourceOffset(), letter);
        },
        x -> letters.size() >= count,
        Duration.ofMinutes(2));
    assertThat(letters).hasSize(count);
    return letters;
  }

  private static byte[] payload(DeadLetter letter) {
    byte[] bytes = new byte[letter.getPayload().remaining()];
    letter.getPayload().duplicate().get(bytes);
    return bytes;
  }

  private static byte[] withBody(int id, byte[] body) {
    byte[] framed = Arrays.copyOf(new byte[] {0, 0, 0, 0, 0}, 5 + body.length);
    framed[1] = (byte) (id >>> 24);
    framed[2] = (byte) (id >>> 16);
    framed[3] = (byte) (id >>> 8);
    framed[4] = (byte) id;
    System.arraycopy(body, 0, framed, 5, body.length);
    return framed;
  }

  private static Map<String, Object> values(String user, double rating, int n) {
    Map<String, Object> values = new HashMap<>();
    values.put("userId", user);
    values.put("itemId", "i" + (int) rating);
    values.put("eventType", "RATING");
    values.put("value", rating);
    values.put("eventTimeMillis", NOW - 100_000 + n);
    return values;
  }

  /** The n-th event of the test (its time n ms after the first) in a schema's generic form. */
  private static GenericRecord event(Schema schema, String user, double rating, int n) {
    return RegistryRecords.record(schema, values(user, rating, n));
  }

  /** The n-th event of the test as the generated class. */
  private static InteractionEvent avroEvent(String user, double rating, int n) {
    return InteractionEvent.newBuilder()
        .setUserId(user)
        .setItemId("i" + (n % 37))
        .setEventType(EventType.RATING)
        .setValue(rating)
        .setEventTimeMillis(NOW - 100_000 + n)
        .build();
  }
}
