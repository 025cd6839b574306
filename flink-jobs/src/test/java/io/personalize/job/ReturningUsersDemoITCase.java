package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.demo.Demo;
import io.personalize.job.config.PersonalizeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: the demo on CiaoDVD (users back after more than a year) scored every rating and then
 * waited for list checks that never come, until it timed out. A user back after {@code
 * users.idle-expiry} starts without a list, so that event is not checked: the demo's count of
 * expected checks is an upper bound, and it ends once everything is scored and the checks stay put.
 */
class ReturningUsersDemoITCase {
  @Test
  void aDemoWhoseUsersComeBackAfterTheirExpiryEndsAndSaysSo(@TempDir Path dir) throws Exception {
    // 400 events over 200 days, 40 users: most users' next event is days later. Replayed at 100
    // events a second, so that watermarks (every 50 ms) pass each user's expiry between events; a
    // backlog replayed at once can be done before any expiry fires.
    Dataset dataset = SyntheticData.generate(7, 40, 30, 400);
    Configuration settings = DemoSettings.onFreePorts(1);
    settings.set(PersonalizeOptions.USER_IDLE_EXPIRY, Duration.ofHours(1));
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    new Demo(settings, new PrintStream(console, true), 60_000, false)
        .replayRate(100)
        .run(dataset, dir);

    assertThat(console.toString())
        .as(console.toString())
        .containsPattern("fewer events checked against the lists than [\\d,]+ estimated")
        .containsPattern("[\\d,]+ users in the tables for 40 in the data")
        .contains("wrote " + dir.resolve("summary.json"));
  }
}
