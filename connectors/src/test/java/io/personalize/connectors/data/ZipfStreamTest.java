package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipfStreamTest {
  @Test
  void theSameSeedGivesTheSameStream() {
    assertThat(ZipfStream.generate(7, 2_000, 100, 50, 1.0).interactions())
        .isEqualTo(ZipfStream.generate(7, 2_000, 100, 50, 1.0).interactions());
    assertThat(ZipfStream.generate(8, 2_000, 100, 50, 1.0).interactions())
        .isNotEqualTo(ZipfStream.generate(7, 2_000, 100, 50, 1.0).interactions());
  }

  /** What the benchmark relies on to generate its stream's first events again. */
  @Test
  void aShorterStreamIsTheLongerOnesFirstEvents() {
    assertThat(ZipfStream.generate(7, 300, 100, 50, 1.0).interactions())
        .isEqualTo(ZipfStream.generate(7, 2_000, 100, 50, 1.0).interactions().subList(0, 300));
  }

  @Test
  void usersFollowZipfsLaw() {
    // Exponent 1 over 1,000 ids: rank r has probability 1 / (r * H(1000)), H(1000) = 7.4855.
    Dataset data = ZipfStream.generate(3, 200_000, 1_000, 10, 1.0);
    Map<String, Integer> counts = new HashMap<>();
    data.interactions().forEach(i -> counts.merge(i.userId(), 1, Integer::sum));
    int top = Collections.max(counts.values());
    assertThat(top / 200_000.0).isCloseTo(1 / 7.4855, org.assertj.core.data.Offset.offset(0.004));
    long second =
        counts.values().stream()
            .sorted(Collections.reverseOrder())
            .skip(1)
            .findFirst()
            .orElseThrow();
    assertThat(second / 200_000.0)
        .isCloseTo(0.5 / 7.4855, org.assertj.core.data.Offset.offset(0.004));
  }

  @Test
  void eventsAreRatingsInTimeOrderWithinTheirIds() {
    Dataset data = ZipfStream.generate(1, 5_000, 30, 20, 0.8);
    long previous = Long.MIN_VALUE;
    for (Interaction i : data.interactions()) {
      assertThat(i.value()).isBetween(1.0, 5.0);
      assertThat(i.value() % 1).isZero();
      assertThat(Integer.parseInt(i.userId().substring(1))).isBetween(0, 29);
      assertThat(Integer.parseInt(i.itemId().substring(1))).isBetween(0, 19);
      assertThat(i.timeMillis())
          .isEqualTo(
              previous == Long.MIN_VALUE ? i.timeMillis() : previous + ZipfStream.SPACING_MILLIS);
      previous = i.timeMillis();
    }
    assertThat(data.scale()).isEqualTo(SyntheticData.SCALE);
  }

  @Test
  void badSizesAreRefused() {
    assertThatThrownBy(() -> ZipfStream.generate(1, 0, 10, 10, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZipfStream.generate(1, 10, 10, 10, -1))
        .hasMessageContaining("Zipf exponent");
  }
}
