package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  private static final boolean T = true;
  private static final boolean F = false;
  private static final double EPS = 1e-12;

  /** Scores 4, 3, 2, 1: the list is already in rank order, so relevance reads top to bottom. */
  private static final double[] DESC4 = {4, 3, 2, 1};

  /** Relevance [1, 0, 1, 0] in rank order. */
  private static final boolean[] R1010 = {T, F, T, F};

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  // --- ranking and ties ---

  @Test
  void rankingIsScoreDescendingWithEarlierIndexFirstOnTies() {
    // 0.9 at index 1 and 3 tie: index 1 first; then 0.5 (index 2), then 0.1 (index 0)
    assertThat(RankingMetrics.ranking(new double[] {0.1, 0.9, 0.5, 0.9}))
        .containsExactly(1, 3, 2, 0);
    assertThat(RankingMetrics.ranking(new double[] {0.0, -0.0, 0.0})).containsExactly(0, 1, 2);
    assertThat(RankingMetrics.ranking(new double[0])).isEmpty();
  }

  @Test
  void tiesAreBrokenByIndexNotByRelevance() {
    // scores tie, the relevant item is at index 1, so it ranks second: RR = 1/2, AP = 1/2
    double[] scores = {0.5, 0.5};
    assertThat(RankingMetrics.reciprocalRank(scores, new boolean[] {F, T})).isEqualTo(0.5);
    assertThat(RankingMetrics.averagePrecision(scores, new boolean[] {F, T})).isEqualTo(0.5);
    assertThat(RankingMetrics.reciprocalRank(scores, new boolean[] {T, F})).isEqualTo(1.0);
  }

  // --- average precision ---

  @Test
  void averagePrecisionHandComputed() {
    // relevance [1,0,1,0]: precision at the relevant ranks is 1/1 and 2/3
    // AP = (1/1 + 2/3) / 2 = 0.8333...
    assertThat(RankingMetrics.averagePrecision(DESC4, R1010))
        .isCloseTo((1.0 + 2.0 / 3.0) / 2, within(EPS))
        .isCloseTo(0.8333333333, within(1e-9));
  }

  @Test
  void averagePrecisionRanksByScoreFirst() {
    // scores [0.2, 0.9, 0.4, 0.1] rank indices 1, 2, 0, 3; relevant [1,0,0,1] -> ranked [0,0,1,1]
    // AP = (1/3 + 2/4) / 2 = 0.41666...
    double[] scores = {0.2, 0.9, 0.4, 0.1};
    boolean[] relevant = {T, F, F, T};
    assertThat(RankingMetrics.averagePrecision(scores, relevant))
        .isCloseTo((1.0 / 3 + 2.0 / 4) / 2, within(EPS));
    assertThat(RankingMetrics.reciprocalRank(scores, relevant)).isCloseTo(1.0 / 3, within(EPS));
  }

  // --- reciprocal rank ---

  @Test
  void reciprocalRankHandComputed() {
    assertThat(RankingMetrics.reciprocalRank(DESC4, R1010)).isEqualTo(1.0);
    // first relevant at rank 3 -> 1/3
    assertThat(RankingMetrics.reciprocalRank(DESC4, new boolean[] {F, F, T, T}))
        .isCloseTo(1.0 / 3, within(EPS));
  }

  // --- binary nDCG ---

  @Test
  void ndcgHandComputed() {
    // relevance [0,1]: DCG = 1/log2(3) = 0.6309..., ideal [1,0]: IDCG = 1/log2(2) = 1
    double[] two = {2, 1};
    boolean[] r01 = {F, T};
    assertThat(RankingMetrics.ndcg(two, r01, 0))
        .isCloseTo(1 / log2(3), within(EPS))
        .isCloseTo(0.6309297536, within(1e-9));
    // @1: DCG = 0, IDCG = 1 -> 0
    assertThat(RankingMetrics.ndcg(two, r01, 1)).isZero();

    // relevance [1,0,1,0], full list: DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.6309...
    // nDCG = 1.5 / 1.6309... = 0.91972...
    assertThat(RankingMetrics.ndcg(DESC4, R1010, 0))
        .isCloseTo(1.5 / (1 + 1 / log2(3)), within(EPS))
        .isCloseTo(0.9197207891, within(1e-9));
    // @2: DCG = 1, IDCG at the same cut = 1 + 1/log2(3) -> 0.61314...
    assertThat(RankingMetrics.ndcg(DESC4, R1010, 2)).isCloseTo(1 / (1 + 1 / log2(3)), within(EPS));
    // @3: DCG = 1 + 1/log2(4) = 1.5, IDCG@3 with only 2 relevant = 1 + 1/log2(3) -> same as full
    assertThat(RankingMetrics.ndcg(DESC4, R1010, 3))
        .isCloseTo(RankingMetrics.ndcg(DESC4, R1010, 0), within(EPS));
  }

  @Test
  void ndcgKOutsideListMeansWholeList() {
    double full = RankingMetrics.ndcg(DESC4, R1010, 4);
    assertThat(RankingMetrics.ndcg(DESC4, R1010, 0)).isEqualTo(full);
    assertThat(RankingMetrics.ndcg(DESC4, R1010, -3)).isEqualTo(full);
    assertThat(RankingMetrics.ndcg(DESC4, R1010, 10)).isEqualTo(full);
  }

  // --- graded nDCG ---

  @Test
  void gradedNdcgHandComputedWithLinearGains() {
    // gains in rank order [3, 2, 3, 0, 1, 2] (the example on Wikipedia's DCG page):
    // DCG  = 3/1 + 2/log2(3) + 3/2 + 0/log2(5) + 1/log2(6) + 2/log2(7) = 6.8611...
    // IDCG = ideal [3, 3, 2, 2, 1, 0]
    //      = 3/1 + 3/log2(3) + 2/2 + 2/log2(5) + 1/log2(6) + 0 = 7.1410...
    // nDCG = 0.9608...
    double[] scores = {6, 5, 4, 3, 2, 1};
    double[] gains = {3, 2, 3, 0, 1, 2};
    double dcg = 3 + 2 / log2(3) + 3.0 / 2 + 0 / log2(5) + 1 / log2(6) + 2 / log2(7);
    double idcg = 3 + 3 / log2(3) + 2.0 / 2 + 2 / log2(5) + 1 / log2(6);
    assertThat(RankingMetrics.ndcg(scores, gains, 0))
        .isCloseTo(dcg / idcg, within(EPS))
        .isCloseTo(0.961, within(5e-4));
    // @3: DCG = 3 + 2/log2(3) + 3/2; IDCG = 3 + 3/log2(3) + 2/2
    assertThat(RankingMetrics.ndcg(scores, gains, 3))
        .isCloseTo((3 + 2 / log2(3) + 3.0 / 2) / (3 + 3 / log2(3) + 2.0 / 2), within(EPS));
  }

  @Test
  void gradedNdcgIsLinearInGainsNotExponential() {
    // gains [1, 2] in rank order: linear DCG = 1 + 2/log2(3); IDCG = 2 + 1/log2(3)
    // (with 2^g - 1 it would be (1 + 3/log2(3)) / (3 + 1/log2(3)), a different number)
    assertThat(RankingMetrics.ndcg(new double[] {2, 1}, new double[] {1, 2}, 0))
        .isCloseTo((1 + 2 / log2(3)) / (2 + 1 / log2(3)), within(EPS));
  }

  @Test
  void gradedNdcgWithZeroOneGainsEqualsBinaryNdcg() {
    Random random = new Random(11);
    for (int trial = 0; trial < 500; trial++) {
      int n = random.nextInt(12);
      double[] scores = new double[n];
      boolean[] relevant = new boolean[n];
      double[] gains = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(4);
        relevant[i] = random.nextBoolean();
        gains[i] = relevant[i] ? 1 : 0;
      }
      int k = random.nextInt(15) - 1;
      assertThat(RankingMetrics.ndcg(scores, gains, k))
          .isCloseTo(RankingMetrics.ndcg(scores, relevant, k), within(EPS));
    }
  }

  @Test
  void gradedNdcgEdgeCases() {
    assertThat(RankingMetrics.ndcg(new double[0], new double[0], 5)).isZero();
    assertThat(RankingMetrics.ndcg(new double[] {1, 2}, new double[] {0, 0}, 0)).isZero();
    // best item (gain 5) on top, k past the end -> ideal ordering -> 1
    assertThat(RankingMetrics.ndcg(new double[] {9, 1}, new double[] {5, 4}, 7)).isEqualTo(1.0);
    assertThatThrownBy(() -> RankingMetrics.ndcg(new double[] {1}, new double[] {-1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RankingMetrics.ndcg(new double[] {1}, new double[] {Double.NaN}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RankingMetrics.ndcg(new double[] {1, 2}, new double[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- hit rate, precision, recall ---

  @Test
  void hitRateHandComputed() {
    boolean[] r01 = {F, T};
    assertThat(RankingMetrics.hitRate(new double[] {2, 1}, r01, 1)).isZero();
    assertThat(RankingMetrics.hitRate(new double[] {2, 1}, r01, 2)).isEqualTo(1.0);
    assertThat(RankingMetrics.hitRate(new double[] {2, 1}, r01, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.hitRate(new double[] {2, 1}, r01, 0)).isEqualTo(1.0);
  }

  @Test
  void precisionHandComputed() {
    // [1,0,1,0]: @1 = 1/1, @2 = 1/2, @3 = 2/3, @4 = 2/4
    assertThat(RankingMetrics.precisionAtK(DESC4, R1010, 1)).isEqualTo(1.0);
    assertThat(RankingMetrics.precisionAtK(DESC4, R1010, 2)).isEqualTo(0.5);
    assertThat(RankingMetrics.precisionAtK(DESC4, R1010, 3)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(RankingMetrics.precisionAtK(DESC4, R1010, 4)).isEqualTo(0.5);
  }

  @Test
  void precisionOfShortListDividesByListLength() {
    // k = 10 on a 4-item list with 2 relevant: 2 / min(10, 4) = 0.5, not 2/10
    assertThat(RankingMetrics.precisionAtK(DESC4, R1010, 10)).isEqualTo(0.5);
    // k = 0 means the whole list: 2/4
    assertThat(RankingMetrics.precisionAtK(DESC4, R1010, 0)).isEqualTo(0.5);
  }

  @Test
  void recallHandComputed() {
    // [1,0,1,0], 2 relevant: @1 = 1/2, @2 = 1/2, @3 = 2/2, @10 = 2/2, @0 (whole list) = 2/2
    assertThat(RankingMetrics.recallAtK(DESC4, R1010, 1)).isEqualTo(0.5);
    assertThat(RankingMetrics.recallAtK(DESC4, R1010, 2)).isEqualTo(0.5);
    assertThat(RankingMetrics.recallAtK(DESC4, R1010, 3)).isEqualTo(1.0);
    assertThat(RankingMetrics.recallAtK(DESC4, R1010, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.recallAtK(DESC4, R1010, 0)).isEqualTo(1.0);
  }

  // --- edge cases shared by all metrics ---

  @Test
  void allRelevant() {
    // [1,1,1]: every prefix is perfect; AP = (1/1 + 2/2 + 3/3)/3 = 1
    double[] scores = {0.3, 0.2, 0.1};
    boolean[] all = {T, T, T};
    assertThat(RankingMetrics.averagePrecision(scores, all)).isEqualTo(1.0);
    assertThat(RankingMetrics.reciprocalRank(scores, all)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(scores, all, 0)).isCloseTo(1.0, within(EPS));
    assertThat(RankingMetrics.ndcg(scores, all, 2)).isCloseTo(1.0, within(EPS));
    assertThat(RankingMetrics.hitRate(scores, all, 1)).isEqualTo(1.0);
    assertThat(RankingMetrics.precisionAtK(scores, all, 2)).isEqualTo(1.0);
    // recall@2 = 2 of 3 relevant
    assertThat(RankingMetrics.recallAtK(scores, all, 2)).isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void noRelevantGivesZeroEverywhere() {
    double[] scores = {0.3, 0.2, 0.1};
    boolean[] none = {F, F, F};
    assertThat(RankingMetrics.averagePrecision(scores, none)).isZero();
    assertThat(RankingMetrics.reciprocalRank(scores, none)).isZero();
    assertThat(RankingMetrics.ndcg(scores, none, 0)).isZero();
    assertThat(RankingMetrics.hitRate(scores, none, 2)).isZero();
    assertThat(RankingMetrics.precisionAtK(scores, none, 2)).isZero();
    assertThat(RankingMetrics.recallAtK(scores, none, 2)).isZero();
  }

  @Test
  void emptyListGivesZeroEverywhere() {
    double[] scores = {};
    boolean[] relevant = {};
    assertThat(RankingMetrics.averagePrecision(scores, relevant)).isZero();
    assertThat(RankingMetrics.reciprocalRank(scores, relevant)).isZero();
    assertThat(RankingMetrics.ndcg(scores, relevant, 0)).isZero();
    assertThat(RankingMetrics.ndcg(scores, relevant, 3)).isZero();
    assertThat(RankingMetrics.hitRate(scores, relevant, 3)).isZero();
    assertThat(RankingMetrics.precisionAtK(scores, relevant, 3)).isZero();
    assertThat(RankingMetrics.precisionAtK(scores, relevant, 0)).isZero();
    assertThat(RankingMetrics.recallAtK(scores, relevant, 3)).isZero();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> RankingMetrics.averagePrecision(new double[] {1}, new boolean[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RankingMetrics.ranking(new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RankingMetrics.ndcg(new double[] {Double.NaN}, new boolean[] {T}, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void doesNotModifyInputs() {
    double[] scores = {0.1, 0.9, 0.5};
    boolean[] relevant = {T, F, T};
    double[] gains = {1, 0, 3};
    RankingMetrics.averagePrecision(scores, relevant);
    RankingMetrics.ndcg(scores, gains, 2);
    assertThat(scores).containsExactly(0.1, 0.9, 0.5);
    assertThat(relevant).containsExactly(T, F, T);
    assertThat(gains).containsExactly(1, 0, 3);
  }
}
