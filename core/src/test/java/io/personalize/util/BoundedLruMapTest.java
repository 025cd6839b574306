package io.personalize.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** At most {@code capacity} entries; the least recently used one leaves first, with a callback. */
class BoundedLruMapTest {

  @Test
  void aThirdKeyEvictsTheLeastRecentlyInserted() {
    List<String> evicted = new ArrayList<>();
    BoundedLruMap<String, Integer> map =
        new BoundedLruMap<>(2, (key, value) -> evicted.add(key + "=" + value));
    map.put("a", 1);
    map.put("b", 2);
    assertThat(map.evictions()).isZero();
    map.put("c", 3);
    assertThat(evicted).containsExactly("a=1");
    assertThat(map).containsOnlyKeys("b", "c");
    assertThat(map.evictions()).isEqualTo(1);
    assertThat(map.capacity()).isEqualTo(2);
  }

  @Test
  void aGetRefreshesTheKey() {
    List<String> evicted = new ArrayList<>();
    BoundedLruMap<String, Integer> map = new BoundedLruMap<>(2, (key, v) -> evicted.add(key));
    map.put("a", 1);
    map.put("b", 2);
    // Reading a makes b the least recently used.
    assertThat(map.get("a")).isEqualTo(1);
    map.put("c", 3);
    assertThat(evicted).containsExactly("b");
    assertThat(map).containsOnlyKeys("a", "c");
    // Writing an existing key refreshes it too (and evicts nothing): now a is the eldest.
    map.put("c", 30);
    map.put("d", 4);
    assertThat(evicted).containsExactly("b", "a");
    assertThat(map).containsOnlyKeys("c", "d");
    assertThat(map.get("c")).isEqualTo(30);
    assertThat(map.evictions()).isEqualTo(2);
  }

  @Test
  void theListenerSeesTheMapWithoutTheEvictedEntry() {
    List<String> seen = new ArrayList<>();
    AtomicReference<BoundedLruMap<String, Integer>> map = new AtomicReference<>();
    map.set(
        new BoundedLruMap<>(
            2,
            (key, value) -> {
              assertThat(map.get().containsKey(key)).as("evicted key still in the map").isFalse();
              seen.add(key + "=" + value + " size " + map.get().size());
            }));
    map.get().put("a", 1);
    map.get().put("b", 2);
    map.get().put("c", 3);
    map.get().computeIfAbsent("d", k -> 4);
    map.get().merge("e", 5, Integer::sum);
    // Each listener call sees the new entry in and the old one out: size = capacity.
    assertThat(seen).containsExactly("a=1 size 2", "b=2 size 2", "c=3 size 2");
    assertThat(map.get()).containsOnlyKeys("d", "e");
    assertThat(map.get().evictions()).isEqualTo(3);
  }

  @Test
  void capacityOneKeepsOnlyTheLatestKey() {
    BoundedLruMap<String, Integer> map = new BoundedLruMap<>(1);
    map.put("a", 1);
    map.put("a", 2);
    assertThat(map.evictions()).isZero();
    map.put("b", 3);
    assertThat(map).containsOnlyKeys("b");
    assertThat(map.evictions()).isEqualTo(1);
  }

  @Test
  void removingAnEntryIsNotAnEviction() {
    List<String> evicted = new ArrayList<>();
    BoundedLruMap<String, Integer> map = new BoundedLruMap<>(2, (key, v) -> evicted.add(key));
    map.put("a", 1);
    map.put("b", 2);
    map.remove("a");
    map.put("c", 3);
    assertThat(evicted).isEmpty();
    assertThat(map.evictions()).isZero();
    assertThat(map).containsOnlyKeys("b", "c");
  }

  @Test
  void capacityBelowOneIsRejected() {
    assertThatThrownBy(() -> new BoundedLruMap<String, Integer>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
    assertThatThrownBy(() -> new BoundedLruMap<String, Integer>(-3, (k, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entriesSeenBeforeTheCutoffExpireLeastRecentFirstAndTellTheListener() {
    List<String> evicted = new ArrayList<>();
    BoundedLruMap<String, Integer> map = new BoundedLruMap<>(10, (key, v) -> evicted.add(key));
    map.put("a", 1);
    map.seen("a", 1_000);
    map.put("b", 2);
    map.seen("b", 2_000);
    map.put("c", 3);
    map.seen("c", 3_000);
    map.get("a");
    map.seen("a", 4_000);

    map.expireSeenBefore(3_000, 4_000);

    assertThat(map).containsOnlyKeys("c", "a");
    assertThat(evicted).containsExactly("b");
    assertThat(map.expirations()).isEqualTo(1);
    assertThat(map.evictions()).isZero();
    map.expireSeenBefore(10_000, 10_000);
    assertThat(map).isEmpty();
    assertThat(evicted).containsExactly("b", "c", "a");
  }

  @Test
  void entriesNeverSeenCountAsSeenAtTheFirstExpiry() {
    BoundedLruMap<String, Integer> map = new BoundedLruMap<>(10);
    map.put("restored", 1); // as a restore puts them: no time kept in the snapshot

    map.expireSeenBefore(5_000, 8_000);
    assertThat(map).containsOnlyKeys("restored");
    map.expireSeenBefore(7_999, 20_000);
    assertThat(map).containsOnlyKeys("restored");
    map.expireSeenBefore(8_001, 20_000);
    assertThat(map).isEmpty();
  }
}
