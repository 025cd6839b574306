package io.personalize.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {
  @Test
  void answersAsAJavaSetDoesThroughGrowthRefillsAndZero() {
    Random random = new Random(3);
    LongHashSet set = new LongHashSet();
    for (int round = 0; round < 3; round++) {
      long[] values = new long[50 + 400 * round];
      Set<Long> expected = new HashSet<>();
      for (int n = 0; n < values.length; n++) {
        // Few distinct values per round: repeats, and 0 in every round.
        values[n] = n % 7 == 0 ? 0 : random.nextInt(300) * 0x100000000L;
        expected.add(values[n]);
      }
      set.fill(values);
      assertThat(set.size()).isEqualTo(expected.size());
      for (long probe = -5; probe < 400; probe++) {
        long value = probe * 0x100000000L;
        assertThat(set.contains(value)).as("%s", value).isEqualTo(expected.contains(value));
      }
    }
    set.fill(new long[0]);
    assertThat(set.size()).isZero();
    assertThat(set.contains(0)).isFalse();
    assertThat(set.add(5)).isTrue();
    assertThat(set.add(5)).isFalse();
  }
}
