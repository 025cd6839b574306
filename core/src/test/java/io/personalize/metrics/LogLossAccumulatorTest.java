package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogLossAccumulatorTest {

  @Test
  void twoPointExample() {
    // (p=0.8, positive) costs -ln 0.8 = 0.2231436; (p=0.4, negative) costs -ln 0.6 = 0.5108256
    // mean = (0.2231436 + 0.5108256) / 2 = 0.3669846
    LogLossAccumulator acc = new LogLossAccumulator();
    acc.add(0.8, true);
    acc.add(0.4, false);
    assertThat(acc.count()).isEqualTo(2);
    assertThat(acc.logLoss()).isCloseTo((-Math.log(0.8) - Math.log(0.6)) / 2, within(1e-12));
    assertThat(acc.logLoss()).isCloseTo(0.3669845875401002, within(1e-12));
  }

  @Test
  void coinFlipCostsLn2() {
    // p = 0.5 costs -ln 0.5 = ln 2 whatever the label
    LogLossAccumulator acc = new LogLossAccumulator();
    acc.add(0.5, true);
    acc.add(0.5, false);
    assertThat(acc.logLoss()).isCloseTo(Math.log(2), within(1e-15));
  }

  @Test
  void confidentMistakesAreClippedSymmetrically() {
    // p = 0 for a positive and p = 1 for a negative both cost -ln(1e-15) = 15 ln 10 = 34.5387764
    LogLossAccumulator positive = new LogLossAccumulator();
    positive.add(0.0, true);
    LogLossAccumulator negative = new LogLossAccumulator();
    negative.add(1.0, false);
    assertThat(positive.logLoss()).isCloseTo(34.538776394910684, within(1e-9));
    assertThat(negative.logLoss()).isCloseTo(34.538776394910684, within(1e-9));
  }

  @Test
  void confidentHitsAreClippedToNearZero() {
    // p = 1 for a positive is clipped to 1 - 1e-15: cost about 1e-15, not exactly 0
    LogLossAccumulator acc = new LogLossAccumulator();
    acc.add(1.0, true);
    acc.add(0.0, false);
    assertThat(acc.logLoss()).isPositive().isLessThan(1e-14);
  }

  @Test
  void emptyIsNaN() {
    LogLossAccumulator acc = new LogLossAccumulator();
    assertThat(acc.count()).isZero();
    assertThat(acc.logLoss()).isNaN();
  }

  @Test
  void rejectsProbabilitiesOutsideUnitInterval() {
    LogLossAccumulator acc = new LogLossAccumulator();
    assertThatThrownBy(() -> acc.add(-0.1, true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> acc.add(1.1, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> acc.add(Double.NaN, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(acc.count()).isZero();
  }

  @Test
  void mergeEqualsSinglePass() {
    Random random = new Random(7);
    LogLossAccumulator single = new LogLossAccumulator();
    LogLossAccumulator left = new LogLossAccumulator();
    LogLossAccumulator right = new LogLossAccumulator();
    for (int i = 0; i < 1000; i++) {
      double p = random.nextDouble();
      boolean label = random.nextBoolean();
      single.add(p, label);
      (i < 400 ? left : right).add(p, label);
    }
    LogLossAccumulator merged = left.merge(right);
    assertThat(merged.count()).isEqualTo(single.count());
    assertThat(merged.logLoss()).isCloseTo(single.logLoss(), within(1e-12));
  }
}
