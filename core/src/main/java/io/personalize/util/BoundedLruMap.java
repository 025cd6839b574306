package io.personalize.util;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A map that keeps at most {@code capacity} entries in access order: adding one more drops the
 * least recently used (read or written) entry and tells the listener, so that state kept beside the
 * map (a histogram, per-user sums) can forget it too. Bounded per-key state of the operators that
 * see every user (the global model's user rows, the coordinator's counts, the metrics' users).
 *
 * <p>Entries can also expire by time: a caller that notes when each key was {@link #seen} (event
 * time) drops the keys not seen since a cutoff with {@link #expireSeenBefore}, so that the map
 * follows the users' idle expiry rather than filling up to its capacity when many users come once.
 */
public final class BoundedLruMap<K, V> extends LinkedHashMap<K, V> {
  private final int capacity;
  private final BiConsumer<K, V> onEvict;
  private long evictions;

  /** When each key was last seen, for the keys {@link #seen} was called for. */
  private final Map<K, Long> seenAt = new HashMap<>();

  /** When the keys never {@link #seen} count as seen: the first expiry's "now". */
  private long unseenAt = Long.MIN_VALUE;

  private boolean expiredBefore;
  private long expirations;

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

  /** Entries dropped by {@link #expireSeenBefore} so far. */
  public long expirations() {
    return expirations;
  }

  /**
   * Notes that {@code key} was seen at {@code timeMillis}; an earlier time than the one noted (an
   * out-of-order event) changes nothing.
   */
  public void seen(K key, long timeMillis) {
    seenAt.merge(key, timeMillis, Math::max);
  }

  /**
   * Drops the entries last seen before {@code cutoffMillis}, least recently used first, and tells
   * the listener of each. It stops at the first entry seen since: the order is of use, not of time,
   * so an entry behind a more recent one waits until that one goes (with event times that mostly
   * increase, not for long). Entries never {@link #seen} (restored from a snapshot that kept no
   * times) count as seen at the {@code nowMillis} of the first call.
   */
  public void expireSeenBefore(long cutoffMillis, long nowMillis) {
    if (!expiredBefore) {
      expiredBefore = true;
      unseenAt = nowMillis;
    }
    Iterator<Map.Entry<K, V>> eldestFirst = entrySet().iterator();
    while (eldestFirst.hasNext()) {
      Map.Entry<K, V> eldest = eldestFirst.next();
      if (seenAt.getOrDefault(eldest.getKey(), unseenAt) >= cutoffMillis) {
        return;
      }
      eldestFirst.remove();
      seenAt.remove(eldest.getKey());
      expirations++;
      onEvict.accept(eldest.getKey(), eldest.getValue());
    }
  }

  @Override
  public V remove(Object key) {
    seenAt.remove(key);
    return super.remove(key);
  }

  @Override
  public void clear() {
    seenAt.clear();
    super.clear();
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
