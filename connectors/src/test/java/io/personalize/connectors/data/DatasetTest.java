package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.RatingScale;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetTest {
  private static final List<Interaction> TWO_AND_FOUR =
      List.of(new Interaction("u", "a", 2, 1), new Interaction("u", "b", 4, 2));

  @Test
  void keepsTheScaleItIsGiven() {
    Dataset data = new Dataset("d", "u.data", TWO_AND_FOUR, Map.of(), new RatingScale(1, 5));

    assertThat(data.scale()).isEqualTo(new RatingScale(1, 5));
    assertThat(data.toString()).contains("scale=1.0..5.0");
  }

  @Test
  void rejectsAValueOutsideTheScale() {
    List<Interaction> events = List.of(new Interaction("u", "a", 99, 1));

    assertThatThrownBy(() -> new Dataset("d", "generated", events, Map.of(), new RatingScale(1, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99.0")
        .hasMessageContaining("1.0..5.0");
  }

  @Test
  void withoutAScaleTheRangeOfTheValuesIsTheScale() {
    assertThat(new Dataset("d", "generated", TWO_AND_FOUR, Map.of()).scale())
        .isEqualTo(new RatingScale(2, 4));
    assertThat(new Dataset("d", "generated", List.of(), Map.of()).scale())
        .isEqualTo(new RatingScale(1, 5));
  }

  @Test
  void generatedDataHasTheGeneratorsScale() {
    Dataset data = SyntheticData.generate(1, 30, 40, 300);

    assertThat(data.scale()).isEqualTo(SyntheticData.SCALE).isEqualTo(new RatingScale(1, 5));
  }
}
