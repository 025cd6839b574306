package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
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
  void snapshotCopiesTheSumsAndCounts() {
    CandidateSelector selector = new CandidateSelector(2, 2);
    event(selector, 2, 0.5, 0.25);
    SelectorSnapshot snapshot = selector.snapshot();
    assertThat(snapshot.lossSums).containsExactly(0, 0, 0.5, 0.25);
    assertThat(snapshot.events).containsExactly(0, 1);
    // A copy: later events do not change it.
    event(selector, 2, 1, 1);
    assertThat(snapshot.lossSums).containsExactly(0, 0, 0.5, 0.25);
    assertThat(snapshot.events).containsExactly(0, 1);
  }

  @Test
  void restoreMeanStartsFromTheMeanOfTheSnapshots() {
    CandidateSelector a = new CandidateSelector(2, 2);
    for (int n = 0; n < 3; n++) {
      event(a, 1, 0.5, 1.0);
    }
    CandidateSelector b = new CandidateSelector(2, 2);
    for (int n = 0; n < 5; n++) {
      event(b, 1, 0.5, 0.25);
    }
    event(b, 2, 0.5, 0.25);
    event(b, 2, 0.5, 0.25);
    CandidateSelector restored = new CandidateSelector(2, 2);
    restored.restoreMean(java.util.List.of(a.snapshot(), b.snapshot()));
    // Group 1: sums (1.5 + 2.5) / 2 = 2, (3 + 1.25) / 2 = 2.125; events (3 + 5) / 2 = 4.
    assertThat(restored.lossSums()).startsWith(2.0, 2.125);
    assertThat(restored.events(1)).isEqualTo(4);
    assertThat(restored.meanLoss(1, 0)).isEqualTo(0.5); // 2 / 4
    assertThat(restored.meanLoss(1, 1)).isEqualTo(0.53125); // 2.125 / 4
    assertThat(restored.best(1)).isZero();
    // Group 2: only b has events: sums (0 + 1) / 2 = 0.5, (0 + 0.5) / 2 = 0.25; events
    // (0 + 2) / 2 = 1.
    assertThat(restored.lossSums()).endsWith(0.5, 0.25);
    assertThat(restored.events(2)).isEqualTo(1);
    assertThat(restored.meanLoss(2, 1)).isEqualTo(0.25);
    assertThat(restored.best(2)).isEqualTo(1);
  }

  @Test
  void restoreMeanOfSnapshotsWithOneEventEachHasOneEvent() {
    CandidateSelector one = new CandidateSelector(1, 2);
    event(one, 1, 0.75, 0.25);
    CandidateSelector restored = new CandidateSelector(1, 2);
    restored.restoreMean(java.util.List.of(one.snapshot(), one.snapshot(), one.snapshot()));
    // Three subtasks with one event each: the mean is one event (not 1/3 + 1/3 + 1/3 rounded
    // down one by one to 0) with the same mean losses as each subtask.
    assertThat(restored.events(1)).isEqualTo(1);
    assertThat(restored.meanLoss(1, 0)).isCloseTo(0.75, within(1e-15));
    assertThat(restored.meanLoss(1, 1)).isCloseTo(0.25, within(1e-15));
    assertThat(restored.best(1)).isEqualTo(1);
  }

  @Test
  void restoreMeanOfNothingLeavesAFreshSelector() {
    CandidateSelector restored = new CandidateSelector(2, 3);
    restored.restoreMean(java.util.List.of());
    assertThat(restored.lossSums()).containsOnly(0.0);
    assertThat(restored.eventCounts()).containsOnly(0L);
  }

  @Test
  void restoreMeanRejectsAnotherShape() {
    SelectorSnapshot other = new CandidateSelector(3, 2).snapshot();
    assertThatThrownBy(() -> new CandidateSelector(2, 2).restoreMean(java.util.List.of(other)))
        .isInstanceOf(IncompatibleStateException.class)
        .hasMessageStartingWith(
            "the restored state of the adaptive candidate selector has 3 groups and 6 candidate"
                + " sums, and this job's 2 and 4 (model.groups, the adaptive candidates): state of"
                + " one shape cannot go on in another.");
  }

  @Test
  void sizesBelowOneAreRejected() {
    assertThatThrownBy(() -> new CandidateSelector(0, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CandidateSelector(2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** With a reference (the global row) it is the default: no evidence, no other choice. */
  @Test
  void theReferenceIsTheDefaultUntilAnotherCandidateBeatsIt() {
    CandidateSelector selector = new CandidateSelector(1, 3, 2, 0);
    assertThat(selector.best(1)).isEqualTo(2);
    selector.recordEvent(1, new double[] {0.5, 1.0, 0.75}, 1);
    assertThat(selector.best(1)).as("one event is no evidence").isEqualTo(2);
    selector.recordEvent(1, new double[] {0.5, 1.0, 0.75}, 1);
    assertThat(selector.best(1)).isZero();
  }

  /**
   * By hand: candidate 0 beats the reference by 0.1, 0.3, -0.1 and 0.1 (mean 0.1; spread: the
   * variance of the differences is 0.02, so the standard error of the mean is sqrt(0.02 / 3) =
   * 0.0816). At one standard error it is chosen (0.1 > 0.0816), at two it is not (0.1 < 0.163).
   */
  @Test
  void anotherCandidateIsChosenOnlyWithTheEvidenceAsked() {
    double[][] events = {{1.0, 1.1}, {1.0, 1.3}, {1.0, 0.9}, {1.0, 1.1}};
    CandidateSelector one = new CandidateSelector(1, 2, 1, 1);
    CandidateSelector two = new CandidateSelector(1, 2, 1, 2);
    for (double[] losses : events) {
      one.recordEvent(1, losses, 1);
      two.recordEvent(1, losses, 1);
    }
    assertThat(one.best(1)).isZero();
    assertThat(two.best(1)).isEqualTo(1);
    // The plain leader is candidate 0 in both: its summed loss is lower.
    assertThat(one.meanLoss(1, 0)).isLessThan(one.meanLoss(1, 1));
  }

  @Test
  void selectionNoiseIsTheLossOfTheChoicesMadeAboveTheBestCandidatesInHindsight() {
    CandidateSelector selector = new CandidateSelector(1, 2);
    selector.recordEvent(1, new double[] {1.0, 0.5}, 1);
    selector.recordChosen(1, 1.0); // candidate 0 was the leader before the event
    selector.recordEvent(1, new double[] {0.25, 0.5}, 1);
    selector.recordChosen(1, 0.5); // candidate 1 led after the first event
    // Chosen: 1.5 over 2 events; best in hindsight: candidate 0 with 1.25 (and 1 with 1.0).
    assertThat(selector.selectionRegret(1)).isEqualTo((1.5 - 1.0) / 2);
    assertThat(new CandidateSelector(1, 2).selectionRegret(1)).isNaN();
  }

  /**
   * Evidence clustered by user, by hand: two users whose held-out events favour candidate 0 by
   * summed differences -0.3 (3 events) and +0.1 (1 event). Mean difference (-0.3 + 0.1) / 4 =
   * -0.05; residuals D_u - n_u m: -0.15 and 0.15, squares 0.045; variance 0.045 / 16 * 2 / 1 =
   * 0.005625, standard error 0.075: candidate 0 is chosen at half a standard error (0.0375), not at
   * one.
   */
  @Test
  void evidenceRecordedUserByUserIsClusteredByUser() {
    CandidateSelector half = new CandidateSelector(1, 2, 1, 0.5);
    CandidateSelector one = new CandidateSelector(1, 2, 1, 1);
    for (CandidateSelector selector : List.of(half, one)) {
      selector.recordUser(1, new double[] {0.6, 0.9}, 3);
      selector.recordUser(1, new double[] {0.4, 0.3}, 1);
    }
    assertThat(half.events(1)).isEqualTo(4);
    assertThat(half.meanLoss(1, 0)).isCloseTo(0.25, within(1e-12));
    assertThat(half.best(1)).isZero();
    assertThat(one.best(1)).isEqualTo(1);
    CandidateSelector oneUser = new CandidateSelector(1, 2, 1, 0);
    oneUser.recordUser(1, new double[] {0.1, 0.9}, 5);
    assertThat(oneUser.best(1)).as("one user is no evidence").isEqualTo(1);
    CandidateSelector consistent = new CandidateSelector(1, 2, 1, 1);
    for (int u = 0; u < 10; u++) {
      consistent.recordUser(1, new double[] {0.5 + 0.01 * u, 0.7 + 0.01 * u}, 2);
    }
    assertThat(consistent.best(1)).isZero();
  }
}
