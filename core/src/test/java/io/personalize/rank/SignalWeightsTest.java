package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.EventKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalWeightsTest {

  @Test
  void defaultsCountAPurchaseMoreThanAViewAndARatingAsAClick() {
    SignalWeights weights = SignalWeights.defaults();
    assertThat(weights.weight(EventKind.RATING)).isEqualTo(1.0);
    assertThat(weights.weight(EventKind.CLICK)).isEqualTo(1.0);
    assertThat(weights.weight(EventKind.VIEW)).isEqualTo(0.5);
    assertThat(weights.weight(EventKind.PURCHASE)).isEqualTo(2.0);
  }

  @Test
  void parseOverridesTheDefaults() {
    SignalWeights weights = SignalWeights.parse(" view=0.3, PURCHASE = 3 ,");
    assertThat(weights.weights())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                EventKind.RATING,
                1.0,
                EventKind.CLICK,
                1.0,
                EventKind.VIEW,
                0.3,
                EventKind.PURCHASE,
                3.0));
    assertThat(SignalWeights.parse("")).isEqualTo(SignalWeights.defaults());
    assertThat(SignalWeights.parse("VIEW=0").weight(EventKind.VIEW)).isZero();
    assertThat(SignalWeights.parse(SignalWeights.parse("view=0.3").toString()))
        .isEqualTo(SignalWeights.parse("VIEW=0.3"));
  }

  @Test
  void anUnknownTypeIsAnErrorNotADefault() {
    assertThatThrownBy(() -> SignalWeights.parse("LIKE=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LIKE")
        .hasMessageContaining("PURCHASE");
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
