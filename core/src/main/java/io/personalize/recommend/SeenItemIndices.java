package io.personalize.recommend;

import io.personalize.util.IntHashSet;
import java.util.function.IntPredicate;

/**
 * "Has the user seen item i?" for one user's {@link SeenItems}, asked by item index. The negative
 * sampler asks once per draw: a few times for most events, but for a user who has seen most of the
 * catalog about every item, and with a scan of the seen items per question that was up to a million
 * comparisons for one event (1,000 items): with the ids as strings, 90% of the user-sequence task's
 * CPU on a 500,000-event stream (docs/performance.md). So the first {@value #SCANNED_QUESTIONS}
 * questions scan the user's hashes, and the next one puts them in a hash set, which answers the
 * rest in constant time.
 *
 * <p>One instance serves every user of an operator in turn: the set is refilled per user, without
 * allocating once it has grown to the largest user.
 */
public final class SeenItemIndices implements IntPredicate {
  /**
   * About what filling the set with a few dozen seen items costs; one question per negative is the
   * usual.
   */
  static final int SCANNED_QUESTIONS = 16;

  private final ItemHashes hashes;
  private final IntHashSet set = new IntHashSet();
  private SeenItems seen = new SeenItems();
  private int questions;
  private boolean isFilled;

  /**
   * @param hashes the hash of each item index the questions name
   */
  public SeenItemIndices(ItemHashes hashes) {
    this.hashes = hashes;
  }

  /** The user whose items the next questions are about. */
  public SeenItemIndices load(SeenItems seen) {
    this.seen = seen;
    questions = 0;
    isFilled = false;
    return this;
  }

  /** Whether the loaded user has seen the item at {@code index}. */
  @Override
  public boolean test(int index) {
    int hash = hashes.of(index);
    if (!isFilled) {
      if (++questions <= SCANNED_QUESTIONS) {
        return seen.contains(hash);
      }
      seen.into(set);
      isFilled = true;
    }
    return set.contains(hash);
  }
}
