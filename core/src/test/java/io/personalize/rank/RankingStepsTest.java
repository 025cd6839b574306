package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.CandidateSelector;
import io.personalize.model.EventKind;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.Initializer;
import io.personalize.model.Loss;
import io.personalize.model.Model;
import io.personalize.model.ModelKind;
import io.personalize.model.PersonalParameters;
import io.personalize.model.PersonalSettings;
import io.personalize.model.Regularization;
import io.personalize.model.SharedParameters;
import io.personalize.model.StepSizes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The examples of an event, and their steps on a tiny logistic MF model computed by hand: k = 2,
 * every parameter starting at 0 (factors too, so they stay 0: their gradients are products with the
 * other side's factors), no regularization. A step at z = 0 has p = sigmoid(0) = 0.5.
 */
class RankingStepsTest {
  private static final double EPS = 1e-12;
  private static final Initializer ZERO = new Initializer(1, 0);
  private static final IntFunction<FeatureVector> NO_FEATURES = item -> FeatureVector.EMPTY;
  private static final Regularization NONE = new Regularization(0, 0, 0, 0);

  private static final Model MODEL = Model.of(ModelKind.MF, Loss.LOGISTIC, 2, 0);

  /** The global side of the tiny model: the shared block, its trainer and a user's row. */
  private static final class Global {
    final SharedParameters shared = new SharedParameters(2, 0, 0, ZERO);
    final GlobalTrainer trainer =
        new GlobalTrainer(MODEL, shared, ZERO, new StepSizes(0.01, 0.1, 0.1, 0), NONE);
    final PersonalParameters userRow = trainer.newUserRow(7);

    double score(int item) {
      return MODEL.score(shared, userRow, item, FeatureVector.EMPTY);
    }
  }

  private final Global global = new Global();
  private final SharedParameters shared = global.shared;

  /** A sampler that knows items 0..items-1 only. */
  private static NegativeSampler knowing(int items, long seed) {
    NegativeSampler sampler = new NegativeSampler(NegativeSampling.uniform(), seed);
    sampler.ensureItem(items - 1);
    return sampler;
  }

  @Test
  void thePositiveComesFirstThenDistinctNegativesTheUserNeverTouched() {
    RankingSteps steps = new RankingSteps(SignalWeights.defaults(), 4, knowing(50, 3));
    Set<Integer> userItems = Set.of(1, 2, 3);
    for (int event = 0; event < 200; event++) {
      assertThat(steps.plan(7, EventKind.VIEW, userItems::contains)).isEqualTo(5);
      assertThat(steps.item(0)).isEqualTo(7);
      assertThat(steps.label(0)).isEqualTo(1);
      assertThat(steps.weight(0)).isEqualTo(0.5);
      Set<Integer> negatives = new HashSet<>();
      for (int e = 1; e < steps.size(); e++) {
        assertThat(steps.label(e)).isZero();
        assertThat(steps.weight(e)).isEqualTo(1);
        assertThat(steps.item(e)).isNotEqualTo(7).isNotIn(userItems);
        negatives.add(steps.item(e));
      }
      assertThat(negatives).hasSize(4);
    }
    assertThatThrownBy(() -> steps.item(5)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aCatalogWithNothingElseGivesThePositiveAlone() {
    // Items 0..3: the positive is 0, the user touched 1..3.
    RankingSteps steps = new RankingSteps(SignalWeights.defaults(), 4, knowing(4, 3));
    assertThat(steps.plan(0, EventKind.CLICK, i -> i >= 1)).isEqualTo(1);
    assertThat(steps.item(0)).isZero();
  }

  @Test
  void aTypeOfWeightZeroLearnsNothingAndCountsNoEvent() {
    RankingSteps steps = new RankingSteps(SignalWeights.parse("VIEW=0"), 2, knowing(10, 3));
    assertThat(steps.plan(0, EventKind.VIEW, i -> false)).isZero();
    assertThat(steps.learnGlobal(global.trainer, global.userRow, NO_FEATURES)).isNaN();
    AdaptiveLearner learner = personalLearner(new CandidateSelector(1, 1));
    AdaptiveUserState state = learner.start(new PersonalParameters(2, 0));
    assertThat(steps.learnPersonal(learner, shared, state, NO_FEATURES, 1)).isNaN();
    assertThat(state.events).isZero();
    assertThat(shared.mean).isZero();
  }

  @Test
  void aPositiveStepRaisesTheItemsScoreInProportionToItsWeight() {
    // One global step on the positive at z = 0: e = p - y = -0.5, so with weight w
    //   mu  += 0.01 * 0.5 * w = 0.005 w, b_i += 0.1 * 0.5 * w = 0.05 w, b_u += 0.05 w
    // and the item's score goes from 0 to 0.105 w: CLICK 0.105, VIEW 0.0525, PURCHASE 0.21.
    for (EventKind type : new EventKind[] {EventKind.CLICK, EventKind.VIEW, EventKind.PURCHASE}) {
      Global fresh = new Global();
      RankingSteps steps = new RankingSteps(SignalWeights.defaults(), 0, knowing(2, 1));
      double w = SignalWeights.defaults().weight(type);
      assertThat(fresh.score(0)).isZero();
      assertThat(steps.plan(0, type, i -> false)).isEqualTo(1);
      assertThat(steps.learnGlobal(fresh.trainer, fresh.userRow, NO_FEATURES)).isEqualTo(0.5);
      assertThat(fresh.shared.itemBias(0)).as(type.name()).isCloseTo(0.05 * w, within(EPS));
      assertThat(fresh.score(0)).as(type.name()).isCloseTo(0.105 * w, within(EPS));
    }
  }

  @Test
  void theNegativeStepLowersTheNegativesScore() {
    // Items 0 and 1, one negative: the plan of a CLICK on 0 is (0, label 1), (1, label 0).
    RankingSteps steps = new RankingSteps(SignalWeights.defaults(), 1, knowing(2, 1));
    assertThat(steps.plan(0, EventKind.CLICK, i -> false)).isEqualTo(2);
    assertThat(steps.item(1)).isEqualTo(1);
    steps.learnGlobal(global.trainer, global.userRow, NO_FEATURES);
    // After the positive (above, w = 1): mu = 0.005, b_0 = 0.05, b_u = 0.05, so item 1 scores
    // z = 0.055 and p = sigmoid(0.055) = 0.5137465349; its step has e = p - 0 = p:
    //   mu  = 0.005 - 0.01 p = -0.000137465349
    //   b_1 = 0     - 0.1 p  = -0.05137465349
    //   b_u = 0.05  - 0.1 p  = -0.001374653490
    // item 1's score: 0.055 - 0.21 p = -0.05288677233 (it was 0 before the event)
    double p = 0.513746534902355;
    assertThat(shared.mean).isCloseTo(-0.000137465349024, within(EPS));
    assertThat(shared.itemBias(1)).isCloseTo(-0.0513746534902355, within(EPS));
    assertThat(global.userRow.bias).isCloseTo(0.05 - 0.1 * p, within(EPS));
    assertThat(global.score(1)).isCloseTo(-0.0528867723294946, within(EPS)).isNegative();
    // and item 0 still scores above item 1: 0.105 - 0.11 p = 0.04848788116
    assertThat(global.score(0)).isCloseTo(0.0484878811607409, within(EPS));
  }

  private AdaptiveLearner personalLearner(CandidateSelector selector) {
    return new AdaptiveLearner(
        MODEL, List.of(new PersonalSettings(new StepSizes(0, 0.1, 0.1, 0), NONE)), selector);
  }

  @Test
  void thePersonalSideLearnsThePlanAndCountsOneEvent() {
    CandidateSelector selector = new CandidateSelector(2, 1);
    AdaptiveLearner learner = personalLearner(selector);
    AdaptiveUserState state = learner.start(new PersonalParameters(2, 0));
    RankingSteps steps = new RankingSteps(SignalWeights.defaults(), 1, knowing(2, 1));
    steps.plan(0, EventKind.PURCHASE, i -> false);

    double prediction = steps.learnPersonal(learner, shared, state, NO_FEATURES, 2);

    // The positive at weight 2, z = 0: b_u = 0 + 0.1 * 0.5 * 2 = 0.1 (the shared block is only
    // read, so this is the whole score change: item 0 goes from 0 to 0.1).
    // The negative on item 1 at z = b_u = 0.1: p = sigmoid(0.1) = 0.5249791875,
    //   b_u = 0.1 - 0.1 p = 0.04750208125: item 1 drops from 0.1 to 0.0475 by its step.
    assertThat(prediction).isEqualTo(0.5);
    assertThat(state.blocks[0].bias).isCloseTo(0.047502081252106, within(EPS));
    assertThat(state.events).isEqualTo(1);
    assertThat(shared.mean).isZero();
    assertThat(shared.itemBias(0)).isZero();
    // The selector saw both examples, each loss times its weight:
    //   2 * -ln(0.5) + -ln(1 - 0.5249791875) = 1.3862943611 + 0.7443966600 = 2.1306910212
    assertThat(selector.events(2)).isEqualTo(2);
    assertThat(selector.meanLoss(2, 0)).isCloseTo(2.1306910211934618 / 2, within(EPS));
  }

  @Test
  void negativesPerPositiveMustNotBeNegative() {
    assertThatThrownBy(() -> new RankingSteps(SignalWeights.defaults(), -1, knowing(2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
