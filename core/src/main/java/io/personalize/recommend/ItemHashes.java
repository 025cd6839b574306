package io.personalize.recommend;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The hash ({@link SeenItems#hash}) of each item of an index that only grows (items numbered from 0
 * in order of first appearance), each computed once, when first asked for: what a {@link SeenItems}
 * question by item index needs without hashing an id per question.
 */
public final class ItemHashes {
  private final IntFunction<String> idOf;
  private int[] hashes = new int[64];
  private int known;

  /**
   * @param idOf the id of the item at an index
   */
  public ItemHashes(IntFunction<String> idOf) {
    this.idOf = idOf;
  }

  public int of(int item) {
    if (item >= known) {
      if (item >= hashes.length) {
        hashes = Arrays.copyOf(hashes, Math.max(2 * hashes.length, item + 1));
      }
      for (; known <= item; known++) {
        hashes[known] = SeenItems.hash(idOf.apply(known));
      }
    }
    return hashes[item];
  }
}
