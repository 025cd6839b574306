package io.personalize.neighbours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A user's latest items with their residuals, and the user's baseline bias. */
class UserResidualsTest {
  @Test
  void keepsTheLatestItemsOldestFirst() {
    UserResiduals user = new UserResiduals();
    for (int item = 1; item <= 5; item++) {
      user.remember(item, item, -item, 3);
    }
    assertThat(Arrays.copyOf(user.items, user.size)).containsExactly(3, 4, 5);
    assertThat(Arrays.copyOf(user.baselineResiduals, user.size)).containsExactly(3f, 4f, 5f);
    assertThat(Arrays.copyOf(user.modelResiduals, user.size)).containsExactly(-3f, -4f, -5f);
  }

  @Test
  void anItemRatedAgainMovesToTheEndWithItsNewResiduals() {
    UserResiduals user = new UserResiduals();
    user.remember(1, 1, 1, 3);
    user.remember(2, 2, 2, 3);
    user.remember(3, 3, 3, 3);
    user.remember(1, 7, 8, 3);
    assertThat(Arrays.copyOf(user.items, user.size)).containsExactly(2, 3, 1);
    assertThat(user.baselineResiduals[2]).isEqualTo(7f);
    assertThat(user.modelResiduals[2]).isEqualTo(8f);
    assertThat(user.indexOf(3)).isEqualTo(1);
    assertThat(user.indexOf(4)).isEqualTo(-1);
  }

  @Test
  void theBiasIsTheMeanResidualShrunkBy10Ratings() {
    UserResiduals user = new UserResiduals();
    user.rated(2);
    user.rated(1);
    assertThat(user.bias()).isCloseTo(3.0 / 12, within(1e-12));
  }

  @Test
  void learningPairsTheRatingWithEachEarlierItemButItselfThenRemembersIt() {
    UserResiduals user = new UserResiduals();
    user.remember(1, 0.5, 0, 3);
    user.remember(2, -1, 0, 3);
    user.rated(2);
    java.util.List<String> pairs = new java.util.ArrayList<>();
    // Item 2 again, rated 4 against the item baseline 3 and the bias 2 / 11.
    double residual =
        user.learn(2, 4, 3.5, 3, 3, (partner, other, own) -> pairs.add(partner + ":" + other));
    assertThat(residual).isCloseTo(1 - 2.0 / 11, within(1e-12));
    assertThat(pairs).containsExactly("1:0.5");
    assertThat(Arrays.copyOf(user.items, user.size)).containsExactly(1, 2);
    assertThat(user.modelResiduals[1]).isEqualTo(0.5f);
    assertThat(user.bias()).isCloseTo(3.0 / 12, within(1e-12));
  }

  @Test
  void theBaselineResidualTakesTheItemBaselineAndTheUsersBias() {
    UserResiduals user = new UserResiduals();
    user.rated(1);
    user.rated(0);
    assertThat(user.baselineResidual(5, 4)).isCloseTo(1 - 1.0 / 12, within(1e-12));
  }
}
