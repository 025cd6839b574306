package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.kafka.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code personalize run} on a local Flink against a broker, as a user starts it: it says where the
 * job's web UI and state are, writes them to {@code endpoints.json} for {@code query} and {@code
 * serve}, shows progress while the job runs, and ends when the job does.
 */
class RunCommandITCase {
  private static final int EVENTS = 200;

  /**
   * Regression: {@code run} printed two lines ("connecting to Kafka", "checkpoints in") and then
   * nothing while the job ran: no address of its web UI or state, no sign that events arrived.
   */
  @Test
  void aRunningJobSaysWhereItIsAndShowsItsProgressUntilItEnds(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      ProduceCommandTest.Run produced =
          ProduceCommandTest.run(
              "--data",
              "generated",
              "--generated-users",
              "20",
              "--generated-items",
              "30",
              "--generated-events",
              Integer.toString(EVENTS),
              "--topic",
              "interactions",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--no-progress");
      assertThat(produced.exitCode()).as(produced.err()).isZero();
      int restPort = ProduceCommandTest.closedPort();
      int proxyPort = ProduceCommandTest.closedPort();
      int serverPort = ProduceCommandTest.closedPort();
      Path out = dir.resolve("run");
      Printed printed = new Printed();
      PrintStream stdout = System.out;
      System.setOut(printed.stream);
      CompletableFuture<Integer> run;
      try {
        run =
            CompletableFuture.supplyAsync(
                () ->
                    PersonalizeCli.commandLine()
                        .execute(
                            "run",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--recommend-enabled",
                            "false",
                            "--out",
                            out.toString(),
                            "--progress-interval",
                            "1 s",
                            "-D",
                            "rest.port=" + restPort,
                            "-D",
                            "queryable-state.proxy.ports=" + proxyPort,
                            "-D",
                            "queryable-state.server.ports=" + serverPort,
                            "-D",
                            "metrics.fetcher.update-interval=500 ms",
                            "-D",
                            "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri(),
                            "-D",
                            "execution.checkpointing.interval=1 s"));
        printed.await(
            text -> text.contains(String.format("%d events accepted", EVENTS)),
            Duration.ofMinutes(2),
            run);
        printed.await(text -> text.contains("checkpoint "), Duration.ofMinutes(1), run);

        JsonNode endpoints = new ObjectMapper().readTree(out.resolve("endpoints.json").toFile());
        assertThat(endpoints.path("kafka").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(endpoints.path("flinkRest").asText()).isEqualTo("http://127.0.0.1:" + restPort);
        assertThat(endpoints.path("queryableStateProxy").asText())
            .isEqualTo("127.0.0.1:" + proxyPort);
        assertThat(printed.text())
            .contains("web UI and REST API: http://127.0.0.1:" + restPort)
            .contains(
                "bin/personalize query --user ID --endpoints " + out.resolve("endpoints.json"))
            .contains("0 dead letters");

        String job = jobId(restPort);
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + restPort + "/jobs/" + job + "?mode=cancel"))
                    .method("PATCH", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(run.get(2, TimeUnit.MINUTES)).as(printed.text()).isZero();
      } finally {
        System.setOut(stdout);
      }
      assertThat(printed.text()).contains("the job was cancelled");
    }
  }

  private static String jobId(int restPort) throws Exception {
    HttpResponse<String> overview =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + restPort + "/jobs/overview"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(overview.body()).path("jobs").path(0).path("jid").asText();
  }

  /** Standard output, readable while the command still runs. */
  private static final class Printed {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    void await(Predicate<String> seen, Duration timeout, CompletableFuture<Integer> run)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!seen.test(text())) {
        assertThat(run).as("the command ended early: %s", text()).isNotDone();
        assertThat(System.nanoTime())
            .as("waited %s for it: %s", timeout, text())
            .isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }
}
