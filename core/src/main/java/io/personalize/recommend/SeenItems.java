package io.personalize.recommend;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The latest distinct items a user interacted with, oldest first, at most a cap: what lists leave
 * out and what the ranking model never draws as the user's negatives. A Flink POJO (keyed state).
 * Bounded by the cap, so a user's state does not grow with the user's events; an item older than
 * the cap's worth of distinct items may be recommended again.
 */
public class SeenItems {
  public String[] items = new String[0];

  /** Event time of the user's latest event (epoch ms), for idle expiry. */
  public long lastEventTimeMillis = Long.MIN_VALUE;

  public SeenItems() {}

  /** Remembers an interaction: the item becomes the latest; the oldest goes beyond {@code cap}. */
  public void remember(String item, int cap) {
    int at = indexOf(item);
    String[] next;
    if (at >= 0) {
      next = new String[items.length];
      System.arraycopy(items, 0, next, 0, at);
      System.arraycopy(items, at + 1, next, at, items.length - at - 1);
    } else if (items.length < cap) {
      next = Arrays.copyOf(items, items.length + 1);
    } else {
      next = Arrays.copyOfRange(items, items.length - cap + 1, items.length + 1);
    }
    next[next.length - 1] = item;
    items = next;
  }

  public boolean contains(String item) {
    return indexOf(item) >= 0;
  }

  /**
   * A plain scan: {@code List.of(items)} would copy the array (up to the cap) on every call, and
   * the negative sampler asks once per draw.
   */
  private int indexOf(String item) {
    for (int n = 0; n < items.length; n++) {
      if (items[n].equals(item)) {
        return n;
      }
    }
    return -1;
  }

  public int size() {
    return items.length;
  }

  /** The items as a set, for many lookups in a row. */
  public Set<String> asSet() {
    return new HashSet<>(List.of(items));
  }
}
