package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalWeightsTest {

  @Test
  void defaultsCountAPurchaseMoreThanAViewAndARatingAsAClick() {
    SignalWeights weights = SignalWeights.defaults();
    assertThat(weights.weight("RATING")).isEqualTo(1.0);
    assertThat(weights.weight("CLICK")).isEqualTo(1.0);
    assertThat(weights.weight("VIEW")).isEqualTo(0.5);
    assertThat(weights.weight("PURCHASE")).isEqualTo(2.0);
    assertThat(weights.weight("purchase")).isEqualTo(2.0);
  }

  @Test
  void parseOverridesTheDefaults() {
    SignalWeights weights = SignalWeights.parse(" view=0.3, PURCHASE = 3 ,");
    assertThat(weights.weights())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("RATING", 1.0, "CLICK", 1.0, "VIEW", 0.3, "PURCHASE", 3.0));
    assertThat(SignalWeights.parse("")).isEqualTo(SignalWeights.defaults());
    assertThat(SignalWeights.parse("VIEW=0").weight("VIEW")).isZero();
  }

  @Test
  void anUnknownTypeIsAnErrorNotADefault() {
    assertThatThrownBy(() -> SignalWeights.defaults().weight("LIKE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LIKE")
        .hasMessageContaining("VIEW=0.5");
  }

  @Test
  void weightsMustBeFiniteAndNotNegativeAndWellFormed() {
    for (String bad : new String[] {"VIEW=-1", "VIEW=NaN", "VIEW=Infinity", "VIEW", "=1", "V=x"}) {
      assertThatThrownBy(() -> SignalWeights.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
