package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Predictions and single SGD steps computed by hand on tiny models. */
class AdditiveModelTest {
  private static final double EPS = 1e-12;

  /** Initial factors of 0, so every value of a test is the one it writes. */
  private static final Initializer ZERO = new Initializer(1, 0);

  /**
   * MF, k = 2, one item: mu = 3, b_i = -0.2, p = (0.3, 0.4); the user row b_u = 0.1, q = (0.1,
   * 0.2).
   */
  static SharedParameters mfShared() {
    SharedParameters shared = new SharedParameters(2, 0, 3.0, ZERO);
    shared.ensureItem(0);
    shared.addItemBias(0, -0.2);
    shared.itemFactors()[0] = 0.3;
    shared.itemFactors()[1] = 0.4;
    return shared;
  }

  static PersonalParameters mfUser() {
    PersonalParameters user = new PersonalParameters(2, 0);
    user.bias = 0.1;
    user.factors[0] = 0.1;
    user.factors[1] = 0.2;
    return user;
  }

  @Test
  void mfPredictionByHand() {
    Model model = Model.of(ModelKind.MF, 2, 0);
    assertThat(model.loss()).isEqualTo(Loss.SQUARED);
    // z = 3 + 0.1 - 0.2 + 0.1*0.3 + 0.2*0.4 = 3 + 0.1 - 0.2 + 0.03 + 0.08 = 3.01
    assertThat(model.score(mfShared(), mfUser(), 0, FeatureVector.EMPTY))
        .isCloseTo(3.01, within(EPS));
    assertThat(model.predict(mfShared(), mfUser(), 0, FeatureVector.EMPTY))
        .isCloseTo(3.01, within(EPS));
    // loss = (3.01 - 4)^2 / 2 = 0.9801 / 2 = 0.49005; no regularization
    assertThat(
            model.objective(
                mfShared(),
                mfUser(),
                null,
                0,
                FeatureVector.EMPTY,
                4,
                new Regularization(0, 0, 0, 0)))
        .isCloseTo(0.49005, within(EPS));
  }

  @Test
  void mfGlobalStepByHand() {
    Model model = Model.of(ModelKind.MF, 2, 0);
    SharedParameters shared = mfShared();
    PersonalParameters user = mfUser();
    GlobalTrainer trainer =
        new GlobalTrainer(
            model, shared, ZERO, StepSizes.uniform(0.1), new Regularization(0, 0, 0, 0));

    double prediction = trainer.learn(user, 0, FeatureVector.EMPTY, 4);

    // The prediction before the step; residual e = 3.01 - 4 = -0.99, so every step is -0.1 * grad.
    assertThat(prediction).isCloseTo(3.01, within(EPS));
    // mu  = 3    - 0.1 * (-0.99)            = 3.099
    assertThat(shared.mean).isCloseTo(3.099, within(EPS));
    // b_i = -0.2 - 0.1 * (-0.99)            = -0.101
    assertThat(shared.itemBias(0)).isCloseTo(-0.101, within(EPS));
    // b_u = 0.1  - 0.1 * (-0.99)            = 0.199
    assertThat(user.bias).isCloseTo(0.199, within(EPS));
    // p_f -= 0.1 * e * q_f (old q): 0.3 + 0.099 * 0.1 = 0.3099, 0.4 + 0.099 * 0.2 = 0.4198
    assertThat(shared.itemFactors()[0]).isCloseTo(0.3099, within(EPS));
    assertThat(shared.itemFactors()[1]).isCloseTo(0.4198, within(EPS));
    // q_f -= 0.1 * e * p_f (old p): 0.1 + 0.099 * 0.3 = 0.1297, 0.2 + 0.099 * 0.4 = 0.2396
    assertThat(user.factors[0]).isCloseTo(0.1297, within(EPS));
    assertThat(user.factors[1]).isCloseTo(0.2396, within(EPS));
    // z = 3.099 + 0.199 - 0.101 + 0.1297*0.3099 + 0.2396*0.4198
    //   = 3.197 + 0.04019403 + 0.10058408 = 3.33777811, closer to the label 4
    assertThat(trainer.predict(user, 0, FeatureVector.EMPTY)).isCloseTo(3.33777811, within(EPS));
    // The global row stays a row without personal feature weights.
    assertThat(user.featureWeights).isEmpty();
  }

  @Test
  void mfGlobalStepWithRegularizationByHand() {
    Model model = Model.of(ModelKind.MF, 2, 0);
    SharedParameters shared = mfShared();
    PersonalParameters user = mfUser();
    // bias strength 0.5, factor strength 0.2; e = -0.99 as above.
    new GlobalTrainer(
            model, shared, ZERO, StepSizes.uniform(0.1), new Regularization(0.5, 0.2, 0, 0))
        .learn(user, 0, FeatureVector.EMPTY, 4);

    // mu has no regularization: 3.099
    assertThat(shared.mean).isCloseTo(3.099, within(EPS));
    // b_i: grad = -0.99 + 0.5 * -0.2 = -1.09 -> -0.2 + 0.109 = -0.091
    assertThat(shared.itemBias(0)).isCloseTo(-0.091, within(EPS));
    // b_u: grad = -0.99 + 0.5 * 0.1 = -0.94 -> 0.1 + 0.094 = 0.194
    assertThat(user.bias).isCloseTo(0.194, within(EPS));
    // p_1: grad = -0.99 * 0.1 + 0.2 * 0.3 = -0.039 -> 0.3039
    // p_2: grad = -0.99 * 0.2 + 0.2 * 0.4 = -0.118 -> 0.4118
    assertThat(shared.itemFactors()[0]).isCloseTo(0.3039, within(EPS));
    assertThat(shared.itemFactors()[1]).isCloseTo(0.4118, within(EPS));
    // q_1: grad = -0.99 * 0.3 + 0.2 * 0.1 = -0.277 -> 0.1277
    // q_2: grad = -0.99 * 0.4 + 0.2 * 0.2 = -0.356 -> 0.2356
    assertThat(user.factors[0]).isCloseTo(0.1277, within(EPS));
    assertThat(user.factors[1]).isCloseTo(0.2356, within(EPS));
  }

  @Test
  void weightedGlobalStepIsTheStepScaledByTheWeight() {
    Model model = Model.of(ModelKind.MF, 2, 0);
    SharedParameters shared = mfShared();
    PersonalParameters user = mfUser();
    Regularization reg = new Regularization(0.5, 0.2, 0, 0);
    // The regularized step above, with weight 2: every change doubles, the regularization's too.
    double prediction =
        new GlobalTrainer(model, shared, ZERO, StepSizes.uniform(0.1), reg)
            .learn(user, 0, FeatureVector.EMPTY, 4, 2.0);

    assertThat(prediction).isCloseTo(3.01, within(EPS));
    // mu  = 3    + 2 * 0.099  = 3.198
    assertThat(shared.mean).isCloseTo(3.198, within(EPS));
    // b_i = -0.2 + 2 * 0.109  = 0.018
    assertThat(shared.itemBias(0)).isCloseTo(0.018, within(EPS));
    // b_u = 0.1  + 2 * 0.094  = 0.288
    assertThat(user.bias).isCloseTo(0.288, within(EPS));
    // p = (0.3 + 2 * 0.0039, 0.4 + 2 * 0.0118) = (0.3078, 0.4236)
    assertThat(shared.itemFactors()[0]).isCloseTo(0.3078, within(EPS));
    assertThat(shared.itemFactors()[1]).isCloseTo(0.4236, within(EPS));
    // q = (0.1 + 2 * 0.0277, 0.2 + 2 * 0.0356) = (0.1554, 0.2712)
    assertThat(user.factors[0]).isCloseTo(0.1554, within(EPS));
    assertThat(user.factors[1]).isCloseTo(0.2712, within(EPS));

    // The same as a step of weight 1 at twice the step sizes.
    SharedParameters doubledShared = mfShared();
    PersonalParameters doubledUser = mfUser();
    new GlobalTrainer(model, doubledShared, ZERO, StepSizes.uniform(0.2), reg)
        .learn(doubledUser, 0, FeatureVector.EMPTY, 4);
    assertThat(doubledShared.mean).isCloseTo(shared.mean, within(EPS));
    assertThat(doubledShared.itemBias(0)).isCloseTo(shared.itemBias(0), within(EPS));
    assertThat(doubledUser.bias).isCloseTo(user.bias, within(EPS));
    assertThat(doubledUser.factors[1]).isCloseTo(user.factors[1], within(EPS));
  }

  @Test
  void weightZeroLearnsNothingAndWeightOneIsTheUnweightedStep() {
    Model model = Model.of(ModelKind.MF, 2, 0);
    Regularization reg = new Regularization(0.5, 0.2, 0, 0);
    SharedParameters shared = mfShared();
    PersonalParameters user = mfUser();
    new GlobalTrainer(model, shared, ZERO, StepSizes.uniform(0.1), reg)
        .learn(user, 0, FeatureVector.EMPTY, 4, 0.0);
    assertThat(shared.mean).isEqualTo(3.0);
    assertThat(shared.itemBias(0)).isEqualTo(-0.2);
    assertThat(user.factors).containsExactly(0.1, 0.2);

    SharedParameters one = mfShared();
    PersonalParameters oneUser = mfUser();
    new GlobalTrainer(model, one, ZERO, StepSizes.uniform(0.1), reg)
        .learn(oneUser, 0, FeatureVector.EMPTY, 4, 1.0);
    SharedParameters plain = mfShared();
    PersonalParameters plainUser = mfUser();
    new GlobalTrainer(model, plain, ZERO, StepSizes.uniform(0.1), reg)
        .learn(plainUser, 0, FeatureVector.EMPTY, 4);
    assertThat(one.itemFactors()).containsExactly(plain.itemFactors());
    assertThat(oneUser.factors).containsExactly(plainUser.factors);
    assertThat(one.mean).isEqualTo(plain.mean);
  }

  /** Logistic regression over 4 features: mu = -0.5, b_i = 0.2, w = (0, 0.5, 0, -0.4). */
  private static SharedParameters logisticShared() {
    SharedParameters shared = new SharedParameters(0, 4, -0.5, ZERO);
    shared.ensureItem(0);
    shared.addItemBias(0, 0.2);
    shared.featureWeights()[1] = 0.5;
    shared.featureWeights()[3] = -0.4;
    return shared;
  }

  /** x = {1: 1.0, 3: 0.5}. */
  private static final FeatureVector LOGISTIC_X =
      FeatureVector.of(new int[] {1, 3}, new double[] {1.0, 0.5});

  @Test
  void logisticGlobalStepByHand() {
    Model model = Model.of(ModelKind.LOGISTIC, 0, 4);
    assertThat(model.loss()).isEqualTo(Loss.LOGISTIC);
    assertThat(model.factors()).isZero();
    SharedParameters shared = logisticShared();
    GlobalTrainer trainer =
        new GlobalTrainer(
            model, shared, ZERO, StepSizes.uniform(0.1), new Regularization(0, 0, 0, 0));
    PersonalParameters row = trainer.newUserRow(7);
    // The global logistic model has no user row: b_u = 0, nothing to learn.
    assertThat(row.factors).isEmpty();
    assertThat(row.featureWeights).isEmpty();

    // z = -0.5 + 0.2 + 0.5 * 1.0 + (-0.4) * 0.5 = 0, so p = sigmoid(0) = 0.5
    assertThat(model.score(shared, row, 0, LOGISTIC_X)).isCloseTo(0, within(EPS));
    // log loss of p = 0.5 for label 1: ln 2
    assertThat(model.objective(shared, row, null, 0, LOGISTIC_X, 1, new Regularization(0, 0, 0, 0)))
        .isCloseTo(0.6931471805599453, within(EPS));

    double prediction = trainer.learn(row, 0, LOGISTIC_X, 1);

    assertThat(prediction).isCloseTo(0.5, within(EPS));
    // e = 0.5 - 1 = -0.5; each parameter moves by -0.1 * e * (its input) = +0.05 * input
    assertThat(shared.mean).isCloseTo(-0.45, within(EPS)); // -0.5 + 0.05
    assertThat(shared.itemBias(0)).isCloseTo(0.25, within(EPS)); // 0.2 + 0.05
    assertThat(shared.featureWeights()[1]).isCloseTo(0.55, within(EPS)); // 0.5 + 0.05 * 1.0
    assertThat(shared.featureWeights()[3]).isCloseTo(-0.375, within(EPS)); // -0.4 + 0.05 * 0.5
    assertThat(shared.featureWeights()[0]).isZero(); // not in x
    assertThat(shared.featureWeights()[2]).isZero(); // not in x
    assertThat(row.bias).isZero();
    // z = -0.45 + 0.25 + 0.55 - 0.1875 = 0.1625; p = 1 / (1 + e^-0.1625) = 0.54053...
    assertThat(trainer.predict(row, 0, LOGISTIC_X))
        .isCloseTo(1 / (1 + Math.exp(-0.1625)), within(EPS))
        .isCloseTo(0.540536, within(1e-6));
  }

  @Test
  void logisticPersonalStepWithRegularizationByHand() {
    Model model = Model.of(ModelKind.LOGISTIC, 0, 4);
    SharedParameters shared = logisticShared();
    PersonalParameters personal = new PersonalParameters(0, 4);
    personal.bias = 0.4;
    personal.featureWeights[1] = 0.1;
    personal.featureWeights[2] = 9.0; // not in x: must not matter, must not move
    personal.featureWeights[3] = 0.2;
    // rate 0.1 for b_u, featureRate 0.2 for w_u; bias strength 0.5, personal feature strength 1.
    PersonalSettings settings =
        new PersonalSettings(new StepSizes(0, 0.1, 0.1, 0.2), new Regularization(0.5, 0, 0, 1.0));

    // z = -0.5 + 0.4 + 0.2 + (0.5 + 0.1) * 1.0 + (-0.4 + 0.2) * 0.5 = 0.1 + 0.6 - 0.1 = 0.6
    assertThat(model.score(shared, personal, 0, LOGISTIC_X)).isCloseTo(0.6, within(EPS));

    double prediction =
        new PersonalLearner(model).learn(shared, personal, null, 0, LOGISTIC_X, 0, settings);

    // p = sigmoid(0.6) = 0.6456563062257954; label 0, so e = p
    assertThat(prediction).isCloseTo(0.6456563062257954, within(EPS));
    // b_u: grad = e + 0.5 * 0.4 = 0.8456563 -> 0.4 - 0.1 * grad = 0.3154343693774205
    assertThat(personal.bias).isCloseTo(0.3154343693774205, within(EPS));
    // w_u1: grad = e * 1.0 + 1.0 * 0.1 = 0.7456563 -> 0.1 - 0.2 * grad = -0.04913126124515907
    assertThat(personal.featureWeights[1]).isCloseTo(-0.04913126124515907, within(EPS));
    // w_u3: grad = e * 0.5 + 1.0 * 0.2 = 0.5228282 -> 0.2 - 0.2 * grad = 0.09543436937742045
    assertThat(personal.featureWeights[3]).isCloseTo(0.09543436937742045, within(EPS));
    assertThat(personal.featureWeights[0]).isZero();
    assertThat(personal.featureWeights[2]).isEqualTo(9.0);
    // The shared block is read, not written.
    assertThat(shared.mean).isEqualTo(-0.5);
    assertThat(shared.itemBias(0)).isEqualTo(0.2);
    assertThat(shared.featureWeights()).containsExactly(0, 0.5, 0, -0.4);
  }

  /** Hybrid, k = 2, 4 features: the MF numbers above plus w = (0, 0.5, 0, -0.25). */
  private static SharedParameters hybridShared() {
    SharedParameters shared = new SharedParameters(2, 4, 3.0, ZERO);
    shared.ensureItem(0);
    shared.addItemBias(0, -0.2);
    shared.itemFactors()[0] = 0.3;
    shared.itemFactors()[1] = 0.4;
    shared.featureWeights()[1] = 0.5;
    shared.featureWeights()[3] = -0.25;
    return shared;
  }

  @Test
  void hybridPersonalFeatureWeightsChangeTheScore() {
    Model model = Model.of(ModelKind.HYBRID, 2, 4);
    SharedParameters shared = hybridShared();
    PersonalParameters globalRow = mfUser();
    PersonalParameters personal = new PersonalParameters(2, 4);
    personal.copyFrom(globalRow);
    personal.featureWeights[1] = 0.2;
    personal.featureWeights[2] = 7.0; // not in x
    personal.featureWeights[3] = -0.6;

    // Global row: 3.01 + w.x = 3.01 + 0.5 * 1.0 - 0.25 * 0.5 = 3.01 + 0.375 = 3.385
    assertThat(model.predict(shared, globalRow, 0, LOGISTIC_X)).isCloseTo(3.385, within(EPS));
    // Personal: 3.385 + w_u.x = 3.385 + 0.2 * 1.0 - 0.6 * 0.5 = 3.385 - 0.1 = 3.285
    assertThat(model.predict(shared, personal, 0, LOGISTIC_X)).isCloseTo(3.285, within(EPS));
    // An item with no features: the personal weights have no say.
    assertThat(model.predict(shared, personal, 0, FeatureVector.EMPTY))
        .isCloseTo(3.01, within(EPS));
    // MF ignores the feature terms entirely, even with the same blocks.
    assertThat(Model.of(ModelKind.MF, 2, 4).predict(shared, personal, 0, LOGISTIC_X))
        .isCloseTo(3.01, within(EPS));

    // One personal step towards label 3.785: e = 3.285 - 3.785 = -0.5; no regularization.
    PersonalSettings settings =
        new PersonalSettings(new StepSizes(0, 0.1, 0.1, 0.2), new Regularization(0, 0, 0, 0));
    double prediction =
        new PersonalLearner(model).learn(shared, personal, null, 0, LOGISTIC_X, 3.785, settings);
    assertThat(prediction).isCloseTo(3.285, within(EPS));
    assertThat(personal.bias).isCloseTo(0.15, within(EPS)); // 0.1 + 0.1 * 0.5
    assertThat(personal.factors[0]).isCloseTo(0.115, within(EPS)); // 0.1 + 0.1 * 0.5 * 0.3
    assertThat(personal.factors[1]).isCloseTo(0.22, within(EPS)); // 0.2 + 0.1 * 0.5 * 0.4
    assertThat(personal.featureWeights[1]).isCloseTo(0.3, within(EPS)); // 0.2 + 0.2 * 0.5 * 1.0
    assertThat(personal.featureWeights[3]).isCloseTo(-0.55, within(EPS)); // -0.6 + 0.2 * 0.5 * 0.5
    assertThat(personal.featureWeights[2]).isEqualTo(7.0);
    assertThat(personal.featureWeights[0]).isZero();
  }

  @Test
  void personalLearnerLeavesTheSharedBlockUntouched() {
    Model model = Model.of(ModelKind.HYBRID, 3, 6);
    Random random = new Random(3);
    SharedParameters shared = new SharedParameters(3, 6, 3.5, new Initializer(4, 0.3));
    shared.ensureItem(4);
    for (int i = 0; i < 5; i++) {
      shared.addItemBias(i, random.nextGaussian());
    }
    for (int j = 0; j < 6; j++) {
      shared.featureWeights()[j] = random.nextGaussian();
    }
    SharedParameters before = shared.copy();
    PersonalParameters personal = new PersonalParameters(3, 6);
    PersonalParameters start = personal.copy();
    PersonalLearner learner = new PersonalLearner(model);
    PersonalSettings settings =
        new PersonalSettings(
            new StepSizes(0, 0.05, 0.05, 0.1), new Regularization(0.02, 0.05, 0.01, 0.1));
    FeatureVector x = FeatureVector.of(new int[] {0, 4}, new double[] {1, 0.5});
    for (int n = 0; n < 20; n++) {
      learner.learn(shared, personal, null, n % 5, x, 1 + n % 5, settings);
    }

    assertThat(shared.mean).isEqualTo(before.mean);
    assertThat(shared.items()).isEqualTo(before.items());
    for (int i = 0; i < 5; i++) {
      assertThat(shared.itemBias(i)).isEqualTo(before.itemBias(i));
    }
    assertThat(shared.itemFactors()).containsExactly(before.itemFactors());
    assertThat(shared.featureWeights()).containsExactly(before.featureWeights());
    // ...while the personal block did learn.
    assertThat(personal.bias).isNotEqualTo(start.bias);
    assertThat(personal.factors).isNotEqualTo(start.factors);
    assertThat(personal.featureWeights[0]).isNotZero();
    assertThat(personal.featureWeights[4]).isNotZero();
    assertThat(personal.featureWeights[1]).isZero();
  }

  @Test
  void globalTrainerNeverGivesAGlobalRowPersonalFeatureWeights() {
    Model model = Model.of(ModelKind.HYBRID, 2, 4);
    SharedParameters shared = new SharedParameters(2, 4, 3, new Initializer(9, 0.1));
    GlobalTrainer trainer =
        new GlobalTrainer(
            model,
            shared,
            new Initializer(9, 0.1),
            StepSizes.uniform(0.05),
            new Regularization(0.1, 0.1, 0.1, 0.1));
    PersonalParameters row = trainer.newUserRow(12);
    assertThat(row.featureWeights).isEmpty();
    assertThat(row.factors).hasSize(2);
    for (int n = 0; n < 10; n++) {
      trainer.learn(row, n % 3, LOGISTIC_X, 5);
    }
    assertThat(row.featureWeights).isEmpty();
    assertThat(row.hasFeatureWeights()).isFalse();
    assertThat(row.bias).isNotZero(); // b_u is part of the global form and did learn

    // Even a row that carries w_u keeps it as it is: the global step has no personal feature rate.
    PersonalParameters block = trainer.newPersonalBlock(12);
    assertThat(block.featureWeights).hasSize(4).containsOnly(0.0);
    assertThat(block.factors).containsExactly(trainer.newUserRow(12).factors);
    block.featureWeights[1] = 0.3;
    for (int n = 0; n < 10; n++) {
      trainer.learn(block, n % 3, LOGISTIC_X, 5);
    }
    assertThat(block.featureWeights).containsExactly(0, 0.3, 0, 0);
  }

  @Test
  void globalLogisticModelHasNoUserRowToLearn() {
    Model model = Model.of(ModelKind.LOGISTIC, 0, 4);
    GlobalTrainer trainer =
        new GlobalTrainer(
            model,
            logisticShared(),
            ZERO,
            StepSizes.uniform(0.1),
            new Regularization(0.1, 0.1, 0.1, 0.1));
    PersonalParameters row = trainer.newUserRow(3);
    for (int n = 0; n < 5; n++) {
      trainer.learn(row, 0, LOGISTIC_X, n % 2);
    }
    assertThat(row.bias).isZero();
    assertThat(row.featureWeights).isEmpty();
    // A personal block of the logistic model has b_u and w_u but no factors.
    PersonalParameters block = trainer.newPersonalBlock(3);
    assertThat(block.factors).isEmpty();
    assertThat(block.featureWeights).hasSize(4);
  }

  @Test
  void factorModelsNeedFactors() {
    assertThatThrownBy(() -> Model.of(ModelKind.MF, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Model.of(ModelKind.HYBRID, 0, 4))
        .isInstanceOf(IllegalArgumentException.class);
    // Switched-off terms have size 0 whatever was asked for.
    assertThat(Model.of(ModelKind.LOGISTIC, 5, 4).factors()).isZero();
    assertThat(Model.of(ModelKind.MF, 5, 4).featureDimension()).isZero();
  }

  @Test
  void negativeRegularizationIsRejected() {
    assertThatThrownBy(() -> new Regularization(-1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Regularization(0, 0, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectedRegularizationNamesTheRejectedValue() {
    assertThatThrownBy(() -> new Regularization(0.02, -0.5, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.5")
        .hasMessageContaining("0.02");
  }

  /**
   * The per-user side's fused step is, bit for bit, the gradient scaled by the weight and applied
   * by {@link Sgd#applyPersonal}: every model kind, with and without an anchor, with and without
   * personal feature weights, at weights 1, 0.3 and 0.
   */
  @Test
  void personalStepIsBitForBitTheGradientAppliedBySgd() {
    Random random = new Random(17);
    int k = 5;
    int d = 7;
    for (ModelKind kind : ModelKind.values()) {
      Model model = Model.of(kind, k, d);
      for (int trial = 0; trial < 200; trial++) {
        SharedParameters shared = new SharedParameters(k, d, 3.2, new Initializer(trial, 0.3));
        shared.ensureItem(3);
        for (int j = 0; j < d; j++) {
          shared.featureWeights()[j] = random.nextGaussian() * 0.2;
        }
        shared.addItemBias(2, random.nextGaussian() * 0.3);
        boolean featureWeights = trial % 2 == 0;
        PersonalParameters start =
            PersonalParameters.initial(k, featureWeights ? d : 0, new Initializer(5, 0.3), trial);
        start.bias = random.nextGaussian() * 0.2;
        for (int j = 0; j < start.featureWeights.length; j++) {
          start.featureWeights[j] = random.nextGaussian() * 0.1;
        }
        PersonalParameters anchor =
            trial % 3 == 0 ? null : PersonalParameters.initial(k, 0, new Initializer(9, 0.3), 1);
        FeatureVector x =
            FeatureVector.of(
                new int[] {trial % d, (trial + 3) % d}, new double[] {0.6, random.nextDouble()});
        double label = kind.defaultLoss() == Loss.LOGISTIC ? trial % 2 : 1 + trial % 5;
        PersonalSettings settings =
            new PersonalSettings(
                new StepSizes(0.001, 0.05, 0.07, 0.09), new Regularization(0.02, 0.05, 0.01, 0.03));
        double weight = new double[] {1, 0.3, 0}[trial % 3 == 1 ? 1 : trial % 5 == 0 ? 2 : 0];

        PersonalParameters expected = start.copy();
        Gradient gradient = new Gradient(k);
        double expectedPrediction =
            model.gradient(
                shared, expected, anchor, 2, x, label, settings.regularization(), gradient);
        if (weight != 1) {
          Sgd.scale(gradient, weight, x.size());
        }
        Sgd.applyPersonal(gradient, expected, x, settings.steps(), kind);

        PersonalParameters actual = start.copy();
        double prediction =
            model.personalStep(shared, actual, anchor, 2, x, label, settings, weight);
        assertThat(prediction).isEqualTo(expectedPrediction);
        assertThat(actual.bias).as("%s trial %d", kind, trial).isEqualTo(expected.bias);
        assertThat(actual.factors).containsExactly(expected.factors);
        assertThat(actual.featureWeights).containsExactly(expected.featureWeights);
      }
    }
  }

  /**
   * The global model's fused step is, bit for bit, the gradient (no anchor) scaled by the weight,
   * applied to the shared block and then to the user's row: every model kind, at weights 1, 0.3 and
   * 0, with different shared and row steps.
   */
  @Test
  void globalStepIsBitForBitTheGradientAppliedBySgd() {
    Random random = new Random(23);
    int k = 5;
    int d = 7;
    Regularization reg = new Regularization(0.02, 0.05, 0.01, 0.03);
    StepSizes sharedSteps = new StepSizes(0.002, 0.04, 0.12, 0.005);
    StepSizes rowSteps = new StepSizes(0, 0.08, 0.24, 0);
    for (ModelKind kind : ModelKind.values()) {
      Model model = Model.of(kind, k, d);
      int rowFactors = kind.globalHasUserRows() ? model.factors() : 0;
      for (int trial = 0; trial < 200; trial++) {
        SharedParameters start = new SharedParameters(k, d, 3.2, new Initializer(trial, 0.3));
        start.ensureItem(3);
        for (int j = 0; j < d; j++) {
          start.featureWeights()[j] = random.nextGaussian() * 0.2;
        }
        start.addItemBias(2, random.nextGaussian() * 0.3);
        PersonalParameters row =
            PersonalParameters.initial(rowFactors, 0, new Initializer(5, 0.3), trial);
        row.bias = random.nextGaussian() * 0.2;
        FeatureVector x =
            FeatureVector.of(
                new int[] {trial % d, (trial + 3) % d}, new double[] {0.6, random.nextDouble()});
        double label = kind.defaultLoss() == Loss.LOGISTIC ? trial % 2 : 1 + trial % 5;
        double weight = new double[] {1, 0.3, 0}[trial % 3];

        SharedParameters expectedShared = start.copy();
        PersonalParameters expectedRow = row.copy();
        Gradient gradient = new Gradient(k);
        double expectedPrediction =
            model.gradient(expectedShared, expectedRow, null, 2, x, label, reg, gradient);
        if (weight != 1) {
          Sgd.scale(gradient, weight, x.size());
        }
        Sgd.applyShared(gradient, expectedShared, 2, x, sharedSteps, kind);
        if (kind.globalHasUserRows()) {
          Sgd.applyPersonal(gradient, expectedRow, x, rowSteps, kind);
        }

        SharedParameters actualShared = start.copy();
        PersonalParameters actualRow = row.copy();
        double prediction =
            model.globalStep(
                actualShared,
                actualRow,
                2,
                x,
                label,
                reg,
                sharedSteps,
                rowSteps,
                kind.globalHasUserRows(),
                weight);
        assertThat(prediction).isEqualTo(expectedPrediction);
        assertThat(actualShared.mean).as("%s trial %d", kind, trial).isEqualTo(expectedShared.mean);
        assertThat(actualShared.itemBias(2)).isEqualTo(expectedShared.itemBias(2));
        assertThat(actualShared.itemFactors()).containsExactly(expectedShared.itemFactors());
        assertThat(actualShared.featureWeights()).containsExactly(expectedShared.featureWeights());
        assertThat(actualRow.bias).isEqualTo(expectedRow.bias);
        assertThat(actualRow.factors).containsExactly(expectedRow.factors);
      }
    }
  }
}
