package io.personalize.graph;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each start item's expected walk visits ({@link WalkSettings.Visits#EXPECTED}), kept between
 * queries for as long as the graph rows they were computed from are unchanged, so a popular start
 * item costs one two-hop expansion per graph change rather than one per list.
 *
 * <p>Exact: an entry records the rows its power iteration read (the start item's and, for walks of
 * two steps, its neighbors') and the sum of their {@link CoInteractionGraph#rowStampAt stamps}.
 * Stamps only grow, and every change of a row (an added edge, a replaced, expired or removed list,
 * a slot released for reuse) raises its stamp, so an unchanged sum means every row is as it was and
 * the entry is what a new expansion would compute, bit for bit. In the job a replica changes only
 * when a watermark applies graph deltas, so the lists made between two watermarks share their
 * expansions; the evaluator changes its graph at every event, and hits less.
 *
 * <p>Bounded by the visited items and rows read held over all entries (12 and 4 bytes each): least
 * recently used entries go first.
 */
final class VisitCache {
  /**
   * One start item's visits: the reached slots and sqrt(expected visits / steps per walk) of each,
   * so that a start item with a budget of B steps adds sqrt(B) times that to an item's boost.
   */
  record Visits(int[] slots, double[] rootShares, int[] rowsRead, long stampSum) {
    int heldEntries() {
      return slots.length + rowsRead.length;
    }
  }

  private final Map<Integer, Visits> entries = new LinkedHashMap<>(64, 0.75f, true);
  private final long capacity;
  private long held;
  private long hits;
  private long misses;

  /**
   * @param capacity the most visited items and rows read held over all entries
   */
  VisitCache(long capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The start slot's visits if its rows are unchanged since they were computed, else null. */
  Visits valid(int start, CoInteractionGraph graph) {
    Visits visits = entries.get(start);
    if (visits != null) {
      long sum = 0;
      for (int row : visits.rowsRead) {
        sum += graph.rowStampAt(row);
      }
      if (sum == visits.stampSum) {
        hits++;
        return visits;
      }
      remove(start);
    }
    misses++;
    return null;
  }

  void put(int start, Visits visits) {
    if (visits.heldEntries() > capacity) {
      return;
    }
    Visits old = entries.put(start, visits);
    held += visits.heldEntries() - (old == null ? 0 : old.heldEntries());
    Iterator<Visits> eldest = entries.values().iterator();
    while (held > capacity) {
      held -= eldest.next().heldEntries();
      eldest.remove();
    }
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  private void remove(int start) {
    Visits old = entries.remove(start);
    if (old != null) {
      held -= old.heldEntries();
    }
  }
}
