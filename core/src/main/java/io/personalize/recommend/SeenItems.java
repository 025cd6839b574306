package io.personalize.recommend;

import io.personalize.online.Ids;
import io.personalize.util.IntHashSet;
import java.util.Arrays;

/**
 * The latest distinct items a user interacted with, oldest first, at most a cap: what lists leave
 * out and what the ranking model never draws as the user's negatives. A Flink POJO (keyed state of
 * the user-sequence and recommendation operators). Bounded by the cap, so a user's state does not
 * grow with the user's events; an item older than the cap's worth of distinct items may be
 * recommended again.
 *
 * <p>Items are kept as 32-bit hashes of their ids ({@link #hash}): both operators read and write
 * this state at every event, and up to 1,000 ids were a string each to decode, encode and compare
 * (docs/performance.md); a hash is 4 bytes whatever the id's length (64-bit hashes made the state
 * of the benchmark's 2-4 character ids 8% larger). The price is a false "seen": an item the user
 * has not seen but whose hash is among the user's 1,000 has probability 1,000 / 2^32 (2.3 * 10^-7),
 * so a list that weighs 200 candidates misses one with probability about 5 * 10^-5, and a negative
 * draw is retried.
 */
public class SeenItems {
  /** The items' hashes ({@link #hash}), oldest first. */
  public int[] hashes = new int[0];

  /**
   * The items' ids, as state written before 2026-12-05 holds them (oldest first); empty since.
   * {@link #upgrade} moves them into {@link #hashes}.
   */
  public String[] items = new String[0];

  /** Event time of the user's latest event (epoch ms), for idle expiry. */
  public long lastEventTimeMillis = Long.MIN_VALUE;

  public SeenItems() {}

  /** An item's hash: its id's 64-bit {@link Ids#hash}, folded to 32 bits. */
  public static int hash(String item) {
    long h = Ids.hash(item);
    return (int) (h ^ (h >>> 32));
  }

  /** Turns ids restored from state written before the hashes into hashes; returns this. */
  public SeenItems upgrade() {
    if (items.length > 0) {
      int[] upgraded = new int[items.length];
      for (int n = 0; n < items.length; n++) {
        upgraded[n] = hash(items[n]);
      }
      hashes = upgraded;
      items = new String[0];
    }
    return this;
  }

  /** Remembers an interaction: the item becomes the latest; the oldest goes beyond {@code cap}. */
  public void remember(String item, int cap) {
    remember(hash(item), cap);
  }

  /** {@link #remember(String, int)} of the item whose hash is {@code hash}. */
  public void remember(int hash, int cap) {
    int at = indexOf(hash);
    int[] next;
    if (at >= 0) {
      next = new int[hashes.length];
      System.arraycopy(hashes, 0, next, 0, at);
      System.arraycopy(hashes, at + 1, next, at, hashes.length - at - 1);
    } else if (hashes.length < cap) {
      next = Arrays.copyOf(hashes, hashes.length + 1);
    } else {
      next = Arrays.copyOfRange(hashes, hashes.length - cap + 1, hashes.length + 1);
    }
    next[next.length - 1] = hash;
    hashes = next;
  }

  public boolean contains(String item) {
    return contains(hash(item));
  }

  /** Whether the item whose hash is {@code hash} is among the seen: a scan, for a few questions. */
  public boolean contains(int hash) {
    return indexOf(hash) >= 0;
  }

  private int indexOf(int hash) {
    for (int n = 0; n < hashes.length; n++) {
      if (hashes[n] == hash) {
        return n;
      }
    }
    return -1;
  }

  public int size() {
    return hashes.length;
  }

  /** The hashes in {@code set} (emptied first), for many questions in a row; returns it. */
  public IntHashSet into(IntHashSet set) {
    return set.fill(hashes);
  }
}
