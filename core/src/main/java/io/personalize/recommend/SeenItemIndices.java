package io.personalize.recommend;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * "Has the user seen item i?" for one user's {@link SeenItems}, asked by item index. The negative
 * sampler asks once per draw: a few times for most events, but for a user who has seen most of the
 * catalog about every item, and with a scan of the seen ids per question that was up to a million
 * string comparisons for one event (1,000 items), 90% of the user-sequence task's CPU on a
 * 500,000-event stream (docs/performance.md). So the first {@value #SCANNED_QUESTIONS} questions
 * scan the ids, and the next one marks every seen item in a bit set of item indices, which answers
 * the rest in constant time.
 *
 * <p>One instance serves every user of an operator in turn: {@link #load} forgets the previous
 * user's marks (as many as that user had, not the catalog), without allocating once the arrays have
 * grown to the largest user.
 */
public final class SeenItemIndices implements IntPredicate {
  /** About what marking a few dozen seen items costs; one question per negative is the usual. */
  static final int SCANNED_QUESTIONS = 16;

  private final BitSet marked = new BitSet();
  private int[] markedItems = new int[16];
  private int count;
  private SeenItems seen = new SeenItems();
  private ToIntFunction<String> indexOf;
  private IntFunction<String> idOf;
  private int questions;
  private boolean isMarked;

  /**
   * The user whose items the next questions are about. {@code indexOf} gives an item's index
   * (negative for an item without one, which is then never asked about), {@code idOf} an index's
   * item.
   */
  public SeenItemIndices load(
      SeenItems seen, ToIntFunction<String> indexOf, IntFunction<String> idOf) {
    for (int n = 0; n < count; n++) {
      marked.clear(markedItems[n]);
    }
    count = 0;
    this.seen = seen;
    this.indexOf = indexOf;
    this.idOf = idOf;
    questions = 0;
    isMarked = false;
    return this;
  }

  /** Whether the loaded user has seen the item at {@code index}. */
  @Override
  public boolean test(int index) {
    if (!isMarked) {
      if (++questions <= SCANNED_QUESTIONS) {
        return seen.contains(idOf.apply(index));
      }
      mark();
    }
    return marked.get(index);
  }

  private void mark() {
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
    isMarked = true;
  }
}
