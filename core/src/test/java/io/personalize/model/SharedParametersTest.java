package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shared block's item baseline: the mean plus the item's bias, the mean alone for new items.
 */
class SharedParametersTest {
  @Test
  void theItemBaselineIsTheMeanPlusTheBiasAndTheMeanForAnItemNotSeenYet() {
    SharedParameters shared = new SharedParameters(2, 0, 3.5, new Initializer(1, 0.1));
    shared.ensureItem(1);
    shared.addItemBias(1, -0.25);
    assertThat(shared.itemBaseline(1)).isEqualTo(3.25);
    assertThat(shared.itemBaseline(0)).isEqualTo(3.5);
    assertThat(shared.itemBaseline(7)).isEqualTo(3.5);
  }
}
