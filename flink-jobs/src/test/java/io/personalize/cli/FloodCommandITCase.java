package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code personalize flood} end to end on a small flood: 2,000 one-event users a second apart with
 * a 5-minute idle expiry (300 users a window), the job without recommendations, and the report's
 * samples, which must show the expiry at work in RocksDB and in the heap operators alike.
 */
class FloodCommandITCase {
  private static final int USERS = 2_000;
  private static final int WINDOW = 300;

  @TempDir Path out;

  @Test
  void floodWritesEverySampleItPromisesAndTheUsersExpire() throws Exception {
    CommandOutput run =
        CommandOutput.execute(
            "flood",
            "--users",
            String.valueOf(USERS),
            "--items",
            "100",
            "--parallelism",
            "1",
            "--samples",
            "2",
            "--users-idle-expiry",
            "5min",
            "--recommend-enabled",
            "false",
            "--timeout-minutes",
            "3",
            "--out",
            out.toString());
    String text = run.text();
    assertThat(run.exit()).as(text).isZero();
    assertThat(out.resolve("flood.png")).isRegularFile();

    JsonNode flood = new ObjectMapper().readTree(out.resolve("flood.json").toFile());
    assertThat(flood.path("users").asInt()).isEqualTo(USERS);
    assertThat(flood.path("usersPerExpiryWindow").asLong()).isEqualTo(WINDOW);
    assertThat(flood.path("recommendations").asBoolean()).isFalse();
    JsonNode samples = flood.path("samples");
    assertThat(samples.size()).as("a baseline and at least one sample").isBetween(2, 3);
    JsonNode baseline = samples.get(0);
    JsonNode last = samples.get(samples.size() - 1);
    assertThat(baseline.path("applied").asLong()).isZero();
    assertThat(baseline.path("heapBytes").asLong()).isPositive();
    assertThat(last.path("applied").asLong()).isEqualTo(USERS);
    assertThat(last.path("heapBytes").asLong()).isPositive();
    assertThat(last.path("rssBytes").asLong()).isPositive();
    assertThat(last.path("checkpointBytes").asLong()).isPositive();
    long personalModels = 0;
    for (var task :
        (Iterable<java.util.Map.Entry<String, JsonNode>>) last.path("stateBytes")::fields) {
      personalModels += task.getKey().contains("Personal models") ? task.getValue().asLong() : 0;
    }
    assertThat(personalModels)
        .as("the per-user task's state in the sample's checkpoint")
        .isPositive();
    // Reported (-1 when no task has the metric); its value may still be 0 this early.
    assertThat(last.path("rocksDbKeys").asLong()).as("the native metric is on").isNotNegative();
    // The users of the last window (and those the watermark has not passed yet) are kept; every
    // earlier one is forgotten by the per-user operator and by the heap operators alike.
    assertThat(last.path("liveUsers").asLong()).isBetween((long) WINDOW / 2, 2L * WINDOW);
    assertThat(last.path("usersCounted").asLong()).isBetween((long) WINDOW / 2, 2L * WINDOW);
    assertThat(last.path("globalUsers").asLong()).isBetween((long) WINDOW / 2, 2L * WINDOW);
    assertThat(flood.path("bytesPerUser").has("checkpointSecondHalf")).isTrue();
    assertThat(text).contains("growth per user").contains("wrote");
  }
}
