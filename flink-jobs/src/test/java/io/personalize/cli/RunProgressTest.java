package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class RunProgressTest {
  private static final LocalTime NOW = LocalTime.of(13, 4, 44, 500_000_000);
  private static final LocalTime CHECKPOINT = LocalTime.of(13, 4, 36, 120_000_000);

  @Test
  void aLineSaysTheCountsTheRateAndTheNewestCheckpoint() {
    assertThat(RunProgress.format(NOW, 100_000, 2_689.4, 2, 1_359, 22, CHECKPOINT))
        .isEqualTo(
            "13:04:44  100,000 events accepted (2,689 a second), 2 dead letters, 1,359 lists"
                + " published; checkpoint 22 at 13:04:36");
  }

  /**
   * Regression: two events in five seconds read "2 events accepted (0 a second), 1 dead letters, 1
   * lists published".
   */
  @Test
  void oneIsSingularAndASlowRateKeepsADecimal() {
    assertThat(RunProgress.format(NOW, 1, 0.4, 1, 1, -1, null))
        .isEqualTo("13:04:44  1 event accepted (0.4 a second), 1 dead letter, 1 list published");
  }

  @Test
  void theFirstLineHasNoRateAndAJobWithoutListsNoLists() {
    assertThat(RunProgress.format(NOW, 0, Double.NaN, 0, -1, 1, CHECKPOINT))
        .isEqualTo("13:04:44  0 events accepted, 0 dead letters; checkpoint 1 at 13:04:36");
  }

  @Test
  void aFullMinuteKeepsItsSeconds() {
    assertThat(RunProgress.format(LocalTime.of(13, 5), 0, Double.NaN, 0, -1, 2, LocalTime.NOON))
        .isEqualTo("13:05:00  0 events accepted, 0 dead letters; checkpoint 2 at 12:00:00");
  }
}
