package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.EventKind;
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

  @Test
  void aDataSetWithoutASplitIsAllTrainingPart() {
    Dataset data = new Dataset("d", "u.data", TWO_AND_FOUR, Map.of(), new RatingScale(1, 5));

    assertThat(data.testStart()).isEqualTo(2);
    assertThat(data.trainingPart()).isEqualTo(TWO_AND_FOUR);
    assertThat(data.testPart()).isEmpty();
    assertThat(data.toString()).doesNotContain("test part");
  }

  @Test
  void theTestPartStartsAtTestStart() {
    Dataset data = new Dataset("d", "u.data", TWO_AND_FOUR, Map.of(), new RatingScale(1, 5), 1);

    assertThat(data.trainingPart()).containsExactly(TWO_AND_FOUR.get(0));
    assertThat(data.testPart()).containsExactly(TWO_AND_FOUR.get(1));
    assertThat(data.toString()).contains("test part from 1");
    for (int outside : new int[] {-1, 3}) {
      assertThatThrownBy(
              () ->
                  new Dataset("d", "u.data", TWO_AND_FOUR, Map.of(), SyntheticData.SCALE, outside))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the test part starts at " + outside + ", outside 0..2");
    }
  }

  @Test
  void implicitDataHasTheScaleZeroToOne() {
    Interaction click = Interaction.inSession("s1", "i", EventKind.CLICK, 5);

    Dataset data = new Dataset("c", "yoochoose", List.of(click), Map.of(), Dataset.IMPLICIT);

    assertThat(data.scale()).isEqualTo(new RatingScale(0, 1));
  }

  @Test
  void aRatingIsOutsideAnySessionAndAnImplicitEventIsWorthOne() {
    Interaction rating = new Interaction("u", "i", 4.5, 7);
    Interaction click = Interaction.inSession("s1", "i", EventKind.CLICK, 7);

    assertThat(rating.kind()).isEqualTo(EventKind.RATING);
    assertThat(rating.sessionId()).isNull();
    assertThat(click).isEqualTo(new Interaction("s1", "i", 1.0, 7, EventKind.CLICK, "s1"));
    assertThatThrownBy(() -> new Interaction("s1", "i", 2.0, 7, EventKind.VIEW, "s1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a VIEW event's value is 1.0, not 2.0");
    assertThatThrownBy(() -> Interaction.inSession("s1", "i", EventKind.RATING, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not ratings");
  }
}
