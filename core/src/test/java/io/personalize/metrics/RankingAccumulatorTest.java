package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingAccumulatorTest {

  private static final boolean T = true;
  private static final boolean F = false;
  private static final double EPS = 1e-12;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void averagesOverUsersWithARelevantItem() {
    // K = 2.
    // user A, ranked relevance [1,0,1,0]:
    //   AP = (1 + 2/3)/2 = 5/6, RR = 1, nDCG = 1.5 / (1 + 1/log2 3),
    //   nDCG@2 = 1 / (1 + 1/log2 3), HR@2 = 1, P@2 = 1/2, R@2 = 1/2
    // user B, ranked relevance [0,1]:
    //   AP = 1/2, RR = 1/2, nDCG = nDCG@2 = 1/log2 3, HR@2 = 1, P@2 = 1/2, R@2 = 1
    // user C, nothing relevant: skipped
    RankingAccumulator acc = new RankingAccumulator(2);
    assertThat(acc.add(new double[] {4, 3, 2, 1}, new boolean[] {T, F, T, F})).isTrue();
    assertThat(acc.add(new double[] {2, 1}, new boolean[] {F, T})).isTrue();
    assertThat(acc.add(new double[] {2, 1}, new boolean[] {F, F})).isFalse();

    double idcg = 1 + 1 / log2(3);
    assertThat(acc.k()).isEqualTo(2);
    assertThat(acc.users()).isEqualTo(2);
    assertThat(acc.skipped()).isEqualTo(1);
    assertThat(acc.map()).isCloseTo((5.0 / 6 + 0.5) / 2, within(EPS));
    assertThat(acc.mrr()).isCloseTo((1 + 0.5) / 2, within(EPS));
    assertThat(acc.ndcg()).isCloseTo((1.5 / idcg + 1 / log2(3)) / 2, within(EPS));
    assertThat(acc.ndcgAtK()).isCloseTo((1 / idcg + 1 / log2(3)) / 2, within(EPS));
    assertThat(acc.hitRateAtK()).isEqualTo(1.0);
    assertThat(acc.precisionAtK()).isCloseTo(0.5, within(EPS));
    assertThat(acc.recallAtK()).isCloseTo((0.5 + 1) / 2, within(EPS));
  }

  @Test
  void emptyIsNaN() {
    RankingAccumulator acc = new RankingAccumulator(5);
    acc.add(new double[0], new boolean[0]);
    assertThat(acc.users()).isZero();
    assertThat(acc.skipped()).isEqualTo(1);
    assertThat(acc.map()).isNaN();
    assertThat(acc.mrr()).isNaN();
    assertThat(acc.ndcg()).isNaN();
    assertThat(acc.ndcgAtK()).isNaN();
    assertThat(acc.hitRateAtK()).isNaN();
    assertThat(acc.precisionAtK()).isNaN();
    assertThat(acc.recallAtK()).isNaN();
  }

  @Test
  void kZeroOrLargerThanListUsesWholeList() {
    // one user, [0,1,0]: every @K metric with K >= 3 or K = 0 sees the whole list:
    // nDCG = 1/log2 3, HR = 1, P = 1/3, R = 1
    for (int k : new int[] {0, -1, 3, 50}) {
      RankingAccumulator acc = new RankingAccumulator(k);
      acc.add(new double[] {3, 2, 1}, new boolean[] {F, T, F});
      assertThat(acc.ndcgAtK()).isCloseTo(acc.ndcg(), within(EPS));
      assertThat(acc.ndcgAtK()).isCloseTo(1 / log2(3), within(EPS));
      assertThat(acc.hitRateAtK()).isEqualTo(1.0);
      assertThat(acc.precisionAtK()).isCloseTo(1.0 / 3, within(EPS));
      assertThat(acc.recallAtK()).isEqualTo(1.0);
    }
  }

  @Test
  void matchesTheStaticFunctions() {
    Random random = new Random(5);
    int k = 3;
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(10);
      double[] scores = new double[n];
      boolean[] relevant = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(4);
        relevant[i] = random.nextDouble() < 0.3;
      }
      RankingAccumulator acc = new RankingAccumulator(k);
      if (!acc.add(scores, relevant)) {
        continue;
      }
      assertThat(acc.map()).isEqualTo(RankingMetrics.averagePrecision(scores, relevant));
      assertThat(acc.mrr()).isEqualTo(RankingMetrics.reciprocalRank(scores, relevant));
      assertThat(acc.ndcg()).isEqualTo(RankingMetrics.ndcg(scores, relevant, 0));
      assertThat(acc.ndcgAtK()).isEqualTo(RankingMetrics.ndcg(scores, relevant, k));
      assertThat(acc.hitRateAtK()).isEqualTo(RankingMetrics.hitRate(scores, relevant, k));
      assertThat(acc.precisionAtK()).isEqualTo(RankingMetrics.precisionAtK(scores, relevant, k));
      assertThat(acc.recallAtK()).isEqualTo(RankingMetrics.recallAtK(scores, relevant, k));
    }
  }

  @Test
  void mergeEqualsSinglePass() {
    Random random = new Random(9);
    RankingAccumulator single = new RankingAccumulator(5);
    RankingAccumulator left = new RankingAccumulator(5);
    RankingAccumulator right = new RankingAccumulator(5);
    for (int user = 0; user < 300; user++) {
      int n = random.nextInt(20);
      double[] scores = new double[n];
      boolean[] relevant = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextGaussian();
        relevant[i] = random.nextDouble() < 0.2;
      }
      single.add(scores, relevant);
      (user % 4 == 0 ? left : right).add(scores, relevant);
    }
    RankingAccumulator merged = left.merge(right);
    assertThat(merged.users()).isEqualTo(single.users()).isPositive();
    assertThat(merged.skipped()).isEqualTo(single.skipped()).isPositive();
    assertThat(merged.map()).isCloseTo(single.map(), within(EPS));
    assertThat(merged.mrr()).isCloseTo(single.mrr(), within(EPS));
    assertThat(merged.ndcg()).isCloseTo(single.ndcg(), within(EPS));
    assertThat(merged.ndcgAtK()).isCloseTo(single.ndcgAtK(), within(EPS));
    assertThat(merged.hitRateAtK()).isCloseTo(single.hitRateAtK(), within(EPS));
    assertThat(merged.precisionAtK()).isCloseTo(single.precisionAtK(), within(EPS));
    assertThat(merged.recallAtK()).isCloseTo(single.recallAtK(), within(EPS));
  }

  @Test
  void mergeRejectsDifferentK() {
    assertThatThrownBy(() -> new RankingAccumulator(5).merge(new RankingAccumulator(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
