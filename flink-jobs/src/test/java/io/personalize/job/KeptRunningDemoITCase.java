package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.demo.Demo;
import io.personalize.job.config.RecommendationOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --keep-running} whose job is stopped with a savepoint through Flink's REST API, as
 * docs/operations.md shows for moving timers: the job's local cluster goes down with the job, and
 * the demo says how the job ended and returns, instead of failing on the cluster being gone.
 */
class KeptRunningDemoITCase {
  @Test
  void aKeptRunningDemoEndsCleanlyWhenItsJobIsStoppedWithASavepoint(@TempDir Path dir)
      throws Exception {
    Dataset dataset = SyntheticData.generate(7, 50, 30, 500);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Configuration settings = DemoSettings.onFreePorts(1);
    settings.set(RecommendationOptions.ENABLED, false);
    Path savepoints = dir.resolve("savepoints");
    CompletableFuture<String> stopped = new CompletableFuture<>();
    new Demo(settings, new PrintStream(console, true), 120_000, true)
        .beforeTeardown(
            endpoints ->
                CompletableFuture.runAsync(
                    () -> stopWithSavepoint(endpoints.flinkRest(), savepoints, stopped)))
        .run(dataset, dir);

    assertThat(stopped.get()).contains("request-id");
    assertThat(console.toString())
        .containsAnyOf("the job is FINISHED", "the job has ended, and its local cluster");
    try (Stream<Path> written = Files.list(savepoints)) {
      assertThat(written).as("the savepoint").hasSize(1);
    }
  }

  /** What a user would send with curl: the running job's id, then a stop with a savepoint. */
  private static void stopWithSavepoint(
      String rest, Path savepoints, CompletableFuture<String> answer) {
    try {
      HttpClient http = HttpClient.newHttpClient();
      String jobs =
          http.send(
                  HttpRequest.newBuilder(URI.create(rest + "/jobs")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String id = jobs.replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
      String body =
          "{\"targetDirectory\": \"" + savepoints.toUri() + "\", \"formatType\": \"CANONICAL\"}";
      answer.complete(
          http.send(
                  HttpRequest.newBuilder(URI.create(rest + "/jobs/" + id + "/stop"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    } catch (Exception e) {
      answer.completeExceptionally(e);
    }
  }
}
