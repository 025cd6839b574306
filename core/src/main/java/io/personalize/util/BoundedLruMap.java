package io.personalize.util;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A map that keeps at most {@code capacity} entries in access order: adding one more drops the
 * least recently used (read or written) entry and tells the listener, so that state kept beside the
 * map (a histogram, per-user sums) can forget it too. Bounded per-key state of the operators that
 * see every user (the global model's user rows, the coordinator's counts, the metrics' users).
 */
public final class BoundedLruMap<K, V> extends LinkedHashMap<K, V> {
  private final int capacity;
  private final BiConsumer<K, V> onEvict;
  private long evictions;

  public BoundedLruMap(int capacity) {
    this(capacity, (key, value) -> {});
  }

  /**
   * @param onEvict called with each entry dropped to make room, after it has left the map
   */
  public BoundedLruMap(int capacity, BiConsumer<K, V> onEvict) {
    super(16, 0.75f, true);
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.onEvict = onEvict;
  }

  public int capacity() {
    return capacity;
  }

  /** Entries dropped to make room so far. */
  public long evictions() {
    return evictions;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    if (size() <= capacity) {
      return false;
    }
    // LinkedHashMap removes the entry after this returns; remove it here so the listener sees the
    // map without it.
    remove(eldest.getKey());
    evictions++;
    onEvict.accept(eldest.getKey(), eldest.getValue());
    return false;
  }
}
