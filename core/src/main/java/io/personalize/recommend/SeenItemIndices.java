package io.personalize.recommend;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * One user's {@link SeenItems} as item indices, answering "has the user seen item i?" in constant
 * time. The negative sampler asks once per draw, and for a user who has seen most of the catalog it
 * asks about every item: with a scan of the seen ids per question that was up to a million string
 * comparisons per event (1,000 items), 90% of the user-sequence task's CPU on a 500,000-event
 * stream (docs/performance.md). One instance serves every user of an operator in turn: {@link
 * #load} clears the previous user's marks (as many as that user had, not the catalog) and marks
 * this user's, without allocating once the arrays have grown to the largest user.
 */
public final class SeenItemIndices implements IntPredicate {
  private final BitSet marked = new BitSet();
  private int[] markedItems = new int[16];
  private int count;

  /**
   * Marks {@code seen}'s items, by {@code indexOf} (negative for an item without an index, which is
   * then never asked about), and forgets the items of the user loaded before.
   */
  public SeenItemIndices load(SeenItems seen, ToIntFunction<String> indexOf) {
    for (int n = 0; n < count; n++) {
      marked.clear(markedItems[n]);
    }
    count = 0;
    if (markedItems.length < seen.items.length) {
      markedItems = Arrays.copyOf(markedItems, seen.items.length);
    }
    for (String item : seen.items) {
      int index = indexOf.applyAsInt(item);
      if (index >= 0) {
        marked.set(index);
        markedItems[count++] = index;
      }
    }
    return this;
  }

  /** Whether the loaded user has seen the item at {@code index}. */
  @Override
  public boolean test(int index) {
    return marked.get(index);
  }
}
