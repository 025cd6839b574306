package io.personalize.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairCombinerTest {
  @Test
  void groupsPairsBySourceInTheOrderTheyCame() {
    PairCombiner combiner = new PairCombiner();
    combiner.add(new ItemPair("a", "b", 1.0, 10));
    combiner.add(new ItemPair("x", "y", 0.5, 11));
    combiner.add(new ItemPair("a", "c", 0.25, 12));
    combiner.add(new ItemPair("a", "b", 2.0, 9));
    assertThat(combiner.held()).isEqualTo(4);

    List<ItemPairs> groups = combiner.drain();

    assertThat(groups).extracting(g -> g.from).containsExactly("a", "x");
    ItemPairs a = groups.get(0);
    assertThat(a.to).containsExactly("b", "c", "b");
    assertThat(a.weights).containsExactly(1.0, 0.25, 2.0);
    assertThat(a.timesMillis).containsExactly(10L, 12L, 9L);
    assertThat(a.latestMillis()).isEqualTo(12);
    assertThat(groups.get(1).to).containsExactly("y");
  }

  @Test
  void drainingForgetsWhatWasHeld() {
    PairCombiner combiner = new PairCombiner();
    for (int n = 0; n < 9; n++) { // past the first capacity of a group
      combiner.add(new ItemPair("a", "i" + n, 1.0, n));
    }
    assertThat(combiner.drain().get(0).size()).isEqualTo(9);
    assertThat(combiner.held()).isZero();
    assertThat(combiner.drain()).isEmpty();
    combiner.add(new ItemPair("b", "a", 1.0, 0));
    assertThat(combiner.drain()).extracting(g -> g.from).containsExactly("b");
  }
}
