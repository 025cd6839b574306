package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /events} on a real broker: accepted events are in the interactions topic as Avro,
 * keyed by user, when the 202 comes; a batch with a bad event writes nothing and names each bad one
 * with the job's dead-letter reason; malformed bodies, other methods, other content types, bodies
 * over the limit and clients over the rate limit get their own answers; a broker that is gone is a
 * 503 within the ack timeout, also for a server started while it was gone.
 */
class EventIntakeITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AvroCodec<InteractionEvent> AVRO = AvroCodec.of(InteractionEvent.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long NOW = System.currentTimeMillis();
  private static EmbeddedKafka kafka;
  private static RecommendationServer server;
  private static KafkaConsumer<byte[], byte[]> consumer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    try (Topics topics = new Topics(kafka.bootstrapServers())) {
      topics.create(2, Topics.COMPACTED, "recommendations", "items");
      topics.create(1, Topics.KEEP_FOREVER, "metrics");
      topics.create(2, Topics.KEEP_FOREVER, "interactions");
    }
    server = RecommendationServer.start(ServeSettings.from(settings(kafka, 200)));
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "events-test");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of("interactions"));
  }

  private static Configuration settings(EmbeddedKafka kafka, double ratePerClient) {
    Configuration conf = new Configuration();
    conf.set(ServeOptions.PORT, 0);
    conf.set(ServeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    conf.set(ServeOptions.FLINK_REST, "http://127.0.0.1:1");
    conf.set(ServeOptions.QUERYABLE_STATE_PROXY, "127.0.0.1:1");
    conf.set(ServeOptions.EVENTS_RATE_LIMIT, ratePerClient);
    conf.set(ServeOptions.EVENTS_MAX_BATCH, 20);
    conf.set(ServeOptions.EVENTS_MAX_BODY_BYTES, 4_096);
    conf.set(ServeOptions.EVENTS_ACK_TIMEOUT, Duration.ofSeconds(2));
    return conf;
  }

  @AfterAll
  static void stop() {
    if (consumer != null) {
      consumer.close();
    }
    if (server != null) {
      server.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static String event(String user, String item, String type, String value, String time) {
    return "{\"userId\":\""
        + user
        + "\",\"itemId\":\""
        + item
        + "\",\"eventType\":\""
        + type
        + "\",\"value\":"
        + value
        + ",\"eventTimeMillis\":"
        + time
        + "}";
  }

  @Test
  void anAcceptedEventIsInTheTopicWhenThe202Comes() throws Exception {
    HttpResponse<String> single = post(event("web-1", "i7", "RATING", "4", Long.toString(NOW)));
    assertThat(single.statusCode()).as(single.body()).isEqualTo(202);
    assertThat(JSON.readTree(single.body()).get("accepted").asInt()).isEqualTo(1);
    String batch =
        "["
            + event("web-2", "i1", "CLICK", "1", "\"2026-12-03T10:15:30Z\"")
            + ","
            + event("web-2", "i2", "RATING", "2.5", Long.toString(NOW))
            + "]";
    HttpResponse<String> many = post(batch);
    assertThat(many.statusCode()).as(many.body()).isEqualTo(202);
    assertThat(JSON.readTree(many.body()).get("accepted").asInt()).isEqualTo(2);

    List<ConsumerRecord<byte[], byte[]>> written = readAtLeast(3);
    assertThat(written).hasSize(3);
    List<String> users = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : written) {
      InteractionEvent e = AVRO.decode(r.value()); // Avro single-object encoding, as the job reads
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.getUserId());
      users.add(e.getUserId() + "/" + e.getItemId() + "/" + e.getEventType() + "/" + e.getValue());
      if (e.getItemId().equals("i1")) {
        assertThat(e.getEventTimeMillis()).isEqualTo(1_764_756_930_000L + 365L * 86_400_000L);
      }
    }
    assertThat(users)
        .containsExactlyInAnyOrder(
            "web-1/i7/RATING/4.0", "web-2/i1/CLICK/1.0", "web-2/i2/RATING/2.5");
  }

  @Test
  void aBatchWithBadEventsWritesNothingAndNamesEachWithTheJobsReason() throws Exception {
    String batch =
        "["
            + event("ok", "i1", "RATING", "4", Long.toString(NOW))
            + ","
            + event("ok", "i1", "RATING", "9", Long.toString(NOW))
            + ","
            + event("", "i1", "RATING", "4", Long.toString(NOW))
            + ","
            + event("ok", "i1", "RATING", "4", Long.toString(NOW + 10L * 86_400_000L))
            + ","
            + "{\"userId\":\"ok\",\"itemId\":\"i1\",\"eventType\":\"RATING\",\"value\":4}"
            + ","
            + event("ok", "i1", "LIKE", "4", Long.toString(NOW))
            + ","
            + event("ok", "i1", "RATING", "\"four\"", Long.toString(NOW))
            + ",[1]]";
    HttpResponse<String> response = post(batch);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("accepted").asInt()).isZero();
    List<String> reasons = new ArrayList<>();
    for (JsonNode bad : answer.get("rejected")) {
      reasons.add(bad.get("index").asInt() + ":" + bad.get("reason").asText());
      assertThat(bad.get("detail").asText()).isNotBlank();
    }
    assertThat(reasons)
        .containsExactly(
            "1:INVALID_VALUE",
            "2:MISSING_ID",
            "3:FUTURE_TIMESTAMP",
            "4:WRONG_SCHEMA",
            "5:WRONG_SCHEMA",
            "6:WRONG_SCHEMA",
            "7:UNDECODABLE");
    assertThat(readAtLeast(0)).as("nothing written").isEmpty();
  }

  @Test
  void malformedBodiesOtherMethodsAndTypesAndTooMuchAreRefusedEachWithItsStatus() throws Exception {
    for (String body :
        List.of("", "{\"userId\":", "not json", "42", "[]", "{\"a\":1}{", "[" + "[".repeat(20))) {
      HttpResponse<String> response = post(body);
      assertThat(response.statusCode()).as("body %s: %s", body, response.body()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("error").asText()).isNotBlank();
    }
    StringBuilder tooMany = new StringBuilder("[");
    for (int i = 0; i < 21; i++) {
      tooMany.append(i == 0 ? "" : ",").append(event("u", "i", "CLICK", "1", "1"));
    }
    assertThat(post(tooMany + "]").body()).contains("at most 20");
    HttpResponse<String> big = post("{\"userId\":\"" + "x".repeat(5_000) + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(server.address().resolve("/events")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST");
    HttpResponse<String> text =
        HTTP.send(
            HttpRequest.newBuilder(server.address().resolve("/events"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(event("u", "i", "CLICK", "1", "1")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(415);
    // Posting to a recommendations path is still a 405 that says GET.
    HttpResponse<String> wrong =
        HTTP.send(
            HttpRequest.newBuilder(server.address().resolve("/users/u1/recommendations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(405);
  }

  @Test
  void aClientOverTheRateLimitGets429WithRetryAfterAndABrokerGoneIsA503() throws Exception {
    try (EmbeddedKafka own = EmbeddedKafka.start()) {
      try (Topics topics = new Topics(own.bootstrapServers())) {
        topics.create(1, Topics.KEEP_FOREVER, "interactions");
      }
      try (RecommendationServer limited =
              RecommendationServer.start(ServeSettings.from(settings(own, 0.2)));
          RecommendationServer unlimited =
              RecommendationServer.start(ServeSettings.from(settings(own, 0)))) {
        // The burst is one batch (20 events); then one event every 5 s.
        StringBuilder burst = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
          burst.append(i == 0 ? "" : ",").append(event("rl", "i" + i, "CLICK", "1", "1"));
        }
        HttpResponse<String> first = post(limited, burst + "]");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        HttpResponse<String> over = post(limited, event("rl", "more", "CLICK", "1", "1"));
        assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
        // Up to 5 s (one event at 0.2 a second), less by what refilled while the batch was written.
        assertThat(Integer.parseInt(over.headers().firstValue("retry-after").orElseThrow()))
            .isBetween(1, 5);
        assertThat(over.body()).contains("none was written");

        own.close(); // the broker is gone: the answer is a 503 within the ack timeout (2 s)
        long start = System.nanoTime();
        HttpResponse<String> gone = post(unlimited, event("rl", "late", "CLICK", "1", "1"));
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(503);
        assertThat(gone.body()).contains("may have been written");
        assertThat(gone.headers().firstValue("retry-after")).isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        // A server started while the broker is gone still starts (its producer's connect gives
        // up after the ack timeout) and answers events with a 503.
        start = System.nanoTime();
        try (RecommendationServer startedWithoutKafka =
            RecommendationServer.start(ServeSettings.from(settings(own, 0)))) {
          assertThat(Duration.ofNanos(System.nanoTime() - start))
              .isLessThan(Duration.ofSeconds(10));
          HttpResponse<String> refused =
              post(startedWithoutKafka, event("rl", "later", "CLICK", "1", "1"));
          assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        }
      }
    }
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return post(server, body);
  }

  private static HttpResponse<String> post(RecommendationServer target, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(target.address().resolve("/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The records written since the last read: waits up to 10 s for {@code n}, then 1 s more. */
  private static List<ConsumerRecord<byte[], byte[]>> readAtLeast(int n) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (records.size() < n && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < settle) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }
}
