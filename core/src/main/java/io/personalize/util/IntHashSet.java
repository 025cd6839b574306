package io.personalize.util;

import java.util.Arrays;

/**
 * A set of ints in one open-addressing array: no boxing, and {@link #fill} reuses the array, so a
 * set rebuilt per user allocates only when a user has more values than any before.
 */
public final class IntHashSet {
  private static final int FREE = 0;

  private int[] slots = new int[16];
  private int size;
  private boolean hasFree; // FREE marks an empty slot, so the value 0 is kept apart

  public int size() {
    return size + (hasFree ? 1 : 0);
  }

  /** Empties the set and adds {@code values}; returns it. */
  public IntHashSet fill(int[] values) {
    clear();
    for (int v : values) {
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
  public boolean add(int value) {
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

  public boolean contains(int value) {
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
    int[] old = slots;
    slots = new int[old.length * 2];
    size = 0;
    for (int v : old) {
      if (v != FREE) {
        add(v);
      }
    }
  }

  /** Mixes the high bits into the low ones, which pick the slot. */
  private static int spread(int value) {
    int h = value * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
