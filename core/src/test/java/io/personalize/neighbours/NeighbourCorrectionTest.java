package io.personalize.neighbours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The correction from a user's history and an item's partners, by hand. */
class NeighbourCorrectionTest {
  /** An item whose partners have the given similarities (one rater each, so each is +-1/101). */
  private static ItemPartners partnersWithSigns(int[] partners, int[] signs) {
    ItemPartners item = new ItemPartners();
    for (int n = 0; n < partners.length; n++) {
      item.add(partners[n], 1, signs[n], 1000);
    }
    return item;
  }

  private static UserResiduals history(int[] items, double[] modelResiduals) {
    UserResiduals user = new UserResiduals();
    for (int n = 0; n < items.length; n++) {
      user.remember(items[n], 0, modelResiduals[n], 100);
    }
    return user;
  }

  @Test
  void theWeightedMeanResidualOfTheNeighboursDampedAndHalved() {
    ItemPartners item = partnersWithSigns(new int[] {1, 2}, new int[] {1, -1});
    UserResiduals user = history(new int[] {1, 2, 3}, new double[] {0.8, -0.4, 5});
    double s = 1.0 / 101;
    // Item 3 is no partner: similarity 0, nothing added. s x 0.8 + (-s) x (-0.4) over 2s + 0.5,
    // with the residuals as the floats they are kept in.
    double expected = 0.5 * (s * 0.8f + s * 0.4f) / (2 * s + 0.5);
    assertThat(new NeighbourCorrection(NeighbourSettings.defaults()).of(user, 9, item))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void onlyTheNeighboursWithTheLargestSimilarityCountTheEarliestAmongEquals() {
    ItemPartners item = new ItemPartners();
    // Partner 1: two raters with correlation 1 (2/102); 2, 3, 4: one rater (1/101).
    item.add(1, 1, 1, 10);
    item.add(1, 1, 1, 10);
    item.add(2, 1, 1, 10);
    item.add(3, 1, -1, 10);
    item.add(4, 1, 1, 10);
    UserResiduals user = history(new int[] {4, 3, 2, 1}, new double[] {1, 2, 4, 8});
    NeighbourCorrection twoNeighbours =
        new NeighbourCorrection(new NeighbourSettings(2, 100, 10, 0.5));
    // The two: 1 (the largest) and, of 4, 3 and 2 tied at 1/101, the earliest in the history: 4.
    double big = 2.0 / 102;
    double small = 1.0 / 101;
    assertThat(twoNeighbours.of(user, 9, item))
        .isCloseTo(0.5 * (big * 8 + small * 1) / (big + small + 0.5), within(1e-12));
    // Three: 3 comes next, with its negative similarity.
    NeighbourCorrection threeNeighbours =
        new NeighbourCorrection(new NeighbourSettings(3, 100, 10, 0.5));
    assertThat(threeNeighbours.of(user, 9, item))
        .isCloseTo(
            0.5 * (big * 8 + small * 1 - small * 2) / (big + 2 * small + 0.5), within(1e-12));
  }

  @Test
  void theItemItselfInTheHistoryIsNoNeighbourNorTakesANeighboursPlace() {
    ItemPartners item = partnersWithSigns(new int[] {1, 9}, new int[] {1, 1});
    UserResiduals user = history(new int[] {9, 1}, new double[] {3, 1});
    NeighbourCorrection oneNeighbour =
        new NeighbourCorrection(new NeighbourSettings(1, 100, 10, 0.5));
    double s = 1.0 / 101;
    assertThat(oneNeighbour.of(user, 9, item)).isCloseTo(0.5 * s / (s + 0.5), within(1e-12));
  }

  @Test
  void noHistoryOrNoPartnerMeansNoCorrection() {
    NeighbourCorrection correction = new NeighbourCorrection(NeighbourSettings.defaults());
    assertThat(correction.of(new UserResiduals(), 1, new ItemPartners())).isZero();
    assertThat(correction.of(history(new int[] {2}, new double[] {1}), 1, new ItemPartners()))
        .isZero();
  }
}
