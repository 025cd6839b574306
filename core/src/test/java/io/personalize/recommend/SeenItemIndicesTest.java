package io.personalize.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeenItemIndicesTest {
  private static final List<String> CATALOG = List.of("a", "b", "c", "d", "e");

  private static SeenItems seen(String... items) {
    SeenItems seen = new SeenItems();
    for (String item : items) {
      seen.remember(item, 10);
    }
    return seen;
  }

  /** The indices of a..e the loaded user has seen, asking about each {@code rounds} times. */
  private static List<Integer> answers(SeenItemIndices indices, int rounds) {
    List<Integer> seen = List.of();
    for (int round = 0; round < rounds; round++) {
      seen = IntStream.range(0, 5).filter(indices).boxed().toList();
    }
    return seen;
  }

  @Test
  void theFirstQuestionsScanAndTheRestAskTheSetWithTheSameAnswers() {
    // x is an item outside the catalog the questions name.
    SeenItemIndices indices = new SeenItemIndices(new ItemHashes(CATALOG::get));
    indices.load(seen("b", "d", "b", "x"));
    assertThat(answers(indices, 1)).as("5 questions, scanned").containsExactly(1, 3);
    assertThat(answers(indices, 4))
        .as("past %s, from the set", SeenItemIndices.SCANNED_QUESTIONS)
        .containsExactly(1, 3);
  }

  @Test
  void aNewUserForgetsThePreviousUsersItems() {
    SeenItemIndices indices = new SeenItemIndices(new ItemHashes(CATALOG::get));
    indices.load(seen("b", "d"));
    assertThat(answers(indices, 4)).containsExactly(1, 3);
    indices.load(seen("a", "e"));
    assertThat(answers(indices, 1)).containsExactly(0, 4);
    assertThat(answers(indices, 4)).containsExactly(0, 4);
    indices.load(new SeenItems());
    assertThat(answers(indices, 4)).isEmpty();
  }

  @Test
  void aUserWithMoreItemsThanAnyBeforeIsAskedAboutWhole() {
    SeenItemIndices indices =
        new SeenItemIndices(new ItemHashes(i -> i % 3 == 0 ? "item-" + i / 3 : "other-" + i));
    indices.load(seen("item-0"));
    answers(indices, 4);
    SeenItems many = new SeenItems();
    for (int n = 0; n < 40; n++) {
      many.remember("item-" + n, 100);
    }
    indices.load(many);
    assertThat(IntStream.range(0, 120).filter(i -> i % 3 == 0).allMatch(indices)).isTrue();
    assertThat(IntStream.range(0, 200).filter(indices).count()).isEqualTo(40);
  }
}
