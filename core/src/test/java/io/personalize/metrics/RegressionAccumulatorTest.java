package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RegressionAccumulatorTest {

  @Test
  void threePointExample() {
    // predicted [1, 2, 3], actual [2, 2, 5] -> errors [-1, 0, -2]
    // MAE  = (1 + 0 + 2) / 3 = 1
    // RMSE = sqrt((1 + 0 + 4) / 3) = sqrt(5/3) = 1.2909944...
    RegressionAccumulator acc = new RegressionAccumulator();
    acc.add(1, 2);
    acc.add(2, 2);
    acc.add(3, 5);
    assertThat(acc.count()).isEqualTo(3);
    assertThat(acc.mae()).isCloseTo(1.0, within(1e-12));
    assertThat(acc.rmse()).isCloseTo(Math.sqrt(5.0 / 3.0), within(1e-12));
    assertThat(acc.rmse()).isCloseTo(1.2909944487358056, within(1e-12));
  }

  @Test
  void perfectPredictionsHaveZeroError() {
    RegressionAccumulator acc = new RegressionAccumulator();
    acc.add(4.5, 4.5);
    acc.add(-1, -1);
    assertThat(acc.rmse()).isZero();
    assertThat(acc.mae()).isZero();
  }

  @Test
  void emptyIsNaN() {
    RegressionAccumulator acc = new RegressionAccumulator();
    assertThat(acc.count()).isZero();
    assertThat(acc.rmse()).isNaN();
    assertThat(acc.mae()).isNaN();
  }

  @Test
  void rejectsNonFiniteInput() {
    RegressionAccumulator acc = new RegressionAccumulator();
    assertThatThrownBy(() -> acc.add(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> acc.add(1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(acc.count()).isZero();
  }

  @Test
  void mergeEqualsSinglePass() {
    Random random = new Random(42);
    RegressionAccumulator single = new RegressionAccumulator();
    RegressionAccumulator left = new RegressionAccumulator();
    RegressionAccumulator right = new RegressionAccumulator();
    for (int i = 0; i < 1000; i++) {
      double predicted = random.nextGaussian() * 2 + 3;
      double actual = 1 + random.nextInt(5);
      single.add(predicted, actual);
      (i % 3 == 0 ? left : right).add(predicted, actual);
    }
    RegressionAccumulator merged = left.merge(right);
    assertThat(merged.count()).isEqualTo(single.count());
    assertThat(merged.rmse()).isCloseTo(single.rmse(), within(1e-12));
    assertThat(merged.mae()).isCloseTo(single.mae(), within(1e-12));
  }

  @Test
  void mergingEmptyChangesNothing() {
    RegressionAccumulator acc = new RegressionAccumulator();
    acc.add(1, 2);
    acc.merge(new RegressionAccumulator());
    assertThat(acc.count()).isEqualTo(1);
    assertThat(acc.rmse()).isEqualTo(1.0);
    assertThat(new RegressionAccumulator().merge(acc).mae()).isEqualTo(1.0);
  }
}
