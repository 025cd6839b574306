package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.serving.query.StateLookup;
import io.personalize.serving.serve.RecommendationServer;
import io.personalize.state.UserProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producers the engine did not write, in another language: a Node.js script sends JSON events to
 * the interactions topic with kafkajs (from npm), another posts them to the serving process's
 * {@code POST /events} with Node's own {@code fetch}. Every event reaches its user's personal model
 * (queryable state). Node and npm come from the machine ({@code .ci/install-node} installs them
 * from Debian's packages); kafkajs is installed from npm at the version {@code package-lock.json}
 * pins.
 */
class NodeProducersITCase {
  private static final Path SCRIPTS = Paths.get("src", "test", "node");
  private static final int USERS = 4;
  private static final int EVENTS = 5;

  @Test
  void eventsFromKafkajsAndFromFetchReachThePersonalModels(@TempDir Path tmp) throws Exception {
    Path node = installScripts(Paths.get("target", "node-producers"));
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, 1);
    settings.set(RecommendationOptions.ENABLED, false);
    try (KafkaJob kafkaJob = new KafkaJob(settings, tmp);
        RecommendationServer server = RecommendationServer.start(kafkaJob.serveSettings())) {
      JobConfig job = kafkaJob.config();
      JobClient client = JobRunner.start(kafkaJob.environment(), job);
      try {
        String kafkajs =
            run(
                node,
                "kafka-producer.mjs",
                kafkaJob.kafka.bootstrapServers(),
                job.get(PersonalizeOptions.TOPIC_INTERACTIONS),
                "kafkajs-",
                Integer.toString(USERS),
                Integer.toString(EVENTS));
        assertThat(kafkajs).contains("sent " + USERS * EVENTS);
        String fetch =
            run(
                node,
                "http-producer.mjs",
                server.address().resolve("/events").toString(),
                "fetch-",
                Integer.toString(USERS),
                Integer.toString(EVENTS));
        assertThat(fetch).contains("accepted " + USERS * EVENTS);

        try (StateLookup lookup =
            new StateLookup("127.0.0.1", kafkaJob.proxyPort(), Duration.ofSeconds(30))) {
          for (String prefix : List.of("kafkajs-", "fetch-")) {
            for (int u = 0; u < USERS; u++) {
              String user = prefix + u;
              assertThat(awaitEvents(lookup, client, user))
                  .as("events applied to %s's personal model", user)
                  .isEqualTo(EVENTS);
            }
          }
        }
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), client.getJobID());
        // Metrics reach the REST API a moment after the state: wait for the count, with a deadline.
        assertThat(rest.await(r -> accepted(r) >= 2L * USERS * EVENTS, Duration.ofMinutes(1)))
            .as("records accepted")
            .isTrue();
        assertThat(accepted(rest))
            .as("records accepted, none twice")
            .isEqualTo(2L * USERS * EVENTS);
        assertThat(rest.failures()).isZero();
      } finally {
        client.cancel().get();
      }
    }
  }

  private static long accepted(FlinkRest rest) {
    try {
      return rest.operatorMetricSum("Validate_interactions.records-accepted");
    } catch (Exception e) {
      return -1;
    }
  }

  /** The user's applied events once they stop changing for a moment (or after two minutes). */
  private static long awaitEvents(StateLookup lookup, JobClient client, String user)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    long events = -1;
    while (System.nanoTime() < deadline) {
      Optional<UserProfile> profile = lookup.profile(client.getJobID(), user);
      events = profile.map(p -> p.events).orElse(0L);
      if (events >= EVENTS) {
        return events;
      }
      Thread.sleep(200);
    }
    return events;
  }

  /** The scripts in a directory of the build with kafkajs installed beside them by npm. */
  private static Path installScripts(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (String file :
        List.of("package.json", "package-lock.json", "kafka-producer.mjs", "http-producer.mjs")) {
      Files.copy(SCRIPTS.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("kafkajs"))) {
      run(dir, "npm", "ci", "--no-audit", "--no-fund");
    }
    return dir;
  }

  private static String run(Path dir, String script, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if (script.endsWith(".mjs")) {
      command.add("node");
    }
    command.add(script);
    command.addAll(List.of(args));
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          command.get(0)
              + " is not installed: run .ci/install-node (Debian's nodejs and npm packages)",
          e);
    }
    boolean done = process.waitFor(3, TimeUnit.MINUTES);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      process.destroyForcibly();
    }
    assertThat(done && process.exitValue() == 0)
        .as("%s exited normally; it printed:%n%s", command, output)
        .isTrue();
    return output;
  }
}
