package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Follow the leader per group on summed prequential loss; ties go to candidate 0. */
class CandidateSelectorTest {

  /** One event of a group: every candidate's loss. */
  private static void event(CandidateSelector selector, int group, double... losses) {
    for (int c = 0; c < losses.length; c++) {
      selector.record(group, c, losses[c]);
    }
  }

  @Test
  void freshSelectorUsesCandidateZeroEverywhere() {
    CandidateSelector selector = new CandidateSelector(3, 4);
    assertThat(selector.groups()).isEqualTo(3);
    assertThat(selector.candidates()).isEqualTo(4);
    for (int group = 1; group <= 3; group++) {
      assertThat(selector.best(group)).isZero();
      assertThat(selector.events(group)).isZero();
      assertThat(selector.meanLoss(group, 2)).isNaN();
    }
  }

  @Test
  void lowestSummedLossWins() {
    CandidateSelector selector = new CandidateSelector(1, 3);
    // Losses are dyadic fractions, so the sums are exact and ties are real ties.
    event(selector, 1, 1.0, 0.5, 0.75);
    assertThat(selector.best(1)).isEqualTo(1);
    // Sums: 1.0 + 0.25 = 1.25, 0.5 + 1.0 = 1.5, 0.75 + 0.375 = 1.125 -> candidate 2
    event(selector, 1, 0.25, 1.0, 0.375);
    assertThat(selector.best(1)).isEqualTo(2);
    // Sums: 1.25, 1.5, 1.125 + 0.5 = 1.625 -> candidate 0
    event(selector, 1, 0.0, 0.0, 0.5);
    assertThat(selector.best(1)).isZero();
    // The sum decides, not the last event: candidate 1 has the lowest loss on this event, but the
    // sums are 1.5, 1.5, 1.875: a tie, which goes to 0.
    event(selector, 1, 0.25, 0.0, 0.25);
    assertThat(selector.best(1)).isZero();
    assertThat(selector.meanLoss(1, 0)).isEqualTo(selector.meanLoss(1, 1)).isEqualTo(0.375);
  }

  @Test
  void meanLossIsTheSumOverTheGroupsEvents() {
    CandidateSelector selector = new CandidateSelector(2, 2);
    event(selector, 2, 1.0, 4.0);
    event(selector, 2, 2.0, 0.5);
    event(selector, 2, 3.0, 0.0);
    assertThat(selector.events(2)).isEqualTo(3);
    assertThat(selector.events(1)).isZero();
    assertThat(selector.meanLoss(2, 0)).isCloseTo(2.0, within(1e-12)); // 6 / 3
    assertThat(selector.meanLoss(2, 1)).isCloseTo(1.5, within(1e-12)); // 4.5 / 3
    assertThat(selector.best(2)).isEqualTo(1);
  }

  @Test
  void tiesGoToTheLowestIndex() {
    CandidateSelector selector = new CandidateSelector(1, 4);
    event(selector, 1, 0.5, 0.5, 0.5, 0.5);
    assertThat(selector.best(1)).isZero();
    // Candidates 2 and 3 tie below 0 and 1: the lower of them wins.
    CandidateSelector later = new CandidateSelector(1, 4);
    event(later, 1, 0.9, 0.8, 0.25, 0.25);
    assertThat(later.best(1)).isEqualTo(2);
    event(later, 1, 0.0, 0.0, 0.25, 0.125);
    // 0.9, 0.8, 0.5, 0.375: candidate 3 is now strictly best.
    assertThat(later.best(1)).isEqualTo(3);
  }

  @Test
  void groupsAreIndependent() {
    CandidateSelector selector = new CandidateSelector(3, 3);
    event(selector, 1, 3, 2, 1);
    event(selector, 3, 1, 3, 2);
    event(selector, 3, 1, 3, 0.5);
    assertThat(selector.best(1)).isEqualTo(2);
    assertThat(selector.best(2)).isZero();
    assertThat(selector.best(3)).isZero(); // 2 vs 6 vs 2.5
    assertThat(selector.events(1)).isEqualTo(1);
    assertThat(selector.events(2)).isZero();
    assertThat(selector.events(3)).isEqualTo(2);
    assertThat(selector.meanLoss(2, 0)).isNaN();
    assertThat(selector.meanLoss(1, 2)).isEqualTo(1.0);
  }

  @Test
  void sizesBelowOneAreRejected() {
    assertThatThrownBy(() -> new CandidateSelector(0, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CandidateSelector(2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
