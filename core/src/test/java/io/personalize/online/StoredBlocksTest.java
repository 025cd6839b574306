package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.model.PersonalParameters;
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
}
