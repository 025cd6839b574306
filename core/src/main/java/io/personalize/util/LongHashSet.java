package io.personalize.util;

import java.util.Arrays;

/**
 * A set of longs in one open-addressing array: no boxing, and {@link #fill} reuses the array, so a
 * set rebuilt per user allocates only when a user has more values than any before.
 */
public final class LongHashSet {
  private static final long FREE = 0;

  private long[] slots = new long[16];
  private int size;
  private boolean hasFree; // FREE marks an empty slot, so the value 0 is kept apart

  public int size() {
    return size + (hasFree ? 1 : 0);
  }

  /** Empties the set and adds {@code values}. */
  public LongHashSet fill(long[] values) {
    clear();
    for (long v : values) {
      add(v);
    }
    return this;
  }

  public void clear() {
    if (size > 0) {
      Arrays.fill(slots, FREE);
    }
    size = 0;
    hasFree = false;
  }

  /** Adds {@code value}; whether it was new. */
  public boolean add(long value) {
    if (value == FREE) {
      boolean added = !hasFree;
      hasFree = true;
      return added;
    }
    if (2 * (size + 1) > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int at = spread(value) & mask; ; at = (at + 1) & mask) {
      if (slots[at] == value) {
        return false;
      }
      if (slots[at] == FREE) {
        slots[at] = value;
        size++;
        return true;
      }
    }
  }

  public boolean contains(long value) {
    if (value == FREE) {
      return hasFree;
    }
    int mask = slots.length - 1;
    for (int at = spread(value) & mask; ; at = (at + 1) & mask) {
      if (slots[at] == value) {
        return true;
      }
      if (slots[at] == FREE) {
        return false;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long v : old) {
      if (v != FREE) {
        add(v);
      }
    }
  }

  /** The high bits folded into the low ones, which pick the slot. */
  private static int spread(long value) {
    long h = value * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
