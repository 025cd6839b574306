package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UserAveragedAucTest {

  private static final boolean T = true;
  private static final boolean F = false;

  @Test
  void averagesDefinedUsersAndSkipsTheRest() {
    // user 1: AUC 0.75 (see AucTest.handComputedWithoutTies)
    // user 2: all scores tied -> 0.5
    // user 3: only positives -> undefined, skipped; user 4: empty -> skipped
    // mean = (0.75 + 0.5) / 2 = 0.625 over 2 users
    UserAveragedAuc acc = new UserAveragedAuc();
    assertThat(acc.add(new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {T, F, T, F})).isTrue();
    assertThat(acc.add(new double[] {1, 1}, new boolean[] {F, T})).isTrue();
    assertThat(acc.add(new double[] {0.3, 0.4}, new boolean[] {T, T})).isFalse();
    assertThat(acc.add(new double[0], new boolean[0])).isFalse();
    assertThat(acc.users()).isEqualTo(2);
    assertThat(acc.skipped()).isEqualTo(2);
    assertThat(acc.mean()).isCloseTo(0.625, within(1e-15));
  }

  @Test
  void emptyIsNaN() {
    UserAveragedAuc acc = new UserAveragedAuc();
    assertThat(acc.mean()).isNaN();
    assertThat(acc.users()).isZero();
    acc.add(new double[] {0.1}, new boolean[] {F});
    assertThat(acc.mean()).isNaN();
    assertThat(acc.skipped()).isEqualTo(1);
  }

  @Test
  void mergeEqualsSinglePass() {
    Random random = new Random(3);
    UserAveragedAuc single = new UserAveragedAuc();
    UserAveragedAuc left = new UserAveragedAuc();
    UserAveragedAuc right = new UserAveragedAuc();
    for (int user = 0; user < 200; user++) {
      int n = random.nextInt(8);
      double[] scores = new double[n];
      boolean[] labels = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(5);
        labels[i] = random.nextBoolean();
      }
      single.add(scores, labels);
      (user % 2 == 0 ? left : right).add(scores, labels);
    }
    UserAveragedAuc merged = left.merge(right);
    assertThat(merged.users()).isEqualTo(single.users());
    assertThat(merged.skipped()).isEqualTo(single.skipped());
    assertThat(merged.mean()).isCloseTo(single.mean(), within(1e-12));
  }
}
