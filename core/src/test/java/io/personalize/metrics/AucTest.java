package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AucTest {

  private static final boolean T = true;
  private static final boolean F = false;

  @Test
  void handComputedWithoutTies() {
    // scores [0.9, 0.8, 0.7, 0.6], labels [+, -, +, -]
    // ascending ranks: 0.6->1, 0.7->2, 0.8->3, 0.9->4; positives' rank sum R+ = 4 + 2 = 6
    // U = R+ - P(P+1)/2 = 6 - 3 = 3; AUC = U / (P N) = 3 / 4 = 0.75
    // (pairs: 0.9>0.8, 0.9>0.6, 0.7<0.8, 0.7>0.6 -> 3 of 4)
    assertThat(Auc.of(new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {T, F, T, F}))
        .isCloseTo(0.75, within(1e-15));
  }

  @Test
  void handComputedWithTies() {
    // scores [0.2, 0.5, 0.5, 0.9], labels [-, +, -, +]
    // ranks: 0.2->1, the two 0.5s share (2+3)/2 = 2.5, 0.9->4; R+ = 2.5 + 4 = 6.5
    // U = 6.5 - 3 = 3.5; AUC = 3.5 / 4 = 0.875
    // (pairs: 0.5>0.2, 0.5=0.5 counts 1/2, 0.9>0.2, 0.9>0.5 -> 3.5 of 4)
    assertThat(Auc.of(new double[] {0.2, 0.5, 0.5, 0.9}, new boolean[] {F, T, F, T}))
        .isCloseTo(0.875, within(1e-15));
  }

  @Test
  void allEqualScoresGiveOneHalf() {
    // every rank is (1+2+3+4)/4 = 2.5; R+ = 5; U = 5 - 3 = 2; AUC = 2/4 = 0.5
    assertThat(Auc.of(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {T, F, T, F}))
        .isEqualTo(0.5);
    assertThat(Auc.of(new double[] {3, 3, 3}, new boolean[] {F, F, T})).isEqualTo(0.5);
  }

  @Test
  void perfectAndReversedOrdering() {
    assertThat(Auc.of(new double[] {3, 2, 1}, new boolean[] {T, F, F})).isEqualTo(1.0);
    assertThat(Auc.of(new double[] {1, 2, 3}, new boolean[] {T, F, F})).isEqualTo(0.0);
  }

  @Test
  void negativeAndPositiveZeroAreTied() {
    assertThat(Auc.of(new double[] {-0.0, 0.0}, new boolean[] {T, F})).isEqualTo(0.5);
    assertThat(Auc.of(new double[] {0.0, -0.0}, new boolean[] {T, F})).isEqualTo(0.5);
  }

  @Test
  void infiniteScoresAreOrdinaryScores() {
    double inf = Double.POSITIVE_INFINITY;
    assertThat(Auc.of(new double[] {inf, -inf, inf}, new boolean[] {T, F, F})).isEqualTo(0.75);
  }

  @Test
  void undefinedWithoutBothClasses() {
    assertThat(Auc.of(new double[0], new boolean[0])).isNaN();
    assertThat(Auc.of(new double[] {0.1, 0.9}, new boolean[] {F, F})).isNaN();
    assertThat(Auc.of(new double[] {0.1, 0.9}, new boolean[] {T, T})).isNaN();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Auc.of(new double[] {1, 2}, new boolean[] {T}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Auc.of(new double[] {Double.NaN, 2}, new boolean[] {T, F}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void doesNotModifyInputs() {
    double[] scores = {0.3, 0.1, 0.2};
    boolean[] labels = {T, F, T};
    Auc.of(scores, labels);
    assertThat(scores).containsExactly(0.3, 0.1, 0.2);
    assertThat(labels).containsExactly(T, F, T);
  }

  @Test
  void matchesPairwiseCountOnRandomInputs() {
    Random random = new Random(20240501L);
    int compared = 0;
    for (int trial = 0; trial < 2000; trial++) {
      int n = random.nextInt(60);
      // Half the trials draw from a handful of values so that ties are common.
      boolean coarse = trial % 2 == 0;
      double[] scores = new double[n];
      boolean[] labels = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = coarse ? random.nextInt(4) : random.nextGaussian();
        labels[i] = random.nextDouble() < 0.3;
      }
      double expected = pairwiseAuc(scores, labels);
      double actual = Auc.of(scores, labels);
      if (Double.isNaN(expected)) {
        assertThat(actual).isNaN();
      } else {
        assertThat(actual).isCloseTo(expected, within(1e-12));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(1500);
  }

  /** O(n^2) reference: share of (positive, negative) pairs ordered correctly, ties counting 1/2. */
  private static double pairwiseAuc(double[] scores, boolean[] labels) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!labels[i]) {
        continue;
      }
      for (int j = 0; j < scores.length; j++) {
        if (labels[j]) {
          continue;
        }
        pairs++;
        if (scores[i] > scores[j]) {
          wins += 1;
        } else if (scores[i] == scores[j]) {
          wins += 0.5;
        }
      }
    }
    return pairs == 0 ? Double.NaN : wins / pairs;
  }
}
