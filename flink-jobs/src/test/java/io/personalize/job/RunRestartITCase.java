package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.cli.PersonalizeCli;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.query.StateLookup;
import io.personalize.state.QueryableStateNames;
import io.personalize.state.UserProfile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code personalize run} checkpoints, and a second {@code run} on the same checkpoint directory
 * resumes from the newest checkpoint: afterwards every user's state counts exactly the events
 * produced for that user, none lost and none applied twice, although the events after the
 * checkpoint are read again. The first run keeps its timers in RocksDB (Flink's default, and this
 * job's until 2026-12-07): the second, with the defaults, keeps them there too (on the heap, Flink
 * would restore it without them), and its users expire once event time passes them. A new job keeps
 * its timers on the heap.
 */
class RunRestartITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final int USERS = 12;
  private static final long START = 1_577_836_800_000L;

  @Test
  void aRestartedRunResumesFromItsLastCheckpointWithoutLossOrRepetition(@TempDir Path checkpoints)
      throws Exception {
    try (KafkaJob kafkaJob = new KafkaJob(settings(), checkpoints)) {
      JobConfig job = kafkaJob.config();
      Map<String, Long> produced = new HashMap<>();
      produce(kafkaJob, job, 0, 600, produced);

      ByteArrayOutputStream firstOut = new ByteArrayOutputStream();
      JobClient first = startAndCheckpoint(kafkaJob, firstOut, TIMERS_IN_ROCKSDB, 600);
      // Events after the last checkpoint: read by the first run, and again by the second.
      produce(kafkaJob, job, 600, 300, produced);
      assertThat(kafkaJob.awaitScored(900)).isTrue();
      first.cancel().get();
      assertThat(firstOut.toString()).doesNotContain("resuming from");
      String firstCheckpoint = PipelineSettings.latestCheckpoint(checkpoints).get().toString();
      assertThat(TimerPlacement.inRocksDbFiles(firstCheckpoint)).isTrue();
      assertThatThrownBy(() -> start(kafkaJob, new ByteArrayOutputStream(), TIMERS_ON_HEAP))
          .as("heap timers chosen for a checkpoint with its timers in RocksDB")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keeps its timers in RocksDB");

      produce(kafkaJob, job, 900, 300, produced);
      ByteArrayOutputStream secondOut = new ByteArrayOutputStream();
      JobClient second = start(kafkaJob, secondOut, List.of());
      try {
        assertThat(secondOut.toString()).contains("resuming from " + checkpoints);
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), second.getJobID());
        JsonNode restored =
            rest.get("/jobs/" + second.getJobID() + "/checkpoints").path("latest").path("restored");
        assertThat(restored.isMissingNode() || restored.isNull())
            .as("the second run restored a checkpoint")
            .isFalse();
        assertCountedThenExpired(kafkaJob, second, produced, 900 + 300);
      } finally {
        second.cancel().get();
      }

      // A new job keeps its timers on the heap: its checkpoint has none in RocksDB's files, and
      // a job resuming it keeps them on the heap.
      JobClient third = start(kafkaJob, new ByteArrayOutputStream(), List.of("--no-resume"));
      try {
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), third.getJobID());
        assertThat(rest.await(r -> completed(r) > 0, Duration.ofMinutes(1))).isTrue();
      } finally {
        third.cancel().get();
      }
      String thirdCheckpoint = PipelineSettings.latestCheckpoint(checkpoints).get().toString();
      assertThat(thirdCheckpoint).isNotEqualTo(firstCheckpoint);
      assertThat(TimerPlacement.inRocksDbFiles(thirdCheckpoint)).isFalse();
      Configuration resume = new Configuration();
      resume.set(StateRecoveryOptions.SAVEPOINT_PATH, thirdCheckpoint);
      assertThat(PipelineSettings.apply(resume, true).getString(TimerPlacement.KEY, null))
          .isEqualTo(TimerPlacement.HEAP);
    }
  }

  /**
   * Regression: a run resuming a checkpoint made with 32 factors with {@code --model-factors 16}
   * went into a restart loop (an ArrayIndexOutOfBoundsException at each user's first event, after
   * the global model had restored the checkpoint's rows cut to 16). Now it fails at once, without
   * restarts, saying which settings made the state; so does one with another number of groups.
   */
  @Test
  void aCheckpointOfAnotherModelShapeStopsTheJobWithoutRestarts(@TempDir Path checkpoints)
      throws Exception {
    try (KafkaJob kafkaJob = new KafkaJob(settings(), checkpoints)) {
      JobConfig job = kafkaJob.config();
      Map<String, Long> produced = new HashMap<>();
      produce(kafkaJob, job, 0, 600, produced);
      startAndCheckpoint(kafkaJob, new ByteArrayOutputStream(), List.of(), 600).cancel().get();

      produce(kafkaJob, job, 600, 300, produced);
      JobClient second =
          start(kafkaJob, new ByteArrayOutputStream(), List.of("--model-factors", "16"));
      assertThatThrownBy(() -> second.getJobExecutionResult().get(2, TimeUnit.MINUTES))
          .as("the job fails instead of restarting")
          .hasStackTraceContaining("SuppressRestartsException")
          .hasStackTraceContaining("has 32 factors")
          .hasStackTraceContaining("this job's model 16");

      JobClient third =
          start(kafkaJob, new ByteArrayOutputStream(), List.of("--model-groups", "5"));
      assertThatThrownBy(() -> third.getJobExecutionResult().get(2, TimeUnit.MINUTES))
          .as("the job fails instead of restarting")
          .hasStackTraceContaining("SuppressRestartsException")
          .hasStackTraceContaining("has 7 groups");
    }
  }

  /**
   * The way from RocksDB timers to the heap that docs/operations.md gives: a savepoint in the
   * canonical format, which Flink restores into heap timers with the timers.
   */
  @Test
  void aCanonicalSavepointMovesTheTimersToTheHeap(@TempDir Path checkpoints) throws Exception {
    try (KafkaJob kafkaJob = new KafkaJob(settings(), checkpoints)) {
      JobConfig job = kafkaJob.config();
      Map<String, Long> produced = new HashMap<>();
      produce(kafkaJob, job, 0, 600, produced);
      JobClient first = start(kafkaJob, new ByteArrayOutputStream(), TIMERS_IN_ROCKSDB);
      assertThat(kafkaJob.awaitScored(600)).isTrue();
      String savepoint =
          first
              .stopWithSavepoint(
                  false,
                  checkpoints.resolve("savepoints").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get();
      assertThat(TimerPlacement.inRocksDbFiles(savepoint)).isFalse();

      produce(kafkaJob, job, 600, 300, produced);
      JobClient second =
          start(
              kafkaJob,
              new ByteArrayOutputStream(),
              List.of("-D", StateRecoveryOptions.SAVEPOINT_PATH.key() + "=" + savepoint));
      try {
        assertCountedThenExpired(kafkaJob, second, produced, 900);
      } finally {
        second.cancel().get();
      }
    }
  }

  /**
   * Asserts that {@code run} counts every user's produced events, and then, once one event on each
   * partition past every user's expiry moves the watermark past their timers, holds no user any
   * more: the timers came through the restore. {@code events} is how many were produced (a minute
   * apart from {@link #START}).
   */
  private static void assertCountedThenExpired(
      KafkaJob kafkaJob, JobClient run, Map<String, Long> produced, int events) throws Exception {
    try (StateLookup lookup = new StateLookup("127.0.0.1", kafkaJob.proxyPort())) {
      assertThat(awaitCounts(lookup, run, produced))
          .as("every user's applied events equal the events produced for them")
          .isTrue();
      produceLate(
          kafkaJob, kafkaJob.config(), START + events * 60_000L + Duration.ofHours(3).toMillis());
      assertThat(awaitExpired(lookup, run, produced.keySet()))
          .as("every user from before the restart expired")
          .isTrue();
    }
    assertThat(new FlinkRest(kafkaJob.restPort(), run.getJobID()).failures()).isZero();
  }

  /**
   * Metrics every half second; users expire 2 hours (event time) after their last event, which the
   * events of {@link #produce} (a minute apart, each user every 12) never reach.
   */
  private static Configuration settings() {
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofMillis(500));
    settings.set(PersonalizeOptions.USER_IDLE_EXPIRY, Duration.ofHours(2));
    return settings;
  }

  private static final List<String> TIMERS_IN_ROCKSDB =
      List.of("-D", TimerPlacement.KEY + "=" + TimerPlacement.ROCKSDB);
  private static final List<String> TIMERS_ON_HEAP =
      List.of("-D", TimerPlacement.KEY + "=" + TimerPlacement.HEAP);

  /**
   * Starts the job as {@code personalize run} does, with the test's settings and {@code extra} as
   * -D options.
   */
  private static JobClient start(KafkaJob kafkaJob, ByteArrayOutputStream out, List<String> extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("run"));
    kafkaJob.conf.toMap().forEach((key, value) -> args.addAll(List.of("-D", key + "=" + value)));
    args.addAll(extra);
    args.addAll(List.of("--parallelism", "2", "-D", "execution.checkpointing.interval=1 s"));
    CommandLine cli = PersonalizeCli.commandLine();
    cli.parseArgs(args.toArray(new String[0]));
    io.personalize.cli.RunCommand run = cli.getSubcommands().get("run").getCommand();
    StreamExecutionEnvironment env = run.prepare(new PrintStream(out, true));
    return env.executeAsync(QueryableStateNames.JOB_NAME);
  }

  /** Starts the job and returns it, running, once it scored {@code events} and checkpointed. */
  private static JobClient startAndCheckpoint(
      KafkaJob kafkaJob, ByteArrayOutputStream out, List<String> extra, long events)
      throws Exception {
    JobClient job = start(kafkaJob, out, extra);
    FlinkRest rest = new FlinkRest(kafkaJob.restPort(), job.getJobID());
    assertThat(kafkaJob.awaitScored(events)).isTrue();
    long done = rest.completedCheckpoints();
    assertThat(rest.await(r -> completed(r) > done, Duration.ofMinutes(1))).isTrue();
    return job;
  }

  private static long completed(FlinkRest rest) {
    try {
      return rest.completedCheckpoints();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void produce(
      KafkaJob kafkaJob, JobConfig job, int from, int n, Map<String, Long> produced) {
    List<List<byte[]>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
    for (int e = from; e < from + n; e++) {
      String user = "u" + (e * 7 % USERS);
      produced.merge(user, 1L, Long::sum);
      partitions
          .get(Math.floorMod(user.hashCode(), 2))
          .add(
              EVENTS.encode(
                  InteractionEvent.newBuilder()
                      .setUserId(user)
                      .setItemId("i" + (e % 17))
                      .setEventType(EventType.RATING)
                      .setValue(1 + e % 5)
                      .setEventTimeMillis(START + e * 60_000L)
                      .build()));
    }
    for (int p = 0; p < 2; p++) {
      kafkaJob.produce(
          job.get(PersonalizeOptions.TOPIC_INTERACTIONS),
          p,
          partitions.get(p),
          START + from * 60_000L);
    }
  }

  /** One event at {@code timeMillis} on each partition, by users not seen before. */
  private static void produceLate(KafkaJob kafkaJob, JobConfig job, long timeMillis) {
    for (int p = 0; p < 2; p++) {
      int n = 0;
      while (Math.floorMod(("late" + n).hashCode(), 2) != p) {
        n++;
      }
      String user = "late" + n;
      InteractionEvent event =
          InteractionEvent.newBuilder()
              .setUserId(user)
              .setItemId("i0")
              .setEventType(EventType.RATING)
              .setValue(3)
              .setEventTimeMillis(timeMillis)
              .build();
      kafkaJob.produce(
          job.get(PersonalizeOptions.TOPIC_INTERACTIONS),
          p,
          List.of(EVENTS.encode(event)),
          timeMillis);
    }
  }

  /** Waits until the job holds no state for any of {@code users} (or a minute passes). */
  private static boolean awaitExpired(StateLookup lookup, JobClient job, Iterable<String> users)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    List<String> remaining = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      remaining.clear();
      for (String user : users) {
        if (lookup.profile(job.getJobID(), user).isPresent()) {
          remaining.add(user);
        }
      }
      if (remaining.isEmpty()) {
        return true;
      }
      java.util.concurrent.TimeUnit.MILLISECONDS.sleep(200);
    }
    assertThat(remaining).as("users still held").isEmpty();
    return false;
  }

  /** Waits until every user's profile counts the produced events (or a minute passes). */
  private static boolean awaitCounts(StateLookup lookup, JobClient job, Map<String, Long> produced)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    Map<String, Long> seen = new HashMap<>();
    while (System.nanoTime() < deadline) {
      seen.clear();
      for (String user : produced.keySet()) {
        Optional<UserProfile> profile = lookup.profile(job.getJobID(), user);
        seen.put(user, profile.map(p -> p.events).orElse(0L));
      }
      if (seen.equals(produced)) {
        return true;
      }
      // Queryable state has no push: poll until the second run has caught up.
      java.util.concurrent.TimeUnit.MILLISECONDS.sleep(200);
    }
    assertThat(seen).isEqualTo(produced); // fails with the difference
    return false;
  }
}
