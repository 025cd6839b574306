package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of {@link Model#gradient} against {@link Model#objective}: every
 * parameter an event touches is perturbed by +-h and the central difference is compared with the
 * analytic gradient; parameters the event does not touch (another item's row, a feature index not
 * in x, the terms a {@link ModelKind} switches off) must have a zero finite difference, and the
 * gradient must not write or use them.
 */
class AdditiveModelGradientTest {
  private static final int K = 3;
  private static final int D = 8;
  private static final int ITEMS = 4;
  private static final int ITEM = 2;
  private static final int OTHER_ITEM = 1;
  private static final double H = 1e-6;
  private static final double TOLERANCE = 1e-6;

  /** Three non-zeros in a dimension of 8, deliberately not in index order. */
  private static final FeatureVector X =
      FeatureVector.of(new int[] {5, 1, 6}, new double[] {0.7, -1.3, 0.5});

  /** Indices not in X. */
  private static final int[] NOT_IN_X = {0, 2, 3, 4, 7};

  /** Non-zero and different strengths, so a term with the wrong strength is visible. */
  private static final Regularization REG = new Regularization(0.11, 0.23, 0.37, 0.53);

  /** One settable scalar of the parameter blocks. */
  private interface Slot {
    double get();

    void set(double value);
  }

  private static Slot slot(double[] array, int index) {
    return new Slot() {
      @Override
      public double get() {
        return array[index];
      }

      @Override
      public void set(double value) {
        array[index] = value;
      }
    };
  }

  private record Check(String name, Slot slot, double analytic) {}

  /** The blocks of one event with seeded random values. */
  private static final class Fixture {
    final Model model;
    final SharedParameters shared;
    final PersonalParameters personal;
    final PersonalParameters anchor;
    final double label;

    /** The example's weight: the objective is weight times the per-event objective. */
    double weight = 1;

    Fixture(ModelKind kind, Loss loss, boolean anchored, boolean globalRow, long seed) {
      Random random = new Random(seed);
      model = Model.of(kind, loss, K, D);
      // The shared block always has factors and feature weights, so that the terms a kind switches
      // off are present and can be perturbed: they must have no effect.
      shared = new SharedParameters(K, D, 0, new Initializer(seed, 0.1));
      shared.ensureItem(ITEMS - 1);
      shared.mean = loss == Loss.SQUARED ? 3 + 0.5 * random.nextGaussian() : gaussian(random);
      for (int i = 0; i < ITEMS; i++) {
        shared.addItemBias(i, gaussian(random));
      }
      fill(shared.itemFactors(), random);
      fill(shared.featureWeights(), random);
      personal = new PersonalParameters(K, globalRow ? 0 : D);
      personal.bias = gaussian(random);
      fill(personal.factors, random);
      fill(personal.featureWeights, random);
      if (anchored) {
        anchor = new PersonalParameters(K, 0);
        anchor.bias = gaussian(random);
        fill(anchor.factors, random);
      } else {
        anchor = null;
      }
      label = loss == Loss.SQUARED ? 4.5 : (seed % 2 == 0 ? 1 : 0);
    }

    private static double gaussian(Random random) {
      return 0.5 * random.nextGaussian();
    }

    private static void fill(double[] values, Random random) {
      for (int i = 0; i < values.length; i++) {
        values[i] = gaussian(random);
      }
    }

    double objective() {
      return weight * model.objective(shared, personal, anchor, ITEM, X, label, REG);
    }

    Gradient gradient() {
      Gradient g = new Gradient(model.factors());
      Arrays.fill(g.featureWeights, Double.NaN);
      Arrays.fill(g.userFeatureWeights, Double.NaN);
      double prediction = model.gradient(shared, personal, anchor, ITEM, X, label, REG, g);
      if (weight != 1) {
        Sgd.scale(g, weight, X.size());
      }
      assertThat(prediction).isEqualTo(model.predict(shared, personal, ITEM, X));
      assertThat(g.prediction).isEqualTo(prediction);
      assertThat(g.residual).isEqualTo(prediction - label);
      return g;
    }

    /** Every parameter with the analytic derivative the gradient claims for it. */
    List<Check> checks(Gradient g) {
      ModelKind kind = model.kind();
      List<Check> checks = new ArrayList<>();
      checks.add(
          new Check(
              "mu",
              new Slot() {
                @Override
                public double get() {
                  return shared.mean;
                }

                @Override
                public void set(double value) {
                  shared.mean = value;
                }
              },
              g.mean));
      checks.add(
          new Check(
              "b_u",
              new Slot() {
                @Override
                public double get() {
                  return personal.bias;
                }

                @Override
                public void set(double value) {
                  personal.bias = value;
                }
              },
              g.userBias));
      checks.add(new Check("b_i", itemBias(ITEM), g.itemBias));
      checks.add(new Check("b_other_item", itemBias(OTHER_ITEM), 0));
      for (int f = 0; f < K; f++) {
        checks.add(
            new Check(
                "q_u[" + f + "]",
                slot(personal.factors, f),
                kind.usesFactors() ? g.userFactors[f] : 0));
        checks.add(
            new Check(
                "p_i[" + f + "]",
                slot(shared.itemFactors(), ITEM * K + f),
                kind.usesFactors() ? g.itemFactors[f] : 0));
        checks.add(
            new Check(
                "p_other_item[" + f + "]", slot(shared.itemFactors(), OTHER_ITEM * K + f), 0));
      }
      for (int k = 0; k < X.size(); k++) {
        int j = X.index(k);
        checks.add(
            new Check(
                "w[" + j + "]",
                slot(shared.featureWeights(), j),
                kind.usesFeatures() ? g.featureWeights[k] : 0));
        if (personal.hasFeatureWeights()) {
          checks.add(
              new Check(
                  "w_u[" + j + "]",
                  slot(personal.featureWeights, j),
                  kind.usesFeatures() ? g.userFeatureWeights[k] : 0));
        }
      }
      for (int j : NOT_IN_X) {
        checks.add(new Check("w[" + j + "] (not in x)", slot(shared.featureWeights(), j), 0));
        if (personal.hasFeatureWeights()) {
          checks.add(new Check("w_u[" + j + "] (not in x)", slot(personal.featureWeights, j), 0));
        }
      }
      return checks;
    }

    private Slot itemBias(int item) {
      return new Slot() {
        @Override
        public double get() {
          return shared.itemBias(item);
        }

        @Override
        public void set(double value) {
          shared.addItemBias(item, value - shared.itemBias(item));
        }
      };
    }
  }

  static Stream<Arguments> everyKindLossAndAnchor() {
    List<Arguments> cases = new ArrayList<>();
    long seed = 11;
    for (ModelKind kind : ModelKind.values()) {
      for (Loss loss : Loss.values()) {
        for (boolean anchored : new boolean[] {false, true}) {
          cases.add(Arguments.of(kind, loss, anchored, seed++));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} anchored={2} seed={3}")
  @MethodSource("everyKindLossAndAnchor")
  void gradientMatchesCentralDifferencesOfTheObjective(
      ModelKind kind, Loss loss, boolean anchored, long seed) {
    Fixture fixture = new Fixture(kind, loss, anchored, false, seed);
    assertGradientMatchesFiniteDifferences(fixture);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Loss.class)
  void globalRowOfHybridModelPassesTheCheckToo(Loss loss) {
    assertGradientMatchesFiniteDifferences(new Fixture(ModelKind.HYBRID, loss, false, true, 5));
    assertGradientMatchesFiniteDifferences(new Fixture(ModelKind.HYBRID, loss, true, true, 6));
  }

  /**
   * An example of weight w: the scaled gradient is the gradient of w times the objective. Weights
   * below and above 1; the check of every touched entry being non-zero still applies.
   */
  @ParameterizedTest(name = "{0} {1} anchored={2} seed={3}")
  @MethodSource("everyKindLossAndAnchor")
  void scaledGradientMatchesCentralDifferencesOfTheWeightedObjective(
      ModelKind kind, Loss loss, boolean anchored, long seed) {
    for (double weight : new double[] {0.7, 2.5}) {
      Fixture fixture = new Fixture(kind, loss, anchored, false, seed);
      Gradient unweighted = fixture.gradient();
      fixture.weight = weight;
      Gradient weighted = fixture.gradient();
      assertThat(weighted.itemBias).isCloseTo(weight * unweighted.itemBias, within(1e-12));
      assertThat(weighted.userBias).isCloseTo(weight * unweighted.userBias, within(1e-12));
      assertGradientMatchesFiniteDifferences(fixture);
    }
  }

  @Test
  void exampleWeightMustBeFiniteAndNotNegative() {
    Model model = Model.of(ModelKind.HYBRID, K, D);
    SharedParameters shared = new SharedParameters(K, D, 3, new Initializer(1, 0.1));
    Initializer initializer = new Initializer(1, 0.1);
    GlobalTrainer global =
        new GlobalTrainer(model, shared, initializer, StepSizes.uniform(0.01), REG);
    PersonalLearner personal = new PersonalLearner(model);
    PersonalSettings settings = new PersonalSettings(StepSizes.uniform(0.01), REG);
    for (double weight : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> global.learn(global.newUserRow(1), ITEM, X, 4, weight))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("weight");
      assertThatThrownBy(
              () ->
                  personal.learn(
                      shared, global.newPersonalBlock(1), null, ITEM, X, 4, settings, weight))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("weight");
    }
  }

  private static void assertGradientMatchesFiniteDifferences(Fixture fixture) {
    double before = fixture.objective();
    Gradient g = fixture.gradient();
    List<Check> checks = fixture.checks(g);
    int nonZero = 0;
    for (Check check : checks) {
      double original = check.slot().get();
      check.slot().set(original + H);
      double up = fixture.objective();
      check.slot().set(original - H);
      double down = fixture.objective();
      check.slot().set(original);
      double numeric = (up - down) / (2 * H);
      double tolerance = TOLERANCE * Math.max(1, Math.abs(check.analytic()));
      assertThat(check.analytic())
          .as("d objective / d %s for %s", check.name(), fixture.model.kind())
          .isCloseTo(numeric, within(tolerance));
      if (Math.abs(check.analytic()) > 1e-3) {
        nonZero++;
      }
    }
    // The parameters really were restored, and the check was not vacuous.
    assertThat(fixture.objective()).isEqualTo(before);
    int touched = 3; // mu, b_u, b_i
    if (fixture.model.kind().usesFactors()) {
      touched += 2 * K;
    }
    if (fixture.model.kind().usesFeatures()) {
      touched += X.size() * (fixture.personal.hasFeatureWeights() ? 2 : 1);
    }
    assertThat(nonZero).isEqualTo(touched);
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void gradientNeitherWritesNorUsesEntriesOfFeaturesNotInX(ModelKind kind) {
    Fixture fixture = new Fixture(kind, kind.defaultLoss(), false, false, 99);
    Gradient g = fixture.gradient();
    // Entries are aligned with x: only k < x.size() may be written, and only by feature models.
    for (int k = 0; k < g.featureWeights.length; k++) {
      boolean written = kind.usesFeatures() && k < X.size();
      assertThat(Double.isNaN(g.featureWeights[k])).as("featureWeights[%d]", k).isEqualTo(!written);
      assertThat(Double.isNaN(g.userFeatureWeights[k]))
          .as("userFeatureWeights[%d]", k)
          .isEqualTo(!written);
    }
    // The NaN left in the buffer must not leak into any weight through an SGD step.
    double[] w = fixture.shared.featureWeights().clone();
    double[] wu = fixture.personal.featureWeights.clone();
    Sgd.applyShared(g, fixture.shared, ITEM, X, StepSizes.uniform(0.1), kind);
    Sgd.applyPersonal(g, fixture.personal, X, new StepSizes(0, 0.1, 0.1, 0.1), kind);
    for (int j = 0; j < D; j++) {
      boolean inX = j == 1 || j == 5 || j == 6;
      assertThat(fixture.shared.featureWeights()[j]).isFinite();
      assertThat(fixture.personal.featureWeights[j]).isFinite();
      if (!inX || !kind.usesFeatures()) {
        assertThat(fixture.shared.featureWeights()[j]).as("w[%d]", j).isEqualTo(w[j]);
        assertThat(fixture.personal.featureWeights[j]).as("w_u[%d]", j).isEqualTo(wu[j]);
      } else {
        assertThat(fixture.shared.featureWeights()[j]).as("w[%d]", j).isNotEqualTo(w[j]);
        assertThat(fixture.personal.featureWeights[j]).as("w_u[%d]", j).isNotEqualTo(wu[j]);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void globalRowWithoutFeatureWeightsIgnoresPersonalWeights(Loss loss) {
    Fixture global = new Fixture(ModelKind.HYBRID, loss, false, true, 21);
    assertThat(global.personal.featureWeights).isEmpty();

    // The same row with explicit zero deviations: identical score and objective...
    PersonalParameters zeros = new PersonalParameters(K, D);
    zeros.bias = global.personal.bias;
    System.arraycopy(global.personal.factors, 0, zeros.factors, 0, K);
    Model model = global.model;
    double score = model.score(global.shared, global.personal, ITEM, X);
    assertThat(model.score(global.shared, zeros, ITEM, X)).isEqualTo(score);
    assertThat(model.objective(global.shared, zeros, null, ITEM, X, global.label, REG))
        .isEqualTo(global.objective());

    // ... and the score is exactly the global part, term by term.
    double expected = global.shared.mean + global.personal.bias + global.shared.itemBias(ITEM);
    for (int f = 0; f < K; f++) {
      expected += global.personal.factors[f] * global.shared.itemFactors()[ITEM * K + f];
    }
    expected += X.dot(global.shared.featureWeights());
    assertThat(score).isCloseTo(expected, within(1e-12));

    // ... but only the row that has w_u gets a gradient for it.
    Gradient g = global.gradient();
    Gradient withWeights = new Gradient(K);
    model.gradient(global.shared, zeros, null, ITEM, X, global.label, REG, withWeights);
    for (int k = 0; k < X.size(); k++) {
      assertThat(g.userFeatureWeights[k]).isZero();
      assertThat(withWeights.userFeatureWeights[k])
          .isCloseTo(g.residual * X.value(k), within(1e-12))
          .isNotZero();
      assertThat(withWeights.featureWeights[k]).isEqualTo(g.featureWeights[k]);
    }

    // An SGD step with a non-zero feature rate still leaves the global row without w_u.
    Sgd.applyPersonal(g, global.personal, X, new StepSizes(0, 0.1, 0.1, 0.1), ModelKind.HYBRID);
    assertThat(global.personal.featureWeights).isEmpty();
  }

  @Test
  void featureVectorOfTheCheckHasTheIntendedShape() {
    assertThat(X.size()).isEqualTo(3);
    assertThat(X.minDimension()).isLessThanOrEqualTo(D);
    for (int j : NOT_IN_X) {
      for (int k = 0; k < X.size(); k++) {
        assertThat(X.index(k)).isNotEqualTo(j);
      }
    }
  }
}
