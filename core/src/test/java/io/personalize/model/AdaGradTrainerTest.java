package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The batch global model's AdaGrad trainer, by hand on the MF example of AdditiveModelTest. */
class AdaGradTrainerTest {
  private static final double EPS = 1e-12;

  /**
   * AdditiveModelTest's MF example (k = 2, one item: mu = 3, b_i = -0.2, p = (0.3, 0.4); the user
   * row b_u = 0.1, q = (0.1, 0.2)); label 4, so the prediction is 3.01 and the residual e = -0.99.
   * No regularization, SGD steps 0.1 for the mean.
   */
  private static GlobalTrainer sgd() {
    return new GlobalTrainer(
        Model.of(ModelKind.MF, 2, 0),
        AdditiveModelTest.mfShared(),
        new Initializer(1, 0),
        StepSizes.uniform(0.1),
        new Regularization(0, 0, 0, 0));
  }

  /** AdaGrad's step of a parameter whose only gradient so far is g: rate / sqrt(1 + g^2) * g. */
  private static double step(double g) {
    return 0.1 / Math.sqrt(1 + g * g) * g;
  }

  @Test
  void oneStepByHand() {
    GlobalTrainer sgd = sgd();
    AdaGradTrainer trainer = new AdaGradTrainer(sgd, 0.1);
    PersonalParameters user = AdditiveModelTest.mfUser();
    PersonalParameters squares = trainer.newUserSquares();

    double prediction = trainer.learn(user, squares, 0, FeatureVector.EMPTY, 4);

    assertThat(prediction).isCloseTo(3.01, within(EPS));
    SharedParameters shared = sgd.shared();
    // The mean by SGD: 3 - 0.1 * (-0.99) = 3.099.
    assertThat(shared.mean).isCloseTo(3.099, within(EPS));
    // b_i and b_u: gradient e = -0.99 each, so each moves 0.1 / sqrt(1 + 0.9801) * 0.99 =
    // 0.0703545.
    assertThat(step(-0.99)).isCloseTo(-0.0703545, within(1e-7));
    assertThat(shared.itemBias(0)).isCloseTo(-0.2 - step(-0.99), within(EPS));
    assertThat(user.bias).isCloseTo(0.1 - step(-0.99), within(EPS));
    // p_f: gradient e * q_f = -0.099, -0.198; q_f: e * p_f = -0.297, -0.396 (old values).
    assertThat(shared.itemFactors()[0]).isCloseTo(0.3 - step(-0.099), within(EPS));
    assertThat(shared.itemFactors()[1]).isCloseTo(0.4 - step(-0.198), within(EPS));
    assertThat(user.factors[0]).isCloseTo(0.1 - step(-0.297), within(EPS));
    assertThat(user.factors[1]).isCloseTo(0.2 - step(-0.396), within(EPS));
    // The user's accumulators hold the squared gradients.
    assertThat(squares.bias).isCloseTo(0.9801, within(EPS));
    assertThat(squares.factors[0]).isCloseTo(0.088209, within(EPS));
    assertThat(squares.factors[1]).isCloseTo(0.156816, within(EPS));
  }

  /** The same gradient twice: the second step is smaller, by sqrt(1 + g^2) / sqrt(1 + 2 g^2). */
  @Test
  void aParameterSeenAgainTakesASmallerStep() {
    GlobalTrainer sgd = sgd();
    AdaGradTrainer trainer = new AdaGradTrainer(sgd, 0.1);
    PersonalParameters squares = trainer.newUserSquares();
    double before = sgd.shared().itemBias(0);
    trainer.learn(AdditiveModelTest.mfUser(), squares, 0, FeatureVector.EMPTY, 4);
    double first = sgd.shared().itemBias(0) - before;
    // A fresh user row with the same values: the item's bias gradient is e + 0 again, with e from
    // the new prediction; the step's size per unit gradient has shrunk.
    double perUnitFirst = first / 0.99;
    double e =
        trainer.learn(
                AdditiveModelTest.mfUser(), trainer.newUserSquares(), 0, FeatureVector.EMPTY, 4)
            - 4;
    double second = sgd.shared().itemBias(0) - before - first;
    assertThat(second / -e)
        .isCloseTo(0.1 / Math.sqrt(1 + 0.9801 + e * e), within(EPS))
        .isLessThan(perUnitFirst);
  }

  @Test
  void theRateMustBeInZeroToOne() {
    assertThatThrownBy(() -> new AdaGradTrainer(sgd(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaGradTrainer(sgd(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
