package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MmrTest {
  private static final int A1 = 0;
  private static final int A2 = 1;
  private static final int B1 = 2;
  private static final int B2 = 3;
  private static final int C = 4;
  private static final int[] ITEMS = {A1, A2, B1, B2, C};

  /** A's mutually similar, B's mutually similar, everything else dissimilar. */
  private static final ItemSimilarity GROUPS = (a, b) -> a == b || group(a) == group(b) ? 1 : 0;

  private static char group(int item) {
    return item == A1 || item == A2 ? 'A' : item == B1 || item == B2 ? 'B' : 'C';
  }

  @Test
  void theSeedsWorkedExample() {
    // Scores A1 1.0, A2 0.8, B1 0.6, B2 0.4, C 0.2 scale to 1, 0.75, 0.5, 0.25, 0; beta 0.5,
    // score = 0.5 rel - 0.5 maxSim:
    //   1st: A1 0.5, A2 0.375, B1 0.25, B2 0.125, C 0          -> A1
    //   2nd: A2 0.375 - 0.5 = -0.125, B1 0.25, B2 0.125, C 0   -> B1
    //   3rd: A2 -0.125, B2 0.125 - 0.5 = -0.375, C 0           -> C
    //   4th: A2 -0.125, B2 -0.375                              -> A2, then B2
    // (Unscaled scores give the same order: 2nd B1 0.3 vs C 0.1 and A2 -0.1; 3rd C 0.1.)
    double[] scores = {1.0, 0.8, 0.6, 0.4, 0.2};
    assertThat(new Mmr(0.5).rerank(ITEMS, scores, 5, GROUPS)).containsExactly(A1, B1, C, A2, B2);
  }

  @Test
  void scalingMakesBetaIndependentOfTheScoresScale() {
    // The same scores times 100 plus 7: the same scaled relevance, the same order.
    double[] scores = {107, 87, 67, 47, 27};
    assertThat(new Mmr(0.5).rerank(ITEMS, scores, 5, GROUPS)).containsExactly(A1, B1, C, A2, B2);
    // Unscaled, relevance 107 would drown any similarity; scaled, beta 0.5 still diversifies.
    assertThat(new Mmr(0.5).rerank(ITEMS, scores, 3, GROUPS)).containsExactly(A1, B1, C);
  }

  @Test
  void betaZeroKeepsTheRelevanceOrderAndBetaOnePicksTheLeastSimilar() {
    double[] scores = {1.0, 0.8, 0.6, 0.4, 0.2};
    assertThat(new Mmr(0).rerank(ITEMS, scores, 5, GROUPS)).containsExactly(A1, A2, B1, B2, C);
    // beta 1: the first pick is by relevance alone (no item chosen yet, the gains are all 0 and
    // the tie goes to the first candidate); then every unchosen item of another group scores 0
    // and ties go to the earlier candidate: B1, C; then A2 and B2 both score -1: A2.
    assertThat(new Mmr(1).rerank(ITEMS, scores, 5, GROUPS)).containsExactly(A1, B1, C, A2, B2);
  }

  @Test
  void aNegativeSimilarityCountsAsItIs() {
    // Relevance 1, 0.5, 0.4 scales to 1, 1/6, 0; sim(X, Y) = -0.2, sim(X, Z) = -1, sim(Y, Z) = 0.
    // beta 0.5, after X: Y 0.5/6 + 0.1 = 0.1833, Z 0 + 0.5 = 0.5 -> Z, then Y. (A max
    // similarity floored at 0 would pick Y.)
    int x = 10;
    int y = 11;
    int z = 12;
    ItemSimilarity similarity =
        (a, b) -> {
          int pair = Math.min(a, b) * 100 + Math.max(a, b);
          return pair == x * 100 + y ? -0.2 : pair == x * 100 + z ? -1 : 0;
        };
    assertThat(new Mmr(0.5).rerank(new int[] {x, y, z}, new double[] {1, 0.5, 0.4}, 3, similarity))
        .containsExactly(x, z, y);
  }

  @Test
  void kCutsTheListAndEqualRelevanceLeavesItToDiversity() {
    double[] scores = {1.0, 0.8, 0.6, 0.4, 0.2};
    assertThat(new Mmr(0.5).rerank(ITEMS, scores, 2, GROUPS)).containsExactly(A1, B1);
    assertThat(new Mmr(0.5).rerank(ITEMS, scores, 9, GROUPS)).hasSize(5);
    assertThat(new Mmr(0.5).rerank(ITEMS, scores, 0, GROUPS)).isEmpty();
    assertThat(new Mmr(0.5).rerank(new int[0], new double[0], 3, GROUPS)).isEmpty();
    // All relevance 3: every candidate scales to 1; order by first index, then diversity.
    double[] flat = {3, 3, 3, 3, 3};
    assertThat(new Mmr(0.5).rerank(ITEMS, flat, 5, GROUPS)).containsExactly(A1, B1, C, A2, B2);
  }

  @Test
  void rejectsWhatHasNoOrder() {
    assertThatThrownBy(() -> new Mmr(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Mmr(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    Mmr mmr = new Mmr(0.5);
    assertThatThrownBy(() -> mmr.rerank(ITEMS, new double[] {1, 2}, 2, GROUPS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mmr.rerank(ITEMS, new double[] {1, Double.NaN, 0, 0, 0}, 2, GROUPS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> mmr.rerank(ITEMS, new double[] {5, 4, 3, 2, 1}, 3, (a, b) -> Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
