package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.json.JsonEvents;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad record, interleaved with good ones, through a real broker and a MiniCluster:
 * each bad record lands on the dead-letter topic with its reason and its bytes, the job keeps
 * running, and every good record is learned and scored. A quarter of the good records and four of
 * the bad ones are JSON on the same topic.
 */
class DeadLetterITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final long NOW = System.currentTimeMillis();

  @Test
  void badRecordsGoToDeadLettersAndGoodOnesAreAllLearned() throws Exception {
    Map<DeadLetterReason, byte[]> bad = new EnumMap<>(DeadLetterReason.class);
    bad.put(DeadLetterReason.UNDECODABLE, "not avro at all".getBytes(StandardCharsets.UTF_8));
    bad.put(
        DeadLetterReason.WRONG_SCHEMA,
        AvroCodec.of(ItemMetadata.class)
            .encode(ItemMetadata.newBuilder().setItemId("i1").setUpdateTimeMillis(0).build()));
    bad.put(DeadLetterReason.MISSING_ID, EVENTS.encode(event(" ", "i1", 4, NOW - 1000)));
    bad.put(DeadLetterReason.INVALID_ID, EVENTS.encode(event("u\u0000x", "i1", 4, NOW - 1000)));
    bad.put(
        DeadLetterReason.INVALID_VALUE, EVENTS.encode(event("u1", "i1", Double.NaN, NOW - 1000)));
    bad.put(
        DeadLetterReason.FUTURE_TIMESTAMP,
        EVENTS.encode(event("u1", "i1", 4, NOW + Duration.ofDays(30).toMillis())));
    byte[] outOfScale = EVENTS.encode(event("u2", "i2", 7, NOW - 1000));
    // Bad JSON on the same topic: the same reasons as Avro, with a detail that names the field.
    List<byte[]> badJson =
        List.of(
            utf8("{\"userId\":\"u1\",\"itemId\":\"i1\",\"eventType\":\"RAT"),
            utf8(json("u1", "i1", 4, NOW - 1000).replace("RATING", "SHARE")),
            utf8(json("u1", "i1", 4, NOW - 1000).replace("\"userId\":\"u1\",", "")),
            utf8(json("u1", "i1", 4, NOW - 1000).replace("\"value\":4.0", "\"value\":\"x\"")));
    // More malformed JSON, each with the reason its dead letter must carry.
    String sound = json("u3", "i3", 4, NOW - 1000);
    Map<byte[], DeadLetterReason> malformedJson = new java.util.LinkedHashMap<>();
    malformedJson.put(
        utf8(sound.replace("\"value\":4.0", "\"value\":1e400")), DeadLetterReason.INVALID_VALUE);
    malformedJson.put(
        utf8(
            sound.replaceFirst(
                "\"eventTimeMillis\":\"[^\"]*\"", "\"eventTimeMillis\":99999999999999999999")),
        DeadLetterReason.INVALID_VALUE);
    malformedJson.put(
        utf8(
            sound.replace(
                "{\"userId\"", "{\"x\":" + "[".repeat(40) + "]".repeat(40) + ",\"userId\"")),
        DeadLetterReason.UNDECODABLE); // nested deeper than JsonRecords.MAX_DEPTH
    malformedJson.put(
        utf8(sound.replace("\"value\":4.0", "\"value\":NaN")), DeadLetterReason.UNDECODABLE);
    malformedJson.put(
        utf8(sound.replace("\"itemId\":\"i3\"", "\"itemId\":\"i3\",\"itemId\":\"i4\"")),
        DeadLetterReason.UNDECODABLE);
    malformedJson.put(utf8(sound + " trailing"), DeadLetterReason.UNDECODABLE);
    malformedJson.put(
        utf8(sound.replace("\"userId\":\"u3\"", "\"userId\":42")), DeadLetterReason.WRONG_SCHEMA);
    malformedJson.put(utf8("[" + sound + "]"), DeadLetterReason.UNDECODABLE);
    malformedJson.put(
        sound.replace("u3", "u\u00ff").getBytes(StandardCharsets.ISO_8859_1), // not UTF-8
        DeadLetterReason.UNDECODABLE);

    Configuration settings = new Configuration();
    // Bad records never pass validation; the good ones are checked in the rating path.
    settings.set(RecommendationOptions.ENABLED, false);
    settings.set(PersonalizeOptions.PARALLELISM, 2);
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
    try (KafkaJob kafkaJob = new KafkaJob(settings, Files.createTempDirectory("checkpoints"))) {
      JobConfig job = kafkaJob.config();
      String interactions = job.get(PersonalizeOptions.TOPIC_INTERACTIONS);
      String deadLetters = job.get(PersonalizeOptions.TOPIC_DEAD_LETTERS);
      String metrics = job.get(PersonalizeOptions.TOPIC_METRICS);

      // 200 good events from 10 users, with the bad records spread among them.
      List<byte[]> records = new ArrayList<>();
      int good = 0;
      List<byte[]> badRecords = new ArrayList<>(bad.values());
      badRecords.add(outOfScale);
      badRecords.addAll(badJson);
      badRecords.addAll(malformedJson.keySet());
      for (int n = 0; n < 200; n++) {
        String user = "u" + (n % 10);
        String item = "i" + (n % 37);
        long time = NOW - 100_000 + n;
        // Every fourth good event is JSON, as a producer without Avro would send it.
        records.add(
            n % 4 == 1
                ? utf8(json(user, item, 1 + n % 5, time))
                : EVENTS.encode(event(user, item, 1 + n % 5, time)));
        good++;
        if (n % 8 == 0 && !badRecords.isEmpty()) {
          records.add(badRecords.remove(0));
        }
      }
      kafkaJob.produce(interactions, 0, records, NOW - 100_000);

      StreamExecutionEnvironment env = kafkaJob.environment();
      // Item metadata from a file joins the (empty) items topic: the run --items-file path.
      JobRunner.define(
          env,
          job,
          List.of(
              ItemMetadata.newBuilder()
                  .setItemId("i1")
                  .setGenres(List.of("Drama"))
                  .setUpdateTimeMillis(0)
                  .build()));
      JobClient client = env.executeAsync("dead-letters");
      try {
        List<DeadLetter> letters = new ArrayList<>();
        long[] scored = {0};
        int expectedGood = good;
        kafkaJob.consumeUntil(
            List.of(deadLetters, metrics),
            r -> {
              if (r.topic().equals(deadLetters)) {
                letters.add(AvroCodec.of(DeadLetter.class).decode(r.value()));
              } else {
                MetricSnapshot m = AvroCodec.of(MetricSnapshot.class).decode(r.value());
                if (m.getCumulative() && m.getGroup() == 0 && m.getMode().equals("adaptive")) {
                  scored[0] = Math.max(scored[0], m.getEvents());
                }
              }
            },
            x -> letters.size() >= 20 && scored[0] >= expectedGood,
            Duration.ofSeconds(120));
        assertThat(client.getJobStatus().get().isGloballyTerminalState()).isFalse();
        assertThat(scored[0]).as("good events scored by adaptive").isEqualTo(good);
        assertThat(letters).hasSize(20);
        Map<DeadLetterReason, Long> byReason = new EnumMap<>(DeadLetterReason.class);
        letters.forEach(l -> byReason.merge(l.getReason(), 1L, Long::sum));
        assertThat(byReason)
            .containsEntry(DeadLetterReason.UNDECODABLE, 8L)
            .containsEntry(DeadLetterReason.WRONG_SCHEMA, 4L)
            .containsEntry(DeadLetterReason.MISSING_ID, 2L)
            .containsEntry(DeadLetterReason.INVALID_ID, 1L)
            .containsEntry(DeadLetterReason.INVALID_VALUE, 4L)
            .containsEntry(DeadLetterReason.FUTURE_TIMESTAMP, 1L);
        for (DeadLetter letter : letters) {
          assertThat(letter.getSourceTopic()).isEqualTo(interactions);
          assertThat(letter.getDetail()).isNotBlank();
          assertThat(letter.getPayload()).isNotNull();
        }
        Map<String, DeadLetter> byPayload = new HashMap<>();
        for (DeadLetter letter : letters) {
          byte[] payload = new byte[letter.getPayload().remaining()];
          letter.getPayload().duplicate().get(payload);
          byPayload.put(new String(payload, StandardCharsets.UTF_8), letter);
        }
        assertThat(byPayload.get("not avro at all").getReason())
            .isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(byPayload.get(new String(badJson.get(0), StandardCharsets.UTF_8)).getDetail())
            .contains("not well-formed JSON InteractionEvent");
        DeadLetter unknownType = byPayload.get(new String(badJson.get(1), StandardCharsets.UTF_8));
        assertThat(unknownType.getReason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
        assertThat(unknownType.getDetail()).contains("\"SHARE\", not a symbol of EventType");
        DeadLetter noUser = byPayload.get(new String(badJson.get(2), StandardCharsets.UTF_8));
        assertThat(noUser.getReason()).isEqualTo(DeadLetterReason.MISSING_ID);
        assertThat(noUser.getDetail()).contains("'userId' is missing");
        DeadLetter stringValue = byPayload.get(new String(badJson.get(3), StandardCharsets.UTF_8));
        assertThat(stringValue.getReason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
        assertThat(stringValue.getDetail()).contains("'value' must be a number");
        malformedJson.forEach(
            (payload, reason) ->
                assertThat(
                        letters.stream()
                            .filter(l -> l.getPayload().equals(java.nio.ByteBuffer.wrap(payload)))
                            .map(DeadLetter::getReason))
                    .as("dead letter of %s", new String(payload, StandardCharsets.UTF_8))
                    .containsExactly(reason));
      } finally {
        client.cancel().get();
      }
    }
  }

  /** A good event as JSON, its time as an ISO-8601 string (the other accepted form). */
  private static String json(String user, String item, double value, long time) {
    return new String(JsonEvents.write(event(user, item, value, time)), StandardCharsets.UTF_8)
        .replace(Long.toString(time), "\"" + Instant.ofEpochMilli(time) + "\"");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static InteractionEvent event(String user, String item, double value, long time) {
    return InteractionEvent.newBuilder()
        .setUserId(user)
        .setItemId(item)
        .setEventType(EventType.RATING)
        .setValue(value)
        .setEventTimeMillis(time)
        .build();
  }
}
