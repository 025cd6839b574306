package io.personalize.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeenItemIndicesTest {
  private static final List<String> CATALOG = List.of("a", "b", "c", "d", "e", "x");

  private static SeenItems seen(String... items) {
    SeenItems seen = new SeenItems();
    for (String item : items) {
      seen.remember(item, 10);
    }
    return seen;
  }

  /** x has no index: an item the sampler does not know. */
  private static int indexOf(String id) {
    return id.equals("x") ? -1 : CATALOG.indexOf(id);
  }

  private static SeenItemIndices load(SeenItemIndices indices, SeenItems seen) {
    return indices.load(seen, SeenItemIndicesTest::indexOf, CATALOG::get);
  }

  /** The indices of a..e the loaded user has seen, asking about each {@code rounds} times. */
  private static List<Integer> answers(SeenItemIndices indices, int rounds) {
    List<Integer> marked = List.of();
    for (int round = 0; round < rounds; round++) {
      marked = IntStream.range(0, 5).filter(indices).boxed().toList();
    }
    return marked;
  }

  @Test
  void theFirstQuestionsScanAndTheRestReadTheMarksWithTheSameAnswers() {
    SeenItemIndices indices = new SeenItemIndices();
    load(indices, seen("b", "d", "b", "x"));
    assertThat(answers(indices, 1)).as("5 questions, scanned").containsExactly(1, 3);
    assertThat(answers(indices, 4))
        .as("past %s, marked", SeenItemIndices.SCANNED_QUESTIONS)
        .containsExactly(1, 3);
  }

  @Test
  void aNewUserForgetsThePreviousUsersMarks() {
    SeenItemIndices indices = new SeenItemIndices();
    load(indices, seen("b", "d"));
    assertThat(answers(indices, 4)).containsExactly(1, 3);
    load(indices, seen("a", "e"));
    assertThat(answers(indices, 1)).containsExactly(0, 4);
    assertThat(answers(indices, 4)).containsExactly(0, 4);
    load(indices, new SeenItems());
    assertThat(answers(indices, 4)).isEmpty();
  }

  @Test
  void aUserWithMoreItemsThanAnyBeforeIsMarkedWhole() {
    SeenItemIndices indices = new SeenItemIndices();
    load(indices, seen("c"));
    answers(indices, 4);
    SeenItems many = new SeenItems();
    for (int n = 0; n < 40; n++) {
      many.remember("item-" + n, 100);
    }
    indices.load(
        many,
        id -> Integer.parseInt(id.substring(5)) * 3,
        i -> i % 3 == 0 ? "item-" + i / 3 : "other-" + i);
    assertThat(IntStream.range(0, 120).filter(i -> i % 3 == 0).allMatch(indices)).isTrue();
    assertThat(IntStream.range(0, 200).filter(indices).count()).isEqualTo(40);
    assertThat(indices.test(2)).as("c, the user before").isFalse();
  }
}
