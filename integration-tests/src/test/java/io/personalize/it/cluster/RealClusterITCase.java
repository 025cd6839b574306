package io.personalize.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.cluster.ClusterCli;
import io.personalize.cluster.ClusterProcess;
import io.personalize.cluster.FlinkRest;
import io.personalize.cluster.LocalCluster;
import io.personalize.cluster.Polling;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.serving.query.Endpoints;
import io.personalize.serving.query.StateLookup;
import io.personalize.state.PersonalModelView;
import io.personalize.testing.SharedDataSets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The job jar on a real cluster: a Kafka broker process, a Flink JobManager and two TaskManagers,
 * each its own JVM (what {@code bin/cluster start} runs), the jar submitted through Flink's REST
 * API. Each scenario ends with the strongest check there is: every user's state counts exactly the
 * events produced for that user (nothing lost, nothing applied twice), read through queryable
 * state, and the metrics topic scored every event. Measured numbers go to {@code
 * target/real-cluster.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedCluster.class)
class RealClusterITCase {
  private static LocalCluster cluster;
  private static Dataset ml100k;

  @BeforeAll
  static void useTheSharedCluster() throws IOException {
    ml100k = MovieLensReader.read(SharedDataSets.require("ml-100k"));
    cluster = SharedCluster.get();
  }

  /**
   * Whatever a scenario did, failed or not, the next one finds every slot free: one failure then
   * stays one (CI once saw the class-loader check fail only because the broker scenario before it
   * had failed with its job running).
   */
  @AfterEach
  void cancelTheScenariosJob() {
    FlinkRest rest = cluster.rest();
    rest.activeJobs().forEach(rest::cancel);
    Polling.await(
        () -> rest.activeJob().isEmpty(),
        Duration.ofMinutes(1),
        () -> "a cancelled job still runs: " + rest.activeJob());
  }

  @Test
  @Order(0)
  void everyProcessOfTheClusterListensOnLoopbackOnly() throws IOException {
    List<String> seen = new java.util.ArrayList<>();
    for (ClusterProcess process : cluster.state().processes()) {
      List<java.net.InetSocketAddress> sockets = ListeningSockets.of(process.pid());
      assertThat(sockets).as(process.role() + " listens").isNotEmpty();
      for (java.net.InetSocketAddress socket : sockets) {
        assertThat(socket.getAddress().isLoopbackAddress())
            .as(process.role() + " (pid " + process.pid() + ") listens on " + socket)
            .isTrue();
        seen.add(process.role() + " " + socket.getPort());
      }
    }
    record("loopback", seen.size() + " listening sockets, all on 127.0.0.1: " + seen);
  }

  @Test
  @Order(1)
  void ml100kReplayedThroughTheClusterIsAppliedEventForEvent() throws Exception {
    ClusterJob job = new ClusterJob(cluster, "replay", 2);
    // The rating path alone: with recommendations on, the job takes about three minutes for
    // ml-100k on two cores (docs/performance.md); the rescale scenario runs with them on.
    job.submit(2, null, "--recommend-enabled", "false");
    FlinkRest rest = cluster.rest();
    long start = System.nanoTime();
    job.produce(ml100k.interactions(), ml100k);
    Map<String, Double> rmse = job.awaitScored(job.producedTotal);
    double seconds = (System.nanoTime() - start) / 1e9;
    job.assertEveryEventAppliedOnce();
    // bin/cluster's endpoints.json finds the job's state, as `query --endpoints` reads it.
    Endpoints endpoints = Endpoints.read(cluster.home().resolve("endpoints.json"));
    String user = job.produced.keySet().iterator().next();
    try (StateLookup lookup =
        new StateLookup(endpoints.proxyHost(), endpoints.proxyPort(), Duration.ofSeconds(30))) {
      assertThat(lookup.profile(JobID.fromHexString(job.jobId), user))
          .as("user %s through endpoints.json", user)
          .map(profile -> profile.events)
          .contains(job.produced.get(user));
    }
    assertThat(job.deadLetters()).as("ml-100k has no bad record").isZero();
    assertThat(rest.restarts(job.jobId)).as("restarts").isZero();
    record(
        "replay",
        String.format(
            "ml-100k %,d events, %d users at parallelism 2 on two TaskManagers, recommendations"
                + " off: all scored in %.1f s (%.0f events/s), 0 lost, 0 applied twice, 0 dead"
                + " letters; RMSE %s",
            job.producedTotal, job.produced.size(), seconds, job.producedTotal / seconds, rmse));
    // The demo's bound at parallelism 2 (StreamingJobITCase), and the method's claim against
    // global (docs/evaluation.md): never worse by more than 0.002. Unthrottled, the per-user
    // subtasks score with replicas as stale as what waits in the global operator's input, so
    // adaptive here moves with how far they run ahead: 0.9328-0.9353 in four runs of 879be99,
    // 0.9353-0.9368 in three since the per-user operator writes one state per event and
    // scores the shadow modes for half of the users (global 0.9363-0.9365 in all).
    assertThat(rmse.get("adaptive"))
        .as("adaptive RMSE at p = 2")
        .isLessThanOrEqualTo(0.940)
        .isLessThanOrEqualTo(rmse.get("global") + 0.002);
  }

  @Test
  @Order(2)
  void killingATaskManagerMidStreamLosesAndRepeatsNothing() throws Exception {
    ClusterJob job = new ClusterJob(cluster, "kill", 2);
    // The rating path: the counts checked are its state. Restoring the recommending half's state is
    // the rescale scenario's subject (recommendations on there).
    job.submit(2, null, "--recommend-enabled", "false");
    List<Interaction> events = ml100k.interactions().subList(0, 12_000);
    job.produce(events.subList(0, 6_000), ml100k);
    job.awaitScored(2_000);
    FlinkRest rest = cluster.rest();
    awaitCompletedCheckpoint(rest, job.jobId);

    long killedAt = System.nanoTime();
    long pid = cluster.killTaskManager(0);
    List<String> restarted;
    try {
      // Back when every task runs again after at least one restart.
      Polling.await(
          () -> rest.restarts(job.jobId) >= 1 && rest.isFullyRunning(job.jobId),
          Duration.ofMinutes(2),
          () -> "the job did not recover: " + rest.latestFailure(job.jobId));
      double recovery = (System.nanoTime() - killedAt) / 1e9;
      job.produce(events.subList(6_000, events.size()), ml100k);
      job.awaitScored(job.producedTotal);
      job.assertEveryEventAppliedOnce();
      record(
          "taskmanager-kill",
          String.format(
              "kill -9 of TaskManager pid %d mid-stream (%,d events, recommendations off): job"
                  + " running again after"
                  + " %.1f s (%d restart), then all %,d events applied exactly once per user",
              pid, 6_000, recovery, rest.restarts(job.jobId), job.producedTotal));
      assertThat(recovery).as("recovery after a TaskManager kill, seconds").isLessThan(60);
    } finally {
      // The next scenarios need both TaskManagers and no job, whatever happened here. What
      // `bin/cluster start` does on a cluster of which part has stopped.
      rest.activeJob().ifPresent(rest::cancel);
      restarted = cluster.restartStopped();
    }
    assertThat(restarted).containsExactly("taskmanager 1");
  }

  @Test
  @Order(3)
  void rescalingOneToTwoToOneThroughSavepointsKeepsEveryModel() throws Exception {
    ClusterJob job = new ClusterJob(cluster, "rescale", 2);
    // An upgrade does not wait for the job to catch up: the first savepoint is taken while the
    // job at parallelism 2 is behind, its source subtasks finishing at different moments.
    job.submit(2, null);
    job.produce(ml100k.interactions().subList(0, 8_000), ml100k);
    job.awaitScored(1_000);
    String behind = cluster.stopJobWithSavepoint().orElseThrow();
    job.submit(1, behind);
    job.awaitScored(job.producedTotal);
    job.assertEveryEventAppliedOnce();
    Map<String, PersonalModelView> atOne = job.models();

    String savepoint = cluster.stopJobWithSavepoint().orElseThrow();
    job.submit(2, savepoint);
    job.assertEveryEventAppliedOnce();
    assertThat(job.models()).as("models after 1 -> 2").isEqualTo(atOne);

    String second = cluster.stopJobWithSavepoint().orElseThrow();
    job.submit(1, second);
    job.assertEveryEventAppliedOnce();
    assertThat(job.models()).as("models after 2 -> 1").isEqualTo(atOne);
    record(
        "rescale",
        String.format(
            "a savepoint at parallelism 2 once 1,000 of %,d events were scored,"
                + " then all applied once at 1; %,d users' models identical after savepoint"
                + " restores at parallelism 1 -> 2 -> 1",
            job.producedTotal, atOne.size()));
  }

  @Test
  @Order(4)
  void restartingTheBrokerMidStreamLosesNothing() throws Exception {
    ClusterJob job = new ClusterJob(cluster, "broker", 2);
    // Every sink and source of the rating path is a Kafka client that must ride out the restart;
    // the recommending half adds one more sink and a minute of the suite's time.
    job.submit(2, null, "--recommend-enabled", "false");
    List<Interaction> events = ml100k.interactions().subList(0, 10_000);
    job.produce(events.subList(0, 5_000), ml100k);
    job.awaitScored(2_000);
    long stoppedAt = System.nanoTime();
    cluster.restartKafka();
    double down = (System.nanoTime() - stoppedAt) / 1e9;
    // The broker leads its partitions again, but on two busy cores its first writes can take
    // longer than a producer's default 30 s (CI once saw a send expire): a client that has just
    // seen a broker restart is given more time.
    long resumedAt = System.nanoTime();
    job.produce(events.subList(5_000, events.size()), ml100k, Duration.ofMinutes(3));
    double resumed = (System.nanoTime() - resumedAt) / 1e9;
    job.awaitScored(job.producedTotal);
    job.assertEveryEventAppliedOnce();
    FlinkRest rest = cluster.rest();
    record(
        "broker-restart",
        String.format(
            "Kafka broker stopped and restarted mid-stream (%.1f s until it answered again,"
                + " %.1f s to write the next %,d events): job restarts %d, all %,d events"
                + " applied exactly once per user",
            down, resumed, events.size() - 5_000, rest.restarts(job.jobId), job.producedTotal));
  }

  @Test
  @Order(5)
  void savepointsStoredInTheRepositoryRestoreWithTheCurrentCode() throws Exception {
    List<StoredSavepoint> stored = StoredSavepoint.all().toList();
    assertThat(stored).as("stored savepoints").isNotEmpty();
    for (StoredSavepoint savepoint : stored) {
      ClusterJob job =
          new ClusterJob(
              cluster,
              savepoint.manifest.path("topicPrefix").asText(),
              savepoint.manifest.path("parallelism").asInt());
      Dataset events = StoredSavepoint.events();
      int inSavepoint = savepoint.manifest.path("events").asInt();
      // The same records at the same offsets as when the savepoint was taken, then new ones: the
      // restored job reads on from where the savepoint says it was.
      job.produce(events.interactions().subList(0, inSavepoint), events);
      assertThat(job.produced).isEqualTo(savepoint.eventsPerUser());
      job.produce(events.interactions().subList(inSavepoint, events.interactions().size()), events);
      job.submit(
          savepoint.manifest.path("parallelism").asInt(),
          savepoint.savepoint().toAbsolutePath().toUri().toString());
      job.awaitScored(job.producedTotal);
      job.assertEveryEventAppliedOnce();
      record(
          "stored-savepoint",
          String.format(
              "%s (%,d events) restored with the current code; %,d more events applied on top",
              savepoint.directory.getFileName(), inSavepoint, job.producedTotal - inSavepoint));
      cluster.rest().cancel(job.jobId);
    }
  }

  /**
   * Every job of the scenarios above was submitted through the REST API, and the JobManager loaded
   * each in a class loader of its own (Flink 2 deserializes a job's operators there). Once the jobs
   * are over, a full collection must leave none of those loaders: with the job jar's own Avro, one
   * was kept per submission (an Avro value in a thread-local of a pooled JobManager thread), about
   * 30 MB of metaspace each, until a submission failed with "OutOfMemoryError: Metaspace", as CI
   * saw after about ten. {@code bin/cluster} loads Avro parent-first since.
   */
  @Test
  @Order(6)
  void resubmissionsLeaveNoClassLoaderInTheJobManager() throws Exception {
    FlinkRest rest = cluster.rest();
    long submitted = rest.get("jobs/overview").path("jobs").size();
    String loader = "org.apache.flink.util.ChildFirstClassLoader";
    Map<String, Long> loaders = new LinkedHashMap<>();
    for (ClusterProcess process : cluster.state().processes()) {
      if (!process.role().equals(ClusterProcess.KAFKA)) {
        loaders.put(
            process.role() + " " + process.pid(),
            HeapHistogram.liveInstances(process.pid(), loader));
      }
    }
    record(
        "class-loaders",
        String.format(
            "job class loaders alive after %d submissions ended: %s", submitted, loaders));
    assertThat(submitted).as("jobs submitted by the scenarios above").isGreaterThanOrEqualTo(5);
    // The TaskManagers are reported, not checked: after these scenarios (kills, restarts,
    // rescaling) each still held 3 to 5; plain submit-and-cancel cycles leave 1 or 2, however many,
    // and so do failovers (2 on the surviving TaskManager after 12, docs/operations.md).
    assertThat(loaders)
        .as("job class loaders alive in the JobManager after a full collection")
        .containsEntry(ClusterProcess.JOBMANAGER + " " + jobManagerPid(), 0L);
  }

  /**
   * Regression: a second {@code bin/cluster submit} (the first one's output scrolled away, say) ran
   * another job on the same topics and consumer group: both applied every event and published every
   * list, {@code bin/cluster status} named only one, and {@code query} refused with "2 RUNNING jobs
   * named 'personalize'".
   */
  @Test
  @Order(7)
  void aSecondSubmissionBesideARunningJobIsRefused() {
    ClusterJob job = new ClusterJob(cluster, "second", 1);
    job.submit(1, null, "--recommend-enabled", "false");
    StringWriter err = new StringWriter();
    CommandLine cli = ClusterCli.commandLine();
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("submit", "--home", SharedCluster.HOME.toString());

    assertThat(exit).as(err.toString()).isEqualTo(1);
    assertThat(err.toString())
        .contains("job " + job.jobId + " is already running on this cluster")
        .contains("--another");
    assertThat(cluster.rest().activeJobs()).containsExactly(job.jobId);
  }

  private static long jobManagerPid() {
    return cluster.state().processes(ClusterProcess.JOBMANAGER).get(0).pid();
  }

  private static void awaitCompletedCheckpoint(FlinkRest rest, String jobId) {
    Polling.await(
        () ->
            rest.get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt() > 0,
        Duration.ofMinutes(1),
        () -> "no checkpoint completed");
  }

  /** Prints a measured number and appends it to target/real-cluster.txt. */
  private static void record(String scenario, String line) throws IOException {
    String text = scenario + ": " + line;
    System.out.println(text);
    Files.writeString(
        Path.of("target", "real-cluster.txt"),
        text + System.lineSeparator(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
