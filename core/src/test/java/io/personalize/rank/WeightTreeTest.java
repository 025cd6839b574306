package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightTreeTest {

  @Test
  void findsTheItemWhoseIntervalHoldsTheDraw() {
    // weights 2, 0, 3, 5: intervals [0, 2), empty, [2, 5), [5, 10)
    WeightTree tree = new WeightTree();
    tree.set(0, 2);
    tree.set(2, 3);
    tree.set(3, 5);
    assertThat(tree.size()).isEqualTo(4);
    assertThat(tree.total()).isEqualTo(10);
    assertThat(tree.find(0)).isZero();
    assertThat(tree.find(1.999)).isZero();
    assertThat(tree.find(2)).isEqualTo(2);
    assertThat(tree.find(4.999)).isEqualTo(2);
    assertThat(tree.find(5)).isEqualTo(3);
    assertThat(tree.find(9.999)).isEqualTo(3);
    // Past the total: a rounding case, reported as no item.
    assertThat(tree.find(10)).isEqualTo(-1);
    // A weight change moves the intervals: weights 2, 0, 1, 5 -> [5, 8) is item 3 now from 3.
    tree.set(2, 1);
    assertThat(tree.total()).isEqualTo(8);
    assertThat(tree.find(2.5)).isEqualTo(2);
    assertThat(tree.find(3)).isEqualTo(3);
    assertThat(tree.weight(1)).isZero();
    assertThat(tree.weight(100)).isZero();
  }

  @Test
  void agreesWithALinearScanThroughGrowthAndRebuilds() {
    SplittableRandom random = new SplittableRandom(3);
    WeightTree tree = new WeightTree();
    int items = 1000;
    double[] weights = new double[items];
    // 20,000 changes: the tree grows from 16 slots to 1024 and rebuilds many times.
    for (int change = 0; change < 20_000; change++) {
      int item = random.nextInt(Math.min(items, 10 + change / 10));
      weights[item] = random.nextDouble() < 0.1 ? 0 : random.nextDouble() * 100;
      tree.set(item, weights[item]);
    }
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    assertThat(tree.total()).isCloseTo(total, within(1e-9 * total));
    for (int probe = 0; probe < 5000; probe++) {
      double u = random.nextDouble() * total;
      int expected = 0;
      double prefix = weights[0];
      while (prefix <= u) {
        prefix += weights[++expected];
      }
      // Away from interval edges the tree and the scan agree exactly.
      if (Math.abs(prefix - u) > 1e-6 && Math.abs(prefix - weights[expected] - u) > 1e-6) {
        assertThat(tree.find(u)).as("u = %s", u).isEqualTo(expected);
      }
    }
  }

  @Test
  void weightsAreFiniteAndNotNegative() {
    WeightTree tree = new WeightTree();
    assertThatThrownBy(() -> tree.set(0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.set(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
