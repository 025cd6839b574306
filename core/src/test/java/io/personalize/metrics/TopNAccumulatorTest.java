package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TopNAccumulatorTest {
  private static final double EPS = 1e-12;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void hitRateNdcgAndMrrByHandOverallAndPerGroup() {
    // K = 3, two groups.
    // group 1: ranks 1 and 4 (a miss past K): HR 1/2, nDCG (1 + 0)/2 = 0.5, MRR (1 + 0)/2 = 0.5
    // group 2: ranks 2, 3 and 0 (not in the list):
    //   HR 2/3, nDCG (1/log2 3 + 1/log2 4)/3 = (0.6309298 + 0.5)/3 = 0.3769766,
    //   MRR (1/2 + 1/3)/3 = 0.2777778
    // all five: HR 3/5, nDCG (1 + 1/log2 3 + 0.5)/5 = 0.4261860, MRR (1 + 1/2 + 1/3)/5 = 0.3666667
    TopNAccumulator acc = new TopNAccumulator(3, 2);
    acc.add(1, 1);
    acc.add(1, 4);
    acc.add(2, 2);
    acc.add(2, 3);
    acc.add(2, 0);

    assertThat(acc.lists(1)).isEqualTo(2);
    assertThat(acc.hitRate(1)).isEqualTo(0.5);
    assertThat(acc.ndcg(1)).isCloseTo(0.5, within(EPS));
    assertThat(acc.mrr(1)).isCloseTo(0.5, within(EPS));

    assertThat(acc.lists(2)).isEqualTo(3);
    assertThat(acc.hitRate(2)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(acc.ndcg(2))
        .isCloseTo((1 / log2(3) + 0.5) / 3, within(EPS))
        .isCloseTo(0.3769766, within(1e-7));
    assertThat(acc.mrr(2)).isCloseTo((0.5 + 1.0 / 3) / 3, within(EPS));

    assertThat(acc.lists(0)).isEqualTo(5);
    assertThat(acc.hitRate(0)).isCloseTo(0.6, within(EPS));
    assertThat(acc.ndcg(0)).isCloseTo((1 + 1 / log2(3) + 0.5) / 5, within(EPS));
    assertThat(acc.mrr(0)).isCloseTo((1 + 0.5 + 1.0 / 3) / 5, within(EPS));
  }

  @Test
  void agreesWithRankingMetricsOnListsWithOneRelevantItem() {
    Random random = new Random(4);
    TopNAccumulator acc = new TopNAccumulator(10, 1);
    RankingAccumulator reference = new RankingAccumulator(10);
    double mrrAtK = 0;
    for (int user = 0; user < 500; user++) {
      int n = 1 + random.nextInt(30);
      double[] scores = new double[n];
      boolean[] relevant = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextDouble();
      }
      int target = random.nextInt(n);
      relevant[target] = true;
      int rank = 1;
      for (int i = 0; i < n; i++) {
        if (scores[i] > scores[target]) {
          rank++;
        }
      }
      acc.add(1, rank);
      reference.add(scores, relevant);
      mrrAtK += rank <= 10 ? 1.0 / rank : 0;
    }
    assertThat(acc.hitRate(0)).isCloseTo(reference.hitRateAtK(), within(EPS));
    assertThat(acc.ndcg(0)).isCloseTo(reference.ndcgAtK(), within(EPS));
    assertThat(acc.mrr(0)).isCloseTo(mrrAtK / 500, within(EPS));
    // the full-list MRR counts ranks past K too, MRR@K does not
    assertThat(acc.mrr(0)).isLessThan(reference.mrr());
  }

  @Test
  void rankOfFindsThePositionInTheCutList() {
    int[] list = {7, 3, 9, 4};
    assertThat(TopNAccumulator.rankOf(list, 4, 9)).isEqualTo(3);
    assertThat(TopNAccumulator.rankOf(list, 2, 9)).isZero();
    assertThat(TopNAccumulator.rankOf(list, 4, 5)).isZero();
  }

  @Test
  void emptyGroupsAreNaNAndMergeEqualsSinglePass() {
    TopNAccumulator left = new TopNAccumulator(5, 3);
    TopNAccumulator right = new TopNAccumulator(5, 3);
    TopNAccumulator single = new TopNAccumulator(5, 3);
    assertThat(single.hitRate(0)).isNaN();
    assertThat(single.ndcg(2)).isNaN();
    assertThat(single.mrr(3)).isNaN();
    Random random = new Random(6);
    for (int n = 0; n < 400; n++) {
      int group = 1 + random.nextInt(2);
      int rank = random.nextInt(9);
      single.add(group, rank);
      (n % 3 == 0 ? left : right).add(group, rank);
    }
    left.merge(right);
    for (int g = 0; g <= 3; g++) {
      assertThat(left.lists(g)).isEqualTo(single.lists(g));
      if (g < 3) {
        assertThat(left.hitRate(g)).isCloseTo(single.hitRate(g), within(EPS));
        assertThat(left.ndcg(g)).isCloseTo(single.ndcg(g), within(EPS));
        assertThat(left.mrr(g)).isCloseTo(single.mrr(g), within(EPS));
      }
    }
    assertThat(left.hitRate(3)).isNaN();
    assertThatThrownBy(() -> left.merge(new TopNAccumulator(10, 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> left.merge(new TopNAccumulator(5, 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsGroupsAndRanksOutOfRange() {
    TopNAccumulator acc = new TopNAccumulator(10, 2);
    assertThatThrownBy(() -> acc.add(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> acc.add(3, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> acc.add(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TopNAccumulator(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
