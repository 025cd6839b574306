package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.query.StateLookup;
import io.personalize.state.UserProfile;
import io.personalize.testing.ListeningSockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: after a replay the interaction partitions go idle; the job must run on, unchanged,
 * for longer than the idleness timeout. It did not: the item metadata stream carried an end-of-time
 * watermark, so once the events went idle the joined operators' watermark jumped to the end of
 * time, which fired every user's idle timer (forgetting every user) and a metrics timer whose
 * record Kafka rejected (timestamp Long.MAX_VALUE), killing the TaskManager while REST still said
 * RUNNING.
 */
class IdleInputITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final int USERS = 8;
  private static final List<String> ITEMS = List.of("i1", "i2", "i3", "i4");
  private static final long START = 1_577_836_800_000L; // 2020-01-01, history

  @Test
  void theJobRunsPastTheEndOfItsInputWithIdlePartitions(@TempDir Path checkpoints)
      throws Exception {
    Set<ListeningSockets.Listener> before =
        ListeningSockets.available() ? ListeningSockets.now() : Set.of();
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, 2);
    settings.set(PersonalizeOptions.IDLENESS, Duration.ofMillis(500));
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofMillis(500));
    settings.setString("execution.checkpointing.interval", "500 ms");
    try (KafkaJob kafkaJob = new KafkaJob(settings, checkpoints)) {
      JobConfig job = kafkaJob.config();
      kafkaJob.produce(
          job.get(PersonalizeOptions.TOPIC_ITEMS),
          0,
          ITEMS.stream()
              .map(
                  item ->
                      AvroCodec.of(ItemMetadata.class)
                          .encode(
                              ItemMetadata.newBuilder()
                                  .setItemId(item)
                                  .setGenres(List.of("Drama"))
                                  .setUpdateTimeMillis(0)
                                  .build()))
              .toList(),
          START);
      int produced = produceRatings(kafkaJob, job, 0, 400);

      JobClient client = JobRunner.start(kafkaJob.environment(), job);
      try {
        FlinkRest rest = new FlinkRest(kafkaJob.restPort(), client.getJobID());
        assertThat(kafkaJob.awaitScored(produced)).as("every event scored").isTrue();
        assertListensOnLoopbackOnly(before, kafkaJob);

        // Idle for many times the idleness timeout: six checkpoints complete meanwhile.
        long checkpointsAtEnd = rest.completedCheckpoints();
        assertThat(rest.await(r -> checkpoints(r) >= checkpointsAtEnd + 6, Duration.ofMinutes(2)))
            .as("checkpoints keep completing while the input is idle")
            .isTrue();
        assertThat(rest.status()).isEqualTo("RUNNING");
        assertThat(rest.allVerticesRunning()).isTrue();
        assertThat(rest.failures()).as("failures (restarts) of the job").isZero();
        // Nothing was skipped: records of each partition reach their validation in order (a
        // validation at another parallelism than its source saw every other offset as a gap).
        // The counters reach REST through its metric fetcher, which may not have fetched them
        // yet (they then read 0; seen once on a clean clone): wait for the accepted ones first.
        long accepted = produced + ITEMS.size();
        assertThat(
                rest.await(
                    r -> metricSum(r, "records-accepted") == accepted, Duration.ofSeconds(30)))
            .as("records-accepted reaches %d", accepted)
            .isTrue();
        assertThat(rest.operatorMetricSum("offsets-skipped")).isZero();

        // No user was forgotten: every user's profile still counts all of its events.
        try (StateLookup lookup = new StateLookup("127.0.0.1", kafkaJob.proxyPort())) {
          for (int u = 0; u < USERS; u++) {
            Optional<UserProfile> profile = lookup.profile(client.getJobID(), "u" + u);
            assertThat(profile).as("user u%d after the idle period", u).isPresent();
            assertThat(profile.get().events).isEqualTo(produced / USERS);
          }
        }

        // And the job still learns: more events are scored.
        int more = produceRatings(kafkaJob, job, 400, 80);
        assertThat(kafkaJob.awaitScored(produced + more)).isTrue();
        assertThat(rest.failures()).isZero();
      } finally {
        client.cancel().get();
      }
    }
  }

  /**
   * Everything the broker and the local Flink opened listens on 127.0.0.1: broker, controller, REST
   * API, RPC, blob server, queryable-state proxy and server (the last two were on all interfaces
   * before).
   */
  private static void assertListensOnLoopbackOnly(
      Set<ListeningSockets.Listener> before, KafkaJob kafkaJob) throws IOException {
    if (!ListeningSockets.available()) {
      System.out.println("SKIPPED: no /proc to list listening sockets; loopback not checked");
      return;
    }
    Set<ListeningSockets.Listener> opened = new HashSet<>(ListeningSockets.now());
    opened.removeAll(before);
    System.out.println("IdleInputITCase listening sockets: " + opened);
    assertThat(opened)
        .extracting(ListeningSockets.Listener::port)
        .contains(kafkaJob.restPort(), kafkaJob.proxyPort());
    assertThat(opened)
        .as("every socket the broker and the local Flink listen on is bound to 127.0.0.1")
        .allMatch(listener -> listener.address().isLoopbackAddress());
  }

  private static long metricSum(FlinkRest rest, String suffix) {
    try {
      return rest.operatorMetricSum(suffix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static long checkpoints(FlinkRest rest) {
    try {
      return rest.completedCheckpoints();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Ratings {@code from .. from + n - 1} over {@link #USERS} users, in both partitions. */
  private static int produceRatings(KafkaJob kafkaJob, JobConfig job, int from, int n) {
    List<List<byte[]>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
    for (int e = from; e < from + n; e++) {
      int user = e % USERS;
      partitions
          .get(user % 2)
          .add(
              EVENTS.encode(
                  InteractionEvent.newBuilder()
                      .setUserId("u" + user)
                      .setItemId("i" + (e % 13))
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
    return n;
  }
}
