package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.demo.RestApi;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code personalize run} on a local Flink against a broker, as a user starts it: it says where the
 * job's web UI and state are, writes them to {@code endpoints.json} for {@code query} and {@code
 * serve}, shows progress while the job runs, ends when the job does, and resumes only from
 * checkpoints of the same input.
 */
class RunCommandITCase {
  /** What {@link ProduceCommandITCase#produceGenerated} sends. */
  private static final int EVENTS = 200;

  /**
   * Regression: {@code run} printed two lines ("connecting to Kafka", "checkpoints in") and then
   * nothing while the job ran: no address of its web UI or state, no sign that events arrived.
   */
  @Test
  void aRunningJobSaysWhereItIsAndShowsItsProgressUntilItEnds(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      produce(kafka);
      Run run = Run.checkpointed(kafka, dir);

      Path endpointsFile = dir.resolve("run").resolve("endpoints.json");
      JsonNode endpoints = new ObjectMapper().readTree(endpointsFile.toFile());
      assertThat(endpoints.path("kafka").asText()).isEqualTo(kafka.bootstrapServers());
      assertThat(endpoints.path("flinkRest").asText())
          .isEqualTo("http://127.0.0.1:" + run.restPort);
      assertThat(endpoints.path("queryableStateProxy").asText())
          .isEqualTo("127.0.0.1:" + run.proxyPort);
      assertThat(run.out())
          .contains("web UI and REST API: http://127.0.0.1:" + run.restPort)
          .contains("bin/personalize query --user ID --endpoints " + endpointsFile)
          .contains("reading 'interactions' from its first event: 200 there now")
          .contains("0 dead letters");

      assertThat(run.cancel()).as(run.out()).isZero();
      assertThat(run.out()).contains("the job was cancelled");
    }
  }

  /**
   * A run whose consumer group had read the topic to its end (an earlier run's, or a cluster job's
   * with the default group) printed "0 events accepted" and nothing to say why.
   */
  @Test
  void aRunSaysWhereItStartsReadingAndHowManyEventsThatIs() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      produce(kafka);
      Configuration conf = new Configuration();
      conf.set(PersonalizeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      JobConfig fresh = JobConfig.from(conf);
      assertThat(RunCommand.whereItStarts(fresh, Duration.ofSeconds(30), false))
          .isEqualTo("reading 'interactions' from its first event: 200 there now");

      Map<TopicPartition, OffsetAndMetadata> read = new HashMap<>();
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < 2; p++) {
          ends.put(new TopicPartition("interactions", p), OffsetSpec.latest());
        }
        admin
            .listOffsets(ends)
            .all()
            .get()
            .forEach((partition, end) -> read.put(partition, new OffsetAndMetadata(end.offset())));
        admin.alterConsumerGroupOffsets("personalize", read).all().get();
      }
      assertThat(RunCommand.whereItStarts(fresh, Duration.ofSeconds(30), false))
          .isEqualTo(
              "reading 'interactions' after consumer group 'personalize''s committed offsets: 0 of"
                  + " its 200 events (--start-from EARLIEST or another --consumer-group reads them"
                  + " all)");
      // A run that resumes a checkpoint reads from its offsets, which the group committed.
      assertThat(RunCommand.whereItStarts(fresh, Duration.ofSeconds(30), true))
          .isEqualTo(
              "reading 'interactions' where that checkpoint left off: at most 0 of its 200 events"
                  + " after it (by consumer group 'personalize''s offsets, which Kafka's source"
                  + " commits after each checkpoint)");

      conf.set(PersonalizeOptions.START_FROM, PersonalizeOptions.StartFrom.LATEST);
      assertThat(RunCommand.whereItStarts(JobConfig.from(conf), Duration.ofSeconds(30), false))
          .isEqualTo(
              "reading 'interactions' from its end (start-from LATEST): the 200 events there now"
                  + " are skipped");
    }
  }

  /**
   * Regression: a run against another Kafka cluster resumed the newest checkpoint in the same
   * directory, made by a run against the first: that run's models, and its Kafka offsets applied to
   * another cluster's topic, which skip whatever lies below them without a trace.
   */
  @Test
  void aCheckpointOfAnotherKafkaClusterIsNotResumed(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka first = EmbeddedKafka.start();
        EmbeddedKafka second = EmbeddedKafka.start()) {
      produce(first);
      Run made = Run.checkpointed(first, dir);
      assertThat(made.cancel()).as(made.out()).isZero();

      produce(second);
      Run refused = Run.start(second, dir);
      assertThat(refused.exit()).as(refused.out()).isEqualTo(2);
      assertThat(refused.err())
          .contains("was made by a run reading topics interactions and items of the Kafka cluster")
          .contains("(at " + first.bootstrapServers() + ")")
          .contains("--no-resume");
      assertThat(refused.out()).doesNotContain("runs on a local Flink");

      Run resumed = Run.start(first, dir);
      resumed.await(text -> text.contains("runs on a local Flink"));
      assertThat(resumed.out())
          .contains("resuming from " + dir.resolve("checkpoints"))
          .contains("reading 'interactions' where that checkpoint left off");
      assertThat(resumed.cancel()).as(resumed.out()).isZero();
    }
  }

  /**
   * Regression: when the local job failed (here: its checkpoint has 32 factors, the run asks for
   * 16), {@code run} printed Flink's "Job execution failed." with 80 lines of nested traces, the
   * reason at their end.
   */
  @Test
  void aFailedJobIsOneLineWithItsReasonAndTheTraceInAFile(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      produce(kafka);
      Run made = Run.checkpointed(kafka, dir);
      assertThat(made.cancel()).as(made.out()).isZero();

      Run failed = Run.start(kafka, dir, "--model-factors", "16");

      assertThat(failed.exit()).as(failed.out() + failed.err()).isEqualTo(1);
      Path trace = dir.resolve("run").resolve("failure.txt");
      assertThat(failed.err().trim())
          .startsWith(
              "personalize: the job failed: io.personalize.model.IncompatibleStateException: the"
                  + " restored state")
          .endsWith("(the whole trace: " + trace + ")")
          .doesNotContain("\tat ");
      assertThat(trace).content().contains("Job execution failed").contains("\tat ");
    }
  }

  private static void produce(EmbeddedKafka kafka) {
    ProduceCommandTest.Run produced =
        ProduceCommandITCase.produceGenerated(kafka.bootstrapServers(), "interactions", "items");
    assertThat(produced.exitCode()).as(produced.err()).isZero();
  }

  /** {@code personalize run} in this JVM, its output readable while it runs. */
  private static final class Run {
    final int restPort;
    final int proxyPort;

    /** Standard output, waking {@link #await} at each write. */
    private final ByteArrayOutputStream printed =
        new ByteArrayOutputStream() {
          @Override
          public synchronized void write(int b) {
            super.write(b);
            notifyAll();
          }

          @Override
          public synchronized void write(byte[] bytes, int offset, int length) {
            super.write(bytes, offset, length);
            notifyAll();
          }
        };

    private final StringWriter errors = new StringWriter();
    private final CompletableFuture<Integer> exit;

    private Run(EmbeddedKafka kafka, Path dir, String... more) throws Exception {
      restPort = ProduceCommandTest.closedPort();
      proxyPort = ProduceCommandTest.closedPort();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "run",
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--recommend-enabled",
                  "false",
                  "--out",
                  dir.resolve("run").toString(),
                  "--progress-interval",
                  "1 s"));
      for (String setting :
          List.of(
              "rest.port=" + restPort,
              "queryable-state.proxy.ports=" + proxyPort,
              "queryable-state.server.ports=" + ProduceCommandTest.closedPort(),
              "metrics.fetcher.update-interval=500 ms",
              "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri(),
              "execution.checkpointing.interval=1 s")) {
        args.addAll(List.of("-D", setting));
      }
      args.addAll(List.of(more));
      PrintStream stdout = System.out;
      // Before the command line is built: picocli's execute() restores the System.out it saw.
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        CommandLine cli = PersonalizeCli.commandLine();
        cli.setErr(new PrintWriter(errors, true));
        exit =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return cli.execute(args.toArray(String[]::new));
                  } finally {
                    System.setOut(stdout);
                  }
                });
      } catch (RuntimeException e) {
        System.setOut(stdout);
        throw e;
      }
    }

    static Run start(EmbeddedKafka kafka, Path dir, String... more) throws Exception {
      return new Run(kafka, dir, more);
    }

    /**
     * A run that has accepted every produced event, and completed a checkpoint triggered after
     * that: one holding the models they made. (A progress line's checkpoint can be older than its
     * events: CI once resumed one with no model in it, and the run meant to fail went on.)
     */
    static Run checkpointed(EmbeddedKafka kafka, Path dir) throws Exception {
      Run run = start(kafka, dir);
      run.await(text -> text.contains(String.format("%d events accepted", EVENTS)));
      long accepted = System.currentTimeMillis();
      RestApi rest = new RestApi("http://127.0.0.1:" + run.restPort);
      String job = rest.get("/jobs/overview").path("jobs").path(0).path("jid").asText();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (rest.get("/jobs/" + job + "/checkpoints")
              .path("latest")
              .path("completed")
              .path("trigger_timestamp")
              .asLong(0)
          <= accepted) {
        assertThat(System.nanoTime())
            .as("no checkpoint in 2 min: %s", run.out())
            .isLessThan(deadline);
        // REST has no push: poll, bounded by the deadline (checkpoints come every second).
        TimeUnit.MILLISECONDS.sleep(200);
      }
      return run;
    }

    String out() {
      synchronized (printed) {
        return printed.toString(StandardCharsets.UTF_8);
      }
    }

    String err() {
      return errors.toString();
    }

    int exit() throws Exception {
      return exit.get(2, TimeUnit.MINUTES);
    }

    /** Waits (2 min at most) until the output shows what {@code seen} looks for. */
    void await(Predicate<String> seen) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      synchronized (printed) {
        while (!seen.test(printed.toString(StandardCharsets.UTF_8))) {
          assertThat(exit).as("the command ended early: %s%s", out(), err()).isNotDone();
          long left = deadline - System.nanoTime();
          assertThat(left).as("waited 2 min for it: %s", out()).isPositive();
          // Woken by the next write; a second at most, to notice the command's end.
          printed.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 1000));
        }
      }
    }

    /** Cancels the job over the REST API, as an operator would; returns the command's exit code. */
    int cancel() throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + restPort;
      HttpResponse<String> overview =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/jobs/overview")).build(),
              HttpResponse.BodyHandlers.ofString());
      String job =
          new ObjectMapper().readTree(overview.body()).path("jobs").path(0).path("jid").asText();
      http.send(
          HttpRequest.newBuilder(URI.create(base + "/jobs/" + job + "?mode=cancel"))
              .method("PATCH", HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return exit();
    }
  }
}
