package io.personalize.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void eachDurationIsShownInItsLargestWholeUnit() {
    assertThat(Durations.show(Duration.ofDays(365))).isEqualTo("365 d");
    assertThat(Durations.show(Duration.ofHours(36))).isEqualTo("36 h");
    assertThat(Durations.show(Duration.ofMinutes(90))).isEqualTo("90 min");
    assertThat(Durations.show(Duration.ofSeconds(10))).isEqualTo("10 s");
    assertThat(Durations.show(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    assertThat(Durations.show(Duration.ZERO)).isEqualTo("0 ms");
  }
}
