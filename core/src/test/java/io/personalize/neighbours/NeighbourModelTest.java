package io.personalize.neighbours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The baseline, the pair sums on both sides and the correction, over a few ratings by hand. */
class NeighbourModelTest {
  @Test
  void learnsPairsOnBothItemsAndCorrectsAnotherUserByThem() {
    NeighbourModel model = new NeighbourModel(NeighbourSettings.defaults());
    assertThat(model.correction(0, 0)).isZero();
    // User 0 rates item 0 a 4 against the baseline 3.5 (user bias 0): residual 0.5.
    model.learn(0, 0, 4, 3, 3.5);
    assertThat(model.correction(0, 1)).isZero();
    // Item 1 a 2 against 3 and the user's bias 0.5 / 11: a negative residual, so the pair's
    // correlation over its one rater is -1 on either side.
    model.learn(0, 1, 2, 3, 3);
    double s = -1.0 / 101;
    assertThat(model.partnersOf(0).similarity(1)).isCloseTo(s, within(1e-9));
    assertThat(model.partnersOf(1).similarity(0)).isCloseTo(s, within(1e-9));
    // User 1 rated item 0 with the model's residual 5 - 4.5 = 0.5; predicting item 1:
    model.learn(1, 0, 5, 4.5, 3.5);
    double expected = 0.5 * (s * 0.5) / (Math.abs(s) + 0.5);
    assertThat(model.correction(1, 1)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void theUsersBiasIsItsShrunkMeanOfRatingsMinusTheItemBaselines() {
    NeighbourModel model = new NeighbourModel(NeighbourSettings.defaults());
    // Residuals against the item baselines: 4 - 3 = 1, then 2 - 3 = -1 (the second rating's own
    // baseline residual is -1 - 1/11, by the bias 1 / 11 after the first).
    model.learn(0, 0, 4, 4, 3);
    model.learn(0, 1, 2, 2, 3);
    assertThat(model.partnersOf(1).ownSquares[0])
        .isCloseTo((float) Math.pow(1 + 1.0 / 11, 2), within(1e-6f));
    // The bias is now (1 - 1) / 12 = 0: a rating of 5 against 4 has the residual 1 exactly.
    model.learn(0, 2, 5, 5, 4);
    assertThat(model.partnersOf(2).ownSquares).startsWith(1f, 1f);
    assertThat(model.partnersOf(2).partnerSquares[0]).isEqualTo(1f);
  }
}
