package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server on a real broker: lists written to the compacted topic are served, with titles from
 * the items topic; an unknown user gets the fallback, marked; a tombstone removes a list; bad input
 * of many kinds is a 400 (never a 5xx); the metrics are Prometheus text; and {@code recommend}
 * prints the same answer.
 */
class RecommendationServerITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedKafka kafka;
  private static KafkaProducer<byte[], byte[]> producer;
  private static RecommendationServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    try (Topics topics = new Topics(kafka.bootstrapServers())) {
      topics.create(2, Topics.COMPACTED, "recommendations", "items");
      topics.create(1, Topics.KEEP_FOREVER, "metrics");
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(props);
    send("items", "i1", item("i1", "Toy Story (1995)"));
    send("items", "i2", item("i2", "Heat (1995)"));
    send("recommendations", "u1", list("u1", false, "i1", "i2", "i3"));
    send("recommendations", "", list("", true, "i2", "i9"));
    send("recommendations", "gone", list("gone", false, "i1"));
    producer.send(new ProducerRecord<>("recommendations", bytes("gone"), null));
    producer.flush();

    Configuration conf = new Configuration();
    conf.set(ServeOptions.PORT, 0);
    // No job runs there, whatever else runs on this machine (a demo on 8081, say).
    conf.set(ServeOptions.FLINK_REST, "http://127.0.0.1:" + unusedPort());
    conf.set(ServeOptions.QUERYABLE_STATE_PROXY, "127.0.0.1:" + unusedPort());
    conf.set(ServeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    server = RecommendationServer.start(ServeSettings.from(conf));
    await(() -> server.caughtUp() && get("/users/u1/recommendations").statusCode() == 200);
    await(() -> get("/users/u1/recommendations").body().contains("Toy Story"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aKnownUserGetsTheirListWithTitlesScoresSourcesAndVersions() throws Exception {
    HttpResponse<String> response = get("/users/u1/recommendations?k=2");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("user").asText()).isEqualTo("u1");
    assertThat(answer.get("fallback").asBoolean()).isFalse();
    assertThat(answer.get("items")).hasSize(2);
    assertThat(answer.get("items").get(0).get("item").asText()).isEqualTo("i1");
    assertThat(answer.get("items").get(0).get("title").asText()).isEqualTo("Toy Story (1995)");
    assertThat(answer.get("items").get(0).get("score").asDouble()).isEqualTo(3.0);
    assertThat(answer.get("items").get(0).get("source").asText()).isEqualTo("walks");
    assertThat(answer.get("modelVersion").asLong()).isEqualTo(7);
    assertThat(answer.get("graphVersion").asLong()).isEqualTo(11);
    assertThat(answer.get("ageMillis").asLong()).isBetween(0L, 120_000L);
    // Without k: the default 10, here all 3 items.
    assertThat(JSON.readTree(get("/users/u1/recommendations").body()).get("items")).hasSize(3);
  }

  @Test
  void anUnknownUserGetsTheFallbackMarkedAsSuch() throws Exception {
    for (String path : List.of("/users/nobody/recommendations", "/users/gone/recommendations")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      JsonNode answer = JSON.readTree(response.body());
      assertThat(answer.get("fallback").asBoolean()).as(path).isTrue();
      assertThat(answer.get("reason").asText()).contains("fallback");
      assertThat(answer.get("items").get(0).get("item").asText()).isEqualTo("i2");
      assertThat(answer.get("items").get(0).get("title").asText()).isEqualTo("Heat (1995)");
    }
    // An id needing escapes round-trips: it is unknown, so the fallback, for that very id.
    JsonNode odd = JSON.readTree(get("/users/a%2Fb%20c%C3%A9/recommendations").body());
    assertThat(odd.get("user").asText()).isEqualTo("a/b cé");
  }

  @Test
  void badInputIsA400WithAReasonAndNeverA5xx() throws Exception {
    List<String> bad =
        List.of(
            "/users/u1/recommendations?k=abc",
            "/users/u1/recommendations?k=0",
            "/users/u1/recommendations?k=-3",
            "/users/u1/recommendations?k=101",
            "/users/u1/recommendations?k=99999999999999999999",
            "/users/u1/recommendations?k=",
            "/users/u1/recommendations?k=1&k=2",
            "/users/%20u1/recommendations",
            "/users/%09/recommendations",
            "/users/%00/recommendations",
            "/users/%E2%82/recommendations",
            "/users/" + "x".repeat(300) + "/recommendations",
            "/users/%20/recommendations",
            "/users/%0A");
    List<String> failures = new ArrayList<>();
    for (String path : bad) {
      // As raw bytes: a client library refuses to send some of these (a bad escape) at all.
      String response = raw("GET " + path + " HTTP/1.1");
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      if (!response.startsWith("HTTP/1.1 400") || !reason(body)) {
        failures.add(path + " -> " + response);
      }
    }
    assertThat(failures).isEmpty();
    // A broken escape never reaches the handler: Undertow's parser answers 400, without a body.
    for (String path : List.of("/users/u1/recommendations?k=%ZZ", "/users/%/recommendations")) {
      assertThat(raw("GET " + path + " HTTP/1.1")).as(path).startsWith("HTTP/1.1 400");
    }
    // Not bad input, but not answerable either: 404 and 405, still never 5xx.
    assertThat(get("/users").statusCode()).isEqualTo(404);
    assertThat(get("/users//recommendations").statusCode()).isEqualTo(400);
    assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(server.address().resolve("/users/u1/recommendations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    // A request line no client library would send: raw bytes on a socket.
    assertThat(raw("GET /users/a b/recommendations HTTP/1.1")).startsWith("HTTP/1.1 400");
    assertThat(
            metric("personalize_serve_requests_total{endpoint=\"recommendations\",status=\"500\"}"))
        .isZero();
  }

  @Test
  void theProfileSaysWhyWhenNoJobRuns() throws Exception {
    HttpResponse<String> response = get("/users/u1");
    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("error").asText()).contains("Flink REST API");
    assertThat(answer.get("recommendations").asText()).contains("still answers");
    assertThat(get("/users/%20x").statusCode()).isEqualTo(400);
  }

  @Test
  void healthStatusAndPrometheusMetrics() throws Exception {
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("ready");
    JsonNode status = JSON.readTree(get("/api/status").body());
    assertThat(status.get("lists").asInt()).isPositive(); // u1, and u2 if that test ran first
    assertThat(status.get("fallback").asBoolean()).isTrue();
    assertThat(status.get("modelVersion").asLong()).isEqualTo(7);
    assertThat(status.get("topics").get("recommendations").get("lag").asLong()).isZero();

    get("/users/u1/recommendations");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("# TYPE personalize_serve_requests_total counter")
        .contains(
            "personalize_serve_request_duration_seconds_bucket{endpoint=\"recommendations\",le=\"0.002\"}")
        .containsPattern("personalize_serve_lists [12]")
        .contains("personalize_serve_topic_lag_records{topic=\"recommendations\"} 0");
    assertThat(
            metric("personalize_serve_requests_total{endpoint=\"recommendations\",status=\"200\"}"))
        .isPositive();
  }

  @Test
  void aNewListReplacesTheOldOneAtOnce() throws Exception {
    send("recommendations", "u2", list("u2", false, "i1"));
    producer.flush();
    await(() -> get("/users/u2/recommendations").body().contains("\"fallback\":false"));
    send("recommendations", "u2", list("u2", false, "i2"));
    producer.flush();
    await(() -> get("/users/u2/recommendations").body().contains("Heat (1995)"));
  }

  @Test
  void recommendPrintsTheServersAnswer() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RecommendCommand.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "--user",
            "u1",
            "--server",
            server.address().toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Toy Story (1995)")
        .contains("walks")
        .contains("model version 7");

    out = new StringWriter();
    code =
        RecommendCommand.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "--user",
            "nobody",
            "--json",
            "--server",
            server.address().toString());
    assertThat(code).isEqualTo(1);
    assertThat(JSON.readTree(out.toString()).get("fallback").asBoolean()).isTrue();

    err = new StringWriter();
    code =
        RecommendCommand.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "--user",
            " u1",
            "--server",
            server.address().toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("400").contains("white space");
  }

  // ---- helpers

  private static RecommendationList list(String user, boolean fallback, String... items) {
    List<ScoredItem> scored = new ArrayList<>();
    for (int n = 0; n < items.length; n++) {
      scored.add(
          new ScoredItem(items[n], (double) items.length - n, fallback ? "popularity" : "walks"));
    }
    return RecommendationList.newBuilder()
        .setUserId(user)
        .setGeneratedAtMillis(System.currentTimeMillis())
        .setModelVersion(7)
        .setItems(scored)
        .setGraphVersion(11)
        .setRecommender(fallback ? "fallback" : "walks+rank+mmr")
        .setFallback(fallback)
        .build();
  }

  private static ItemMetadata item(String id, String title) {
    return ItemMetadata.newBuilder()
        .setItemId(id)
        .setTitle(title)
        .setGenres(List.of("Comedy"))
        .setFeatures(Map.of())
        .setUpdateTimeMillis(System.currentTimeMillis())
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void send(
      String topic, String key, org.apache.avro.specific.SpecificRecord value) {
    byte[] bytes = AvroCodec.of((Class) value.getClass()).encode(value);
    producer.send(new ProducerRecord<>(topic, bytes(key), bytes));
  }

  private static int unusedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(server.address() + path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(path, e);
    }
  }

  private static String raw(String requestLine) throws Exception {
    try (Socket socket = new Socket(server.address().getHost(), server.address().getPort())) {
      socket.setSoTimeout(5_000);
      String request = requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** True for a JSON answer with a non-blank "error". */
  private static boolean reason(String body) {
    try {
      JsonNode error = JSON.readTree(body).get("error");
      return error != null && !error.asText().isBlank();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static double metric(String series) {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(60).toMillis();
    while (!condition.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("condition within 60 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
