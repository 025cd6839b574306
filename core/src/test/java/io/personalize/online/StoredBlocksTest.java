package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.model.PersonalParameters;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredBlocksTest {
  private static PersonalParameters block(double bias, double[] factors, double[] weights) {
    PersonalParameters p = new PersonalParameters(factors.length, weights.length);
    p.bias = bias;
    System.arraycopy(factors, 0, p.factors, 0, factors.length);
    System.arraycopy(weights, 0, p.featureWeights, 0, weights.length);
    return p;
  }

  @Test
  void storesFloatsAndTheFeatureWeightsUpToTheLastNonzeroOne() {
    PersonalParameters p = block(0.1, new double[] {0.2, -0.3}, new double[] {0, 0.5, 0, 0});
    float[] flat = StoredBlocks.store(p, null);
    assertThat(flat).containsExactly(0.1f, 0.2f, -0.3f, 0f, 0.5f);

    PersonalParameters none = block(1, new double[] {2, 3}, new double[] {0, 0, 0, 0});
    assertThat(StoredBlocks.store(none, null)).containsExactly(1f, 2f, 3f);
  }

  @Test
  void reusesTheArrayOfTheSameLengthAndGrowsWhenAWeightBecomesNonzero() {
    PersonalParameters p = block(1, new double[] {2, 3}, new double[] {0, 0, 0});
    float[] first = StoredBlocks.store(p, null);
    p.bias = 4;
    assertThat(StoredBlocks.store(p, first)).isSameAs(first).containsExactly(4f, 2f, 3f);
    p.featureWeights[2] = 0.25;
    float[] grown = StoredBlocks.store(p, first);
    assertThat(grown).isNotSameAs(first).containsExactly(4f, 2f, 3f, 0f, 0f, 0.25f);
  }

  @Test
  void loadingAShortBlockZeroesTheWeightsItDoesNotHold() {
    PersonalParameters scratch = block(9, new double[] {9, 9}, new double[] {9, 9, 9});
    StoredBlocks.load(new float[] {0.5f, 1.5f, -2f, 0.25f}, scratch);
    assertThat(scratch.bias).isEqualTo(0.5);
    assertThat(scratch.factors).containsExactly(1.5, -2);
    assertThat(scratch.featureWeights).containsExactly(0.25, 0, 0);

    StoredBlocks.load(new float[] {1, 2, 3}, scratch);
    assertThat(scratch.featureWeights).containsExactly(0, 0, 0);
  }

  @Test
  void aStoredBlockLoadsBackAsItsParametersRoundedToFloats() {
    PersonalParameters p =
        block(0.1, new double[] {1.0 / 3, -2.0 / 7}, new double[] {0.3, 0, 1e-3});
    PersonalParameters back = new PersonalParameters(2, 3);
    StoredBlocks.load(StoredBlocks.store(p, null), back);
    assertThat(back.bias).isEqualTo((float) 0.1);
    assertThat(back.factors).containsExactly((float) (1.0 / 3), (float) (-2.0 / 7));
    assertThat(back.featureWeights).containsExactly((float) 0.3, 0, (float) 1e-3);
  }

  @Test
  void fewNonzeroWeightsFarIntoTheIndexAreStoredAsIndexAndValuePairs() {
    double[] weights = new double[10];
    weights[2] = 0.5;
    weights[9] = -0.25;
    PersonalParameters p = block(0.1, new double[] {0.2, -0.3}, weights);
    float[] flat = StoredBlocks.store(p, null);
    // Dense would be 10 values; sparse is the marker and two pairs: 5.
    assertThat(flat).hasSize(3 + 5);
    assertThat(Float.isNaN(flat[3])).isTrue();
    assertThat(Arrays.copyOfRange(flat, 4, 8)).containsExactly(2f, 0.5f, 9f, -0.25f);

    PersonalParameters back = block(9, new double[] {9, 9}, new double[10]);
    Arrays.fill(back.featureWeights, 9);
    StoredBlocks.load(flat, back);
    assertThat(back.featureWeights).containsExactly(0, 0, 0.5, 0, 0, 0, 0, 0, 0, -0.25);
    assertThat(back.factors).containsExactly((float) 0.2, (float) -0.3);
  }

  @Test
  void eachFormIsUsedWhereItIsShorterAndBothLoadTheSameFloats() {
    Random random = new Random(3);
    for (int round = 0; round < 2_000; round++) {
      double[] weights = new double[random.nextInt(80)];
      int nonzero = random.nextInt(weights.length + 1);
      for (int n = 0; n < nonzero; n++) {
        weights[random.nextInt(weights.length)] = random.nextGaussian() * 1e-2;
      }
      if (weights.length > 0 && random.nextInt(10) == 0) {
        weights[random.nextInt(weights.length)] = -0.0;
      }
      PersonalParameters p = block(random.nextGaussian(), new double[] {1, 2, 3}, weights);
      float[] flat = StoredBlocks.store(p, null);
      int dense = weights.length;
      while (dense > 0 && weights[dense - 1] == 0) {
        dense--;
      }
      int held = 0;
      for (int i = 0; i < dense; i++) {
        held += Double.doubleToRawLongBits(weights[i]) != 0 ? 1 : 0;
      }
      assertThat(flat.length - 4).as("round %d", round).isEqualTo(Math.min(dense, 1 + 2 * held));

      PersonalParameters back = new PersonalParameters(3, weights.length);
      Arrays.fill(back.featureWeights, 7);
      StoredBlocks.load(flat, back);
      for (int i = 0; i < weights.length; i++) {
        double expected = i < dense ? (float) weights[i] : 0;
        assertThat(Double.doubleToRawLongBits(back.featureWeights[i]))
            .as("round %d, weight %d", round, i)
            .isEqualTo(Double.doubleToRawLongBits(expected));
      }
    }
  }
}
