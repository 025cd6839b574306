package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.EventKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSplitsTest {
  private static final long DAY = 86_400_000L;

  // Sessions: a ends at 20; b at D/2 + 1; c at 2D + 30 (the latest event); d at D + 31; e at
  // D + 30. With 1 test day, the test sessions end later than 2D + 30 - D = D + 30: c and d.
  private static final Interaction A1 = view("a", "x", 0);
  private static final Interaction C1 = view("c", "x", 2 * DAY + 10);
  private static final Interaction B1 = view("b", "y", DAY / 2);
  private static final Interaction A2 = view("a", "y", 20);
  private static final Interaction D1 = view("d", "z", DAY + 31);
  private static final Interaction C2 = view("c", "w", 2 * DAY + 20);
  private static final Interaction B2 = view("b", "z", DAY / 2 + 1);
  private static final Interaction E1 = view("e", "x", DAY + 20);
  private static final Interaction D2 = view("d", "q", DAY + 40);
  private static final Interaction C3 = view("c", "y", 2 * DAY + 30);
  private static final Interaction E2 = view("e", "y", DAY + 30);
  private static final Dataset VIEWS =
      new Dataset(
          "views",
          "diginetica",
          List.of(A1, C1, B1, A2, D1, C2, B2, E1, D2, C3, E2),
          Map.of(),
          Dataset.IMPLICIT);

  private static Interaction view(String session, String item, long time) {
    return Interaction.inSession(session, item, EventKind.VIEW, time);
  }

  @Test
  void theSessionsEndingInTheLastDaysAreTheTestPart() {
    Dataset split = SessionSplits.lastDays(VIEWS, 1);

    // Training: a, b and e (e ends exactly at D + 30, not later). Test: c without w, which no
    // training session shows; d loses q (unseen) and is left with 1 event, too few to predict.
    assertThat(split.trainingPart()).containsExactly(A1, B1, A2, B2, E1, E2);
    assertThat(split.testPart()).containsExactly(C1, C3);
    assertThat(split.testStart()).isEqualTo(6);
    assertThat(split.name()).isEqualTo("views");
    assertThat(split.layout()).isEqualTo("diginetica");
    assertThat(split.scale()).isEqualTo(Dataset.IMPLICIT);
  }

  @Test
  void moreTestDaysMoveMoreSessionsToTheTestPart() {
    Dataset split = SessionSplits.lastDays(VIEWS, 2);

    // Test sessions end later than 30 ms: all but a. Training items are x and y: b keeps only y
    // (1 event, dropped), c keeps x and y, d keeps nothing, e keeps x and y.
    assertThat(split.trainingPart()).containsExactly(A1, A2);
    assertThat(split.testPart()).containsExactly(C1, E1, C3, E2);
  }

  @Test
  void refusesDataWithoutSessionsDataAlreadySplitAndFewerThanOneDay() {
    Dataset ratings =
        new Dataset("ml", "u.data", List.of(new Interaction("1", "2", 4, 10)), Map.of());
    assertThatThrownBy(() -> SessionSplits.lastDays(ratings, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data set 'ml' has events without a session");

    Dataset split = SessionSplits.lastDays(VIEWS, 1);
    assertThatThrownBy(() -> SessionSplits.lastDays(split, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("comes with its own split");

    assertThatThrownBy(() -> SessionSplits.lastDays(VIEWS, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 day");
  }
}
