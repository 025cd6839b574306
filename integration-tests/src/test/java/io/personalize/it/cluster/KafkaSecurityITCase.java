package io.personalize.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.cluster.ClusterSettings;
import io.personalize.cluster.KafkaTls;
import io.personalize.cluster.Layout;
import io.personalize.cluster.LocalCluster;
import io.personalize.cluster.Polling;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SyntheticData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka security settings pass through to every Kafka client of the job, of {@code produce} and of
 * {@code serve}, and no secret in them shows up anywhere: the broker's only client listener
 * requires a SASL login over TLS (SASL_SSL, with a certificate made for this run), the job gets the
 * login and the truststore as {@code personalize.kafka.*} settings at submission, {@code produce}
 * (a process of its own) as {@code -D} flags, {@code serve} (a process of its own) from a config
 * file. Afterwards no log of any process and no configuration view of Flink's REST API (what the
 * web UI shows) contains the SASL password or a store password.
 */
class KafkaSecurityITCase {
  private static final String USER = "personalize";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KafkaTls tls;
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    Path home = Path.of("target", "sasl-cluster");
    SharedCluster.deleteRecursively(home);
    tls = KafkaTls.generate(home.resolve("tls"));
    // One TaskManager (two slots) is enough for the job at parallelism 2, and starts faster.
    ClusterSettings defaults = ClusterSettings.defaults(home).withFreePorts();
    ClusterSettings oneTaskManager =
        new ClusterSettings(
            defaults.home(),
            defaults.kafkaPort(),
            defaults.restPort(),
            1,
            defaults.slotsPerTaskManager(),
            defaults.taskManagerMemory(),
            defaults.jobManagerMemory(),
            defaults.flinkOptions(),
            defaults.kafkaUsers(),
            defaults.kafkaTls());
    cluster =
        LocalCluster.start(
            Layout.fromSystemProperty(),
            oneTaskManager.withKafkaUsers(Map.of(USER, PASSWORD)).withKafkaTls(tls),
            System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void jobProducerAndServerUseSaslOverTlsAndNoSecretAppearsInAnyLogOrConfigurationView()
      throws Exception {
    Map<String, String> login = LocalCluster.kafkaClientProperties(USER, PASSWORD, tls);
    assertThat(login).containsEntry("security.protocol", "SASL_SSL");
    ClusterJob job = new ClusterJob(cluster, "sasl", 2, login);
    List<String> settings = new ArrayList<>();
    login.forEach(
        (key, value) -> settings.addAll(List.of("-D", "personalize.kafka." + key + "=" + value)));
    Path logs = cluster.home().resolve("logs");
    PersonalizeCommands commands = new PersonalizeCommands(Layout.fromSystemProperty());

    // The server and the producer start while the job is submitted: the server waits for its
    // topics, and the job reads the interactions from their beginning.
    Process serve =
        commands.serve(
            List.of(
                "--port",
                "0",
                "--bootstrap-servers",
                cluster.kafka(),
                "--topic-recommendations",
                job.topic("recommendations"),
                "--topic-items",
                job.topic("items"),
                "--topic-metrics",
                job.topic("metrics"),
                "--flink-rest",
                cluster.flinkRestAddress(),
                "--queryable-state-proxy",
                "127.0.0.1:" + cluster.queryableStatePorts().get(0),
                "--config-file",
                clientConfigFile(login).toString()),
            logs.resolve("serve.log"));
    Dataset events = SyntheticData.generate(3, 50, 40, 2_000);
    List<String> produceArgs =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                cluster.kafka(),
                "--topic",
                job.topic("interactions"),
                "--items-topic",
                job.topic("items"),
                "--partitions",
                "1",
                "--data",
                "generated",
                "--seed",
                "3",
                "--generated-users",
                "50",
                "--generated-items",
                "40",
                "--generated-events",
                "2000",
                "--no-progress"));
    produceArgs.addAll(settings);
    Process produce =
        commands.produce(
            produceArgs, cluster.home().resolve("log4j2.properties"), logs.resolve("produce.log"));
    try {
      job.submit(2, null, settings.toArray(new String[0]));

      assertThat(produce.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("produce finished")
          .isTrue();
      assertThat(produce.exitValue()).as(tail(logs.resolve("produce.log"))).isZero();
      perUser(events).forEach(job::expectApplied);
      job.assertEveryEventAppliedOnce();
      assertThat(job.deadLetters()).isZero(); // the dead-letter sink logs in too
      assertThat(cluster.rest().restarts(job.jobId)).isZero();

      assertServerAnswersFromTheSecuredTopics(serve, logs.resolve("serve.log"), events);
    } finally {
      serve.destroy();
      produce.destroy();
      serve.waitFor(10, TimeUnit.SECONDS);
    }

    List<String> secrets = List.of(PASSWORD, tls.truststorePassword(), tls.keystorePassword());
    for (String view : configurationViews(job.jobId)) {
      String text = cluster.rest().get(view).toString();
      for (String secret : secrets) {
        assertThat(text).as("REST " + view).doesNotContain(secret);
      }
    }
    Map<String, String> logTexts = new TreeMap<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.toList()) {
        logTexts.put(log.getFileName().toString(), Files.readString(log));
      }
    }
    assertThat(logTexts).containsKeys("kafka.log", "jobmanager.log", "produce.log", "serve.log");
    logTexts.forEach(
        (name, text) -> {
          for (String secret : secrets) {
            assertThat(text).as(name).doesNotContain(secret);
          }
        });
    // The settings did reach the clients, which log their configuration with the secrets hidden.
    String taskManagers =
        logTexts.entrySet().stream()
            .filter(log -> log.getKey().startsWith("taskmanager"))
            .map(Map.Entry::getValue)
            .reduce("", String::concat);
    for (String log :
        List.of(taskManagers, logTexts.get("produce.log"), logTexts.get("serve.log"))) {
      assertThat(log)
          .contains("security.protocol = SASL_SSL")
          .contains("sasl.jaas.config = [hidden]")
          .contains("ssl.truststore.password = [hidden]");
    }
    cluster.rest().cancel(job.jobId);
  }

  /**
   * The server answers a produced user's own list (not the fallback) made after all of the user's
   * events, has read every item and some metrics, and says it is ready: each of its three consumers
   * logged in. (The generated users have rated every item, so the list itself is empty: the job
   * excludes what a user has seen.)
   */
  private static void assertServerAnswersFromTheSecuredTopics(
      Process serve, Path log, Dataset events) {
    String address = awaitAddress(serve, log);
    String user = events.interactions().get(0).userId();
    long userEvents = perUser(events).get(user);
    JsonNode[] last = new JsonNode[2];
    Polling.await(
        () -> {
          last[0] = getJson(address + "/users/" + user + "/recommendations");
          last[1] = getJson(address + "/api/status");
          return last[0] != null
              && !last[0].path("fallback").asBoolean(true)
              && last[0].path("userEvents").asLong() == userEvents
              && last[1] != null
              && last[1].path("items").asInt() == events.items().size()
              && last[1].path("eventsScored").asLong() > 0;
        },
        Duration.ofMinutes(1),
        () -> "serve did not answer " + user + "'s list from the job: " + last[0] + ", " + last[1]);
    JsonNode health = getJson(address + "/health");
    assertThat(health).as("/health answers 200").isNotNull();
    assertThat(health.path("status").asText()).isEqualTo("ready");
  }

  /** The address {@code serve} prints when it listens ("serving on http://..."). */
  private static String awaitAddress(Process serve, Path log) {
    String[] address = {null};
    Polling.await(
        () -> {
          if (!serve.isAlive()) {
            throw new Polling.Fatal("serve exited: " + tail(log));
          }
          for (String line : lines(log)) {
            if (line.startsWith("serving on ")) {
              address[0] = line.substring("serving on ".length()).split(" ")[0];
              return true;
            }
          }
          return false;
        },
        Duration.ofMinutes(1),
        () -> "serve printed no address: " + tail(log));
    return address[0];
  }

  /** The body of a 200 answer as JSON; null for another status or no answer. */
  private static JsonNode getJson(String url) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every REST view that shows configuration, the job's or a process's. */
  private static List<String> configurationViews(String jobId) {
    List<String> views =
        new ArrayList<>(
            List.of(
                "jobmanager/config",
                "jobmanager/environment",
                "jobs/" + jobId,
                "jobs/" + jobId + "/config",
                "jobs/" + jobId + "/jobmanager/config",
                "jobs/" + jobId + "/jobmanager/environment",
                "taskmanagers"));
    for (JsonNode taskManager : cluster.rest().get("taskmanagers").path("taskmanagers")) {
      views.add("taskmanagers/" + taskManager.path("id").asText());
    }
    return views;
  }

  /** The client settings as {@code serve --config-file} reads them, in the test's own files. */
  private static Path clientConfigFile(Map<String, String> client) throws IOException {
    StringBuilder yaml = new StringBuilder();
    client.forEach(
        (key, value) ->
            yaml.append("personalize.kafka.")
                .append(key)
                .append(": '")
                .append(value.replace("'", "''"))
                .append("'\n"));
    return Files.writeString(cluster.home().resolve("serve-kafka.yaml"), yaml);
  }

  private static Map<String, Long> perUser(Dataset events) {
    Map<String, Long> counts = new TreeMap<>();
    for (Interaction event : events.interactions()) {
      counts.merge(event.userId(), 1L, Long::sum);
    }
    return counts;
  }

  private static List<String> lines(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(Path log) {
    List<String> all = lines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
  }
}
