package io.personalize.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.online.Ids;
import io.personalize.util.LongHashSet;
import org.junit.jupiter.api.Test;

class SeenItemsTest {
  private static long[] hashes(String... items) {
    long[] hashes = new long[items.length];
    for (int n = 0; n < items.length; n++) {
      hashes[n] = Ids.hash(items[n]);
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
    LongHashSet set = seen.into(new LongHashSet());
    assertThat(set.size()).isEqualTo(3);
    assertThat(set.contains(Ids.hash("c"))).isTrue();
    assertThat(set.contains(Ids.hash("b"))).isFalse();
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
