package io.personalize.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenItemsTest {
  @Test
  void keepsTheLatestDistinctItemsOldestFirstUpToTheCap() {
    SeenItems seen = new SeenItems();
    seen.remember("a", 3);
    seen.remember("b", 3);
    seen.remember("a", 3); // a repeat moves to the end, no duplicate
    assertThat(seen.items).containsExactly("b", "a");
    seen.remember("c", 3);
    seen.remember("d", 3); // over the cap: the oldest goes
    assertThat(seen.items).containsExactly("a", "c", "d");
    assertThat(seen.contains("a")).isTrue();
    assertThat(seen.contains("b")).isFalse();
    assertThat(seen.contains(new String("d"))).isTrue(); // by equality, not identity
    assertThat(seen.size()).isEqualTo(3);
    assertThat(seen.asSet()).containsExactlyInAnyOrder("a", "c", "d");
  }

  @Test
  void aRepeatAtTheCapKeepsEveryOtherItem() {
    SeenItems seen = new SeenItems();
    for (String item : new String[] {"a", "b", "c"}) {
      seen.remember(item, 3);
    }
    seen.remember("b", 3);
    assertThat(seen.items).containsExactly("a", "c", "b");
  }
}
