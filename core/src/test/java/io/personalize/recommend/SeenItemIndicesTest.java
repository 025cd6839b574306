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

  private static List<Integer> marked(SeenItemIndices indices) {
    return IntStream.range(0, CATALOG.size()).filter(indices).boxed().toList();
  }

  @Test
  void answersForTheLoadedUserOnlyAsTheScanDoes() {
    SeenItemIndices indices = new SeenItemIndices();
    SeenItems first = seen("b", "d", "b");
    indices.load(first, CATALOG::indexOf);
    assertThat(marked(indices)).containsExactly(1, 3);
    for (int i = 0; i < CATALOG.size(); i++) {
      assertThat(indices.test(i)).isEqualTo(first.contains(CATALOG.get(i)));
    }
    // The next user's marks replace the first's: nothing of b and d is left.
    indices.load(seen("a", "e"), CATALOG::indexOf);
    assertThat(marked(indices)).containsExactly(0, 4);
    indices.load(new SeenItems(), CATALOG::indexOf);
    assertThat(marked(indices)).isEmpty();
  }

  @Test
  void anItemWithoutAnIndexIsLeftOutAndAUserLargerThanTheLastFits() {
    SeenItemIndices indices = new SeenItemIndices();
    indices.load(seen("x", "c"), CATALOG::indexOf); // x has no index: -1
    assertThat(marked(indices)).containsExactly(2);
    SeenItems many = new SeenItems();
    for (int n = 0; n < 40; n++) {
      many.remember("item-" + n, 100);
    }
    indices.load(many, id -> Integer.parseInt(id.substring(5)) * 3);
    assertThat(IntStream.range(0, 200).filter(indices).count()).isEqualTo(40);
    assertThat(indices.test(39 * 3)).isTrue();
    assertThat(indices.test(2)).as("c, the user before").isFalse();
  }
}
