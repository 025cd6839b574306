package io.personalize.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {
  @Test
  void distanceCountsEdits() {
    assertThat(UnknownKeys.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(UnknownKeys.distance("", "abc")).isEqualTo(3);
    assertThat(UnknownKeys.distance("factor", "factors")).isEqualTo(1);
    assertThat(UnknownKeys.distance("same", "same")).isZero();
  }

  @Test
  void theClosestKeyIsOfferedOnlyWithinAFewEdits() {
    Set<String> known = Set.of("a.port", "a.host");
    assertThat(UnknownKeys.closest("a.prot", known)).contains("a.port");
    assertThat(UnknownKeys.closest("a.timeout", known)).isEmpty();
  }
}
