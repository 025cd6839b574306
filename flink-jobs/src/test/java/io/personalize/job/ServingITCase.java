package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.model.EventKind;
import io.personalize.serving.serve.RecommendationServer;
import io.personalize.state.QueryableStateNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving path end to end: clicks into a real broker, the job on a MiniCluster publishing lists
 * to the compacted topic, and the recommendation server answering over HTTP, for known, unknown and
 * malformed ids, through a cancel and restart of the job; then the freshness of an active user's
 * list, measured: each of a probe user's clicks is timed from its acknowledgement by the broker
 * until the server answers with a list that follows it.
 */
class ServingITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int USERS = 16;
  private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(500);
  private static final long START = System.currentTimeMillis() - Duration.ofDays(1).toMillis();

  @Test
  void theServerAnswersThroughAJobRestartAndPicksUpNewLists(@TempDir Path tmp) throws Exception {
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, 2);
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
    settings.set(RecommendationOptions.PUBLISH_INTERVAL, PUBLISH_INTERVAL);
    settings.set(PersonalizeOptions.START_FROM, PersonalizeOptions.StartFrom.COMMITTED);
    try (KafkaJob kafkaJob = new KafkaJob(settings, Files.createDirectories(tmp.resolve("cp")));
        InteractionProducer producer = new InteractionProducer(kafkaJob.kafka.bootstrapServers());
        RecommendationServer server = RecommendationServer.start(kafkaJob.serveSettings())) {
      JobConfig job = kafkaJob.config();
      String topic = job.get(PersonalizeOptions.TOPIC_INTERACTIONS);
      String base = server.address().toString();

      JobClient first = start(kafkaJob);
      producer.sendInteractions(clicks(0, 5), topic, 0, 1_000, (s, t) -> {});
      for (int u = 0; u < USERS; u++) {
        String path = base + "/users/u" + u + "/recommendations";
        awaitAnswer(path, a -> !a.get("fallback").asBoolean() && a.get("userEvents").asLong() == 5);
      }
      JsonNode fallback = awaitAnswer(base + "/users/nobody/recommendations", a -> true);
      assertThat(fallback.get("fallback").asBoolean()).isTrue();
      assertThat(fallback.get("reason").asText()).contains("fallback");
      assertThat(get(base + "/users/%20u1/recommendations").statusCode()).isEqualTo(400);
      assertThat(get(base + "/users/u1/recommendations?k=zero").statusCode()).isEqualTo(400);
      HttpResponse<String> profile = get(base + "/users/u1");
      assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
      // Clicks train no rating model: the job knows u1 by its list, with the events it follows.
      JsonNode known = JSON.readTree(profile.body());
      assertThat(known.get("known").asBoolean()).isTrue();
      assertThat(known.get("list").get("userEvents").asLong()).isEqualTo(5);

      // The job goes away: the lists stay, the profile says why it is missing.
      JsonNode before = JSON.readTree(get(base + "/users/u1/recommendations").body());
      first.cancel().get(); // its local cluster shuts down with it
      JsonNode during = JSON.readTree(get(base + "/users/u1/recommendations").body());
      assertThat(during.get("generatedAt")).isEqualTo(before.get("generatedAt"));
      assertThat(during.get("items")).isEqualTo(before.get("items"));
      // The cluster may answer for a moment while it shuts down; then the lookup fails.
      HttpResponse<String> down = get(base + "/users/u1");
      long deadline = System.currentTimeMillis() + 30_000;
      while (down.statusCode() != 503 && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        down = get(base + "/users/u1");
      }
      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      assertThat(JSON.readTree(down.body()).get("error").asText()).contains("cannot be read");
      assertThat(get(base + "/health").statusCode()).isEqualTo(200);

      // A new job: new clicks make new lists, served as they come.
      JobClient second = start(kafkaJob);
      try {
        producer.sendInteractions(clicks(5, 1), topic, 0, 1_000, (s, t) -> {});
        awaitAnswer(
            base + "/users/u1/recommendations",
            a -> !a.get("generatedAt").equals(before.get("generatedAt")));
        // The new job's list can reach the topic before its queryable state answers (a lookup
        // then fails for a moment, 503, as the first job's did while it went away): the profile
        // comes back, the user known again.
        awaitAnswer(base + "/users/u1", a -> a.get("known").asBoolean());

        long[] freshness = probeFreshness(producer, topic, base);
        Arrays.sort(freshness);
        long p50 = freshness[freshness.length / 2];
        long max = freshness[freshness.length - 1];
        System.out.printf(
            "freshness of an active user's list (publish interval %d ms): %d clicks, p50 %d ms,"
                + " max %d ms%n",
            PUBLISH_INTERVAL.toMillis(), freshness.length, p50, max);
        // The bound: the publish interval plus the time through the job, Kafka and the server,
        // generous for a busy 2-core machine (measured: see docs/serving.md).
        assertThat(max).isLessThan(PUBLISH_INTERVAL.toMillis() + 3_000);
      } finally {
        second.cancel().get();
      }
    }
  }

  /**
   * A probe user clicks 12 items, each as soon as the last one's list is served; for each click,
   * the time from its acknowledgement until the server answers with a list that follows it (its
   * userEvents reached the click's).
   */
  private static long[] probeFreshness(InteractionProducer producer, String topic, String base)
      throws Exception {
    int clicks = 12;
    long[] freshness = new long[clicks];
    String path = base + "/users/probe/recommendations";
    for (int n = 1; n <= clicks; n++) {
      Interaction click =
          Interaction.inSession(
              "probe", "c1i" + (n % 5), EventKind.CLICK, START + 10 * 3_600_000L + n * 1_000L);
      producer.sendInteractions(
          new Dataset("probe", "generated", List.of(click), Map.of(), Dataset.IMPLICIT, 1),
          topic,
          0,
          1,
          (s, t) -> {});
      long acked = System.currentTimeMillis();
      int events = n;
      awaitAnswer(
          path, a -> !a.get("fallback").asBoolean() && a.get("userEvents").asLong() >= events);
      // The next click at once: it falls within the publish interval, so its list must wait.
      freshness[n - 1] = System.currentTimeMillis() - acked;
    }
    return freshness;
  }

  /** {@code count} clicks per user, each user in one of 4 clusters of 5 items, a minute apart. */
  private static Dataset clicks(int from, int count) {
    List<Interaction> events = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int k = from; k < from + count; k++) {
        long time = START + u * 600_000L + k * 60_000L;
        events.add(
            Interaction.inSession("u" + u, "c" + u % 4 + "i" + k % 5, EventKind.CLICK, time));
      }
    }
    return new Dataset("clusters", "generated", events, Map.of(), Dataset.IMPLICIT, events.size());
  }

  private static JobClient start(KafkaJob kafkaJob) throws Exception {
    StreamExecutionEnvironment env = kafkaJob.environment();
    JobRunner.define(env, kafkaJob.config(), List.of());
    return env.executeAsync(QueryableStateNames.JOB_NAME);
  }

  /** Polls {@code url} every 10 ms until it answers 200 with JSON that {@code done} accepts. */
  private static JsonNode awaitAnswer(String url, Predicate<JsonNode> done) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      HttpResponse<String> r = get(url);
      assertThat(r.statusCode()).as(url + ": " + r.body()).isIn(200, 503);
      if (r.statusCode() == 200) {
        JsonNode answer = JSON.readTree(r.body());
        if (done.test(answer)) {
          return answer;
        }
      }
      assertThat(System.currentTimeMillis()).as("%s within 2 min", url).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
