package io.personalize.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntHashSetTest {
  @Test
  void answersAsAJavaSetDoesThroughGrowthRefillsAndZero() {
    Random random = new Random(3);
    IntHashSet set = new IntHashSet();
    for (int round = 0; round < 3; round++) {
      int[] values = new int[50 + 400 * round];
      Set<Integer> expected = new HashSet<>();
      for (int n = 0; n < values.length; n++) {
        // Few distinct values per round, all with equal low bits: repeats, clashes, and 0.
        values[n] = n % 7 == 0 ? 0 : random.nextInt(300) << 16;
        expected.add(values[n]);
      }
      set.fill(values);
      assertThat(set.size()).isEqualTo(expected.size());
      for (int probe = -5; probe < 400; probe++) {
        int value = probe << 16;
        assertThat(set.contains(value)).as("%s", value).isEqualTo(expected.contains(value));
      }
    }
    set.fill(new int[0]);
    assertThat(set.size()).isZero();
    assertThat(set.contains(0)).isFalse();
    assertThat(set.add(5)).isTrue();
    assertThat(set.add(5)).isFalse();
  }
}
