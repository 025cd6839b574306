package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The decision of {@link Topics#retentionProblem}, without a broker ({@link TopicsITCase} has one).
 */
class TopicsTest {
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
  private static final Instant ML100K = Instant.parse("1997-09-20T03:05:10Z");
  private static final String SEVEN_DAYS = Long.toString(Duration.ofDays(7).toMillis());

  @Test
  void recordsOlderThanTheRetentionAreAProblem() {
    assertThat(Topics.retentionProblem("interactions", "CreateTime", SEVEN_DAYS, ML100K, NOW))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .startsWith("topic 'interactions' deletes records older than 7 d")
                    .contains("(retention.ms=604800000)")
                    .contains("1997-09-20T03:05:10Z")
                    .contains("--entity-name interactions --add-config retention.ms=-1"));
  }

  @Test
  void unknownSettingsMeanTheBrokerDefaults() {
    assertThat(Topics.retentionProblem("t", null, null, ML100K, NOW))
        .hasValueSatisfying(w -> assertThat(w).contains("retention.ms=604800000"));
  }

  @Test
  void keepingForeverOrLongEnoughIsNoProblem() {
    assertThat(Topics.retentionProblem("t", "CreateTime", "-1", ML100K, NOW)).isEmpty();
    long thirtyYears = Duration.ofDays(30 * 366).toMillis();
    assertThat(Topics.retentionProblem("t", "CreateTime", Long.toString(thirtyYears), ML100K, NOW))
        .isEmpty();
    Instant yesterday = NOW.minus(Duration.ofDays(1));
    assertThat(Topics.retentionProblem("t", "CreateTime", SEVEN_DAYS, yesterday, NOW)).isEmpty();
    Instant exactlySevenDays = NOW.minus(Duration.ofDays(7));
    assertThat(Topics.retentionProblem("t", "CreateTime", SEVEN_DAYS, exactlySevenDays, NOW))
        .isEmpty();
  }

  @Test
  void logAppendTimeStampsRecordsOnArrivalSoTheyAreNew() {
    assertThat(Topics.retentionProblem("t", "LogAppendTime", SEVEN_DAYS, ML100K, NOW)).isEmpty();
  }

  @Test
  void showsRetentionInHoursWhenNotWholeDays() {
    assertThat(Topics.retentionProblem("t", "CreateTime", "129600000", ML100K, NOW))
        .hasValueSatisfying(
            w -> assertThat(w).contains("older than 36 h (retention.ms=129600000)"));
  }
}
