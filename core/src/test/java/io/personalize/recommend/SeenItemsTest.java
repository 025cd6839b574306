package io.personalize.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.util.IntHashSet;
import org.junit.jupiter.api.Test;

class SeenItemsTest {
  private static int[] hashes(String... items) {
    int[] hashes = new int[items.length];
    for (int n = 0; n < items.length; n++) {
      hashes[n] = SeenItems.hash(items[n]);
    }
    return hashes;
  }

  @Test
  void keepsTheLatestDistinctItemsOldestFirstUpToTheCap() {
    SeenItems seen = new SeenItems();
    seen.remember("a", 3);
    seen.remember("b", 3);
    seen.remember("a", 3); // a repeat moves to the end, no duplicate
    assertThat(seen.hashes).containsExactly(hashes("b", "a"));
    seen.remember("c", 3);
    seen.remember("d", 3); // over the cap: the oldest goes
    assertThat(seen.hashes).containsExactly(hashes("a", "c", "d"));
    assertThat(seen.contains("a")).isTrue();
    assertThat(seen.contains("b")).isFalse();
    assertThat(seen.contains(new String("d"))).isTrue(); // by equality, not identity
    assertThat(seen.size()).isEqualTo(3);
    IntHashSet set = seen.into(new IntHashSet());
    assertThat(set.size()).isEqualTo(3);
    assertThat(set.contains(SeenItems.hash("c"))).isTrue();
    assertThat(set.contains(SeenItems.hash("b"))).isFalse();
  }

  @Test
  void aRepeatAtTheCapKeepsEveryOtherItem() {
    SeenItems seen = new SeenItems();
    for (String item : new String[] {"a", "b", "c"}) {
      seen.remember(item, 3);
    }
    seen.remember("b", 3);
    assertThat(seen.hashes).containsExactly(hashes("a", "c", "b"));
  }

  @Test
  void anItemsHashFoldsItsIdsHashTo32Bits() {
    // Ids.hash("a") = 0xaf63dc4c8601ec8c (FNV-1a 64): 0xaf63dc4c ^ 0x8601ec8c.
    assertThat(io.personalize.online.Ids.hash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(SeenItems.hash("a")).isEqualTo(0xaf63dc4c ^ 0x8601ec8c);
  }

  @Test
  void idsFromStateWrittenBeforeTheHashesBecomeHashesInOrder() {
    SeenItems restored = new SeenItems();
    restored.items = new String[] {"x", "y"};
    assertThat(restored.upgrade()).isSameAs(restored);
    assertThat(restored.items).isEmpty();
    assertThat(restored.hashes).containsExactly(hashes("x", "y"));
    restored.remember("x", 2);
    assertThat(restored.hashes).containsExactly(hashes("y", "x"));
    assertThat(restored.upgrade().hashes).as("nothing left to upgrade").hasSize(2);
  }
}
