package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The global model's step with settings learned from the stream: races, early steps, Reptile. */
class SelfTuningTrainerTest {
  private static final int K = 2;
  private static final int D = 3;
  private static final StepSizes STEPS = new StepSizes(0.002, 0.04, 0.12, 0.005);
  private static final Regularization REG = new Regularization(0.02, 0.05, 0.01, 0.01);
  private static final FeatureVector X =
      FeatureVector.of(new int[] {0, 2}, new double[] {0.6, 0.8});

  private final Model model = Model.of(ModelKind.HYBRID, K, D);
  private final Initializer initializer = new Initializer(7, 0.1);

  private SharedParameters newShared() {
    return new SharedParameters(K, D, 3, initializer, item -> 100 + item);
  }

  private SelfTuningTrainer trainer(SelfTuning tuning) {
    return new SelfTuningTrainer(model, newShared(), initializer, STEPS, REG, tuning);
  }

  private static SelfTuning tuning(
      List<SelfTuning.RateMultipliers> rates,
      int every,
      int length,
      List<Double> early,
      int firstEvents,
      double metaStep,
      double earlyShare) {
    return new SelfTuning(
        rates, every, length, early, firstEvents, metaStep, false, 0, 1, 1, 0, earlyShare);
  }

  @Test
  void withEverythingOffItLearnsExactlyAsThePlainGlobalTrainer() {
    SelfTuningTrainer tuned = trainer(SelfTuning.off());
    SharedParameters plainShared = newShared();
    GlobalTrainer plain = new GlobalTrainer(model, plainShared, initializer, STEPS, REG);
    GlobalUserRow[] tunedRows = new GlobalUserRow[4];
    PersonalParameters[] plainRows = new PersonalParameters[4];
    Random random = new Random(3);
    for (int e = 0; e < 500; e++) {
      int u = random.nextInt(4);
      int i = random.nextInt(6);
      double y = 1 + random.nextInt(5);
      if (tunedRows[u] == null) {
        tunedRows[u] = tuned.newUser(u);
        plainRows[u] = plain.newUserRow(u);
      }
      assertThat(tuned.learn(tunedRows[u], i, X, y)).isEqualTo(plain.learn(plainRows[u], i, X, y));
    }
    assertThat(tuned.shared().itemFactors()).isEqualTo(plainShared.itemFactors());
    assertThat(tuned.settings().biasMultiplier).isEqualTo(1);
    assertThat(tuned.settings().initialBias).isZero();
  }

  /**
   * Every user rates 2 above the mean: a race of the model (bias step 0.04) against a challenger
   * with the bias steps 4 times as large is won by the challenger, whose shared block and rows
   * become the model's, and the next race starts from there.
   */
  @Test
  void aChallengerThatLearnsFasterWinsTheRaceAndBecomesTheModel() {
    SelfTuningTrainer trainer =
        trainer(
            tuning(List.of(new SelfTuning.RateMultipliers(4, 1)), 50, 40, List.of(1.0), 0, 0, 1));
    GlobalUserRow[] users = new GlobalUserRow[20];
    SharedParameters before = trainer.shared();
    for (int e = 0; e < 90; e++) {
      int u = e % users.length;
      if (users[u] == null) {
        users[u] = trainer.newUser(u);
      }
      trainer.learn(users[u], e % 7, X, 5);
      if (e + 1 == 60) {
        assertThat(trainer.racing()).as("racing after the 50th event").isTrue();
        assertThat(trainer.settings().racing).isTrue();
      }
    }
    assertThat(trainer.races()).isEqualTo(1);
    assertThat(trainer.racing()).isFalse();
    assertThat(trainer.settings().biasMultiplier).isEqualTo(4);
    assertThat(trainer.settings().factorMultiplier).isEqualTo(1);
    assertThat(trainer.shared()).isNotSameAs(before);
    assertThat(trainer.trainer().steps().bias()).isCloseTo(0.16, within(1e-12));
    // A user's row after the race is the challenger's: it learned at 0.16 and is further along
    // than the same stream takes it at the plain steps.
    SelfTuningTrainer plain = trainer(SelfTuning.off());
    GlobalUserRow[] plainUsers = new GlobalUserRow[users.length];
    for (int e = 0; e < 90; e++) {
      int u = e % users.length;
      if (plainUsers[u] == null) {
        plainUsers[u] = plain.newUser(u);
      }
      plain.learn(plainUsers[u], e % 7, X, 5);
    }
    assertThat(trainer.row(users[0]).bias).isGreaterThan(plain.row(plainUsers[0]).bias + 0.05);
  }

  @Test
  void theModelKeepsItsStepsWhenItWinsTheRace() {
    SelfTuningTrainer trainer =
        trainer(
            tuning(List.of(new SelfTuning.RateMultipliers(20, 1)), 30, 30, List.of(1.0), 0, 0, 1));
    GlobalUserRow user = trainer.newUser(1);
    Random random = new Random(9);
    SharedParameters before = trainer.shared();
    for (int e = 0; e < 70; e++) {
      // Pure noise around 3: a bias step of 0.8 only chases the noise.
      trainer.learn(user, e % 3, X, 3 + random.nextGaussian());
    }
    assertThat(trainer.races()).isEqualTo(1);
    assertThat(trainer.settings().biasMultiplier).isEqualTo(1);
    assertThat(trainer.shared()).isSameAs(before);
  }

  /**
   * A user first seen in a race starts the challengers from the model's row as it was when the race
   * started: here the user's challenger row equals a copy taken before the user's event.
   */
  @Test
  void challengerRowsStartFromTheUsersRowAtTheRacesStart() {
    SelfTuningTrainer trainer =
        trainer(
            tuning(List.of(new SelfTuning.RateMultipliers(2, 2)), 10, 10, List.of(1.0), 0, 0, 1));
    GlobalUserRow quiet = trainer.newUser(5);
    trainer.learn(quiet, 0, X, 4);
    GlobalUserRow busy = trainer.newUser(6);
    for (int e = 0; e < 9; e++) {
      trainer.learn(busy, 1, X, 2);
    }
    assertThat(trainer.racing()).isTrue();
    PersonalParameters rowBeforeRace = quiet.row.copy();
    SharedParameters sharedAtStart = trainer.shared().copy();
    trainer.learn(quiet, 0, X, 4);
    assertThat(quiet.challengers).hasSize(1);
    // By hand: the challenger learned this one event from the row as it was, at twice the steps.
    PersonalParameters expected = rowBeforeRace.copy();
    new GlobalTrainer(
            model, sharedAtStart, initializer, new StepSizes(0.002, 0.08, 0.24, 0.005), REG)
        .learn(expected, 0, X, 4);
    assertThat(quiet.challengers[0].bias).isEqualTo(expected.bias);
    assertThat(quiet.challengers[0].factors).containsExactly(expected.factors);
    assertThat(quiet.row.bias).isNotEqualTo(expected.bias);
  }

  /**
   * Reptile one step at a time, by hand: the initial bias moves metaStep times each early step of a
   * user's row. One user, two early events, metaStep 0.5.
   */
  @Test
  void theInitialRowMovesByTheMetaStepTimesEachEarlyStepOfAUsersRow() {
    SelfTuningTrainer trainer = trainer(tuning(List.of(), 1, 0, List.of(1.0), 2, 0.5, 1));
    GlobalUserRow user = trainer.newUser(3);
    double b0 = user.row.bias;
    trainer.learn(user, 0, X, 5);
    double b1 = user.row.bias;
    assertThat(trainer.settings().initialBias).isCloseTo(0.5 * (b1 - b0), within(1e-12));
    trainer.learn(user, 1, X, 5);
    double b2 = user.row.bias;
    assertThat(trainer.settings().initialBias).isCloseTo(0.5 * (b2 - b0), within(1e-12));
    // The third event is not early: the initial row stays.
    trainer.learn(user, 2, X, 5);
    assertThat(trainer.settings().initialBias).isCloseTo(0.5 * (b2 - b0), within(1e-12));
    assertThat(trainer.settings().metaSamples).isEqualTo(2);
    // A new user starts from the learned initial row.
    GlobalUserRow next = trainer.newUser(4);
    PersonalParameters plain = PersonalParameters.initial(K, 0, initializer, 4);
    assertThat(next.row.bias).isEqualTo(trainer.settings().initialBias);
    for (int f = 0; f < K; f++) {
      assertThat(next.row.factors[f])
          .isCloseTo(plain.factors[f] + trainer.settings().initialFactors[f], within(1e-12));
    }
  }

  /**
   * Early steps: a user's first events move its row at the early multiplier. With one candidate, 3,
   * the first event's bias step is 3 times the plain one.
   */
  @Test
  void aUsersFirstEventsStepAtTheEarlyMultiplier() {
    SelfTuningTrainer early = trainer(tuning(List.of(), 1, 0, List.of(3.0), 1, 0, 1));
    SelfTuningTrainer plain = trainer(SelfTuning.off());
    GlobalUserRow a = early.newUser(8);
    GlobalUserRow b = plain.newUser(8);
    early.learn(a, 0, X, 5);
    plain.learn(b, 0, X, 5);
    double start = PersonalParameters.initial(K, 0, initializer, 8).bias;
    assertThat(a.row.bias - start).isCloseTo(3 * (b.row.bias - start), within(1e-12));
    // The second event is not early: the same step as the plain trainer's from there.
    double beforeA = a.row.bias;
    double beforeB = b.row.bias;
    early.learn(a, 0, X, 5);
    plain.learn(b, 0, X, 5);
    assertThat(a.row.bias - beforeA).isNotCloseTo(0, within(1e-9));
    assertThat(early.settings().earlyMultiplier).isEqualTo(3);
    assertThat(beforeB).isNotEqualTo(beforeA);
  }

  /**
   * The early multiplier stays at its first candidate until {@link
   * SelfTuningTrainer#EARLY_EVIDENCE} early events were seen, then follows the shadows' losses:
   * users who all rate 5 from a start of 3 are learned faster by the larger multiplier.
   */
  @Test
  void theEarlyMultiplierMovesToTheBestShadowOnlyAfterEnoughEvidence() {
    SelfTuningTrainer trainer = trainer(tuning(List.of(), 1, 0, List.of(1.0, 4.0), 5, 0, 1));
    int users = SelfTuningTrainer.EARLY_EVIDENCE / 5 + 10;
    for (int u = 0; u < users; u++) {
      GlobalUserRow user = trainer.newUser(u);
      for (int e = 0; e < 5; e++) {
        trainer.learn(user, u % 50, X, 5);
        long early = (long) u * 5 + e + 1;
        if (early < SelfTuningTrainer.EARLY_EVIDENCE) {
          assertThat(trainer.settings().earlyMultiplier).isEqualTo(1);
        }
      }
    }
    double[] losses = trainer.earlyLosses();
    assertThat(losses[1]).isLessThan(losses[0]);
    assertThat(trainer.settings().earlyMultiplier).isEqualTo(4);
  }

  /**
   * Only the early share's new users keep shadows. The shadows only inform the choice of the
   * multiplier, so every user's row learns the same with or without them, here before the choice is
   * made (4,500 early events, fewer than the evidence asked).
   */
  @Test
  void onlyTheEarlyShareKeepsShadowsAndEveryRowLearnsTheSame() {
    List<Double> multipliers = List.of(2.0, 1.0);
    SelfTuningTrainer everyone = trainer(tuning(List.of(), 1, 0, multipliers, 5, 0.1, 1));
    SelfTuningTrainer quarter = trainer(tuning(List.of(), 1, 0, multipliers, 5, 0.1, 0.25));
    int shadowed = 0;
    for (int u = 0; u < 1_500; u++) {
      GlobalUserRow all = everyone.newUser(u);
      GlobalUserRow some = quarter.newUser(u);
      assertThat(all.early).isNotNull();
      if (some.early != null) {
        shadowed++;
      }
      for (int e = 0; e < 3; e++) {
        double label = 1 + (u + e) % 5;
        double expected = everyone.learn(all, u % 50, X, label);
        assertThat(quarter.learn(some, u % 50, X, label)).isEqualTo(expected);
      }
      assertThat(some.row.bias).isEqualTo(all.row.bias);
      assertThat(some.row.factors).containsExactly(all.row.factors);
    }
    assertThat(shadowed).isBetween(300, 450);
    assertThat(quarter.earlyEvents()).isEqualTo(3L * shadowed);
    assertThat(everyone.earlyEvents()).isEqualTo(3L * 1_500);
  }

  @Test
  void restoredSettingsAreUsedAndARunningRaceStartsAgain() {
    SelfTuning tuning =
        tuning(
            List.of(new SelfTuning.RateMultipliers(2, 1)), 100, 50, List.of(2.0, 1.0), 3, 0.1, 1);
    SelfTuningTrainer trainer = trainer(tuning);
    LearnedSettings stored = LearnedSettings.initial(K, 3, true);
    stored.biasMultiplier = 2;
    stored.earlyMultiplier = 1;
    stored.initialBias = 0.25;
    stored.races = 2;
    trainer.restore(stored, 250, new double[] {5, 4}, 6_000);
    assertThat(trainer.racing()).isFalse();
    assertThat(trainer.races()).isEqualTo(2);
    assertThat(trainer.settings().racing).isFalse();
    assertThat(trainer.trainer().steps().bias()).isCloseTo(0.08, within(1e-12));
    assertThat(trainer.newUser(1).row.bias).isEqualTo(0.25);
    GlobalUserRow user = trainer.newUser(2, 10);
    assertThat(user.early).as("past its first events: no shadows").isNull();
  }
}
