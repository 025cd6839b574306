package io.personalize.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The directed item co-interaction graph, item id -> its {@link ItemEdges}, with what walks need
 * precomputed whenever a list changes: neighbors resolved to slots, total weights for sampling by
 * weight, and each item's in-degree and weighted in-degree for the popularity correction, kept
 * incrementally.
 *
 * <p>The evaluator builds it with {@link #add} and {@link #expire} (the graph operator's pairs and
 * timers); a per-user operator's replica with {@link #replace} (what a {@link GraphDelta} carries).
 * Ids are held in slots; an item with neither out- nor in-edges gives its slot back, so memory
 * follows the live graph, not every item ever seen.
 *
 * <p>Weighted in-degrees sum edges stored at different reference times. Each edge enters the sum
 * scaled to a common epoch (w * 2^((reference - epoch) / halfLife)), so the sum stays exact as
 * lists come and go; {@link #weightedInDegree} reads it decayed to the graph's latest time, the
 * newest reference time of any list. The epoch moves forward every 32 half-lives to keep the scale
 * within double range.
 *
 * <p>Heap, measured on 20,000 items: per edge 16 bytes (id reference 4, weight 8, resolved slot 4);
 * per item with out-edges about 210 bytes (index entry, slot arrays, list object, three array
 * headers) plus its id string (about 50 bytes for up to 8 characters; neighbor ids share it), and
 * about 40 more for the expiry timer of a list built by {@link #add}. 2,000 items with 50 neighbors
 * each: about 2.1 MB. Not thread-safe: one per operator or evaluator thread.
 */
public final class CoInteractionGraph {
  /**
   * The "no item yet" node: links to the first items new users touch, and starts the walks of a
   * user with no items. The empty string, which event validation rejects as an item id.
   */
  public static final String NO_ITEM = "";

  private static final double EPOCH_SPAN_HALF_LIVES = 32;
  private static final long NO_TIMER = Long.MIN_VALUE;

  /** An item's expiry timer; stale when the item's {@code timerAt} slot holds another time. */
  private record Timer(long atMillis, String item) {}

  private final GraphSettings settings;
  private final Map<String, Integer> slots = new HashMap<>();
  private int[] freeSlots = new int[0];
  private int freeCount;
  private int used;
  private String[] ids = new String[16];
  private ItemEdges[] edges = new ItemEdges[16];
  private int[][] targets = new int[16][];
  private double[] totalWeight = new double[16];
  private int[] inDegree = new int[16];
  private double[] scaledInWeight = new double[16];
  private long[] timerAt = newTimers(16);
  // Raised at every change of a slot's row: what lets walks keep an expansion (VisitCache).
  private long[] rowStamp = new long[16];
  private long stamps;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));
  private int sources;
  private long edgeCount;
  private boolean timed;
  private long epochMillis;
  private long latestMillis;
  private double latestFactor = 1;

  public CoInteractionGraph(GraphSettings settings) {
    this.settings = settings;
  }

  public GraphSettings settings() {
    return settings;
  }

  /**
   * Adds {@code weight} to the edge from -> to as of {@code eventTimeMillis} and prunes from's list
   * ({@link ItemEdges#add}, then {@link ItemEdges#prune}): what the graph operator does with one
   * {@link ItemPair}, including its timer at the list's {@link ItemEdges#expiryMillis} (see {@link
   * #expire}). Returns from's list after the update, owned by the graph (copy it before changing or
   * keeping it); empty when pruning left nothing.
   */
  public ItemEdges add(String from, String to, double weight, long eventTimeMillis) {
    int slot = slot(from);
    ItemEdges list = edges[slot] == null ? new ItemEdges() : edges[slot];
    int[] oldTargets = targets[slot] == null ? new int[0] : targets[slot];
    double[] oldWeights = list.weights.clone();
    long oldReference = list.referenceMillis;
    int changed = list.addAt(to, weight, eventTimeMillis, settings);
    int[] extended = changed < oldTargets.length ? oldTargets : append(oldTargets, slot(to));
    int[] order = list.pruneOrder(settings);
    if (!list.isEmpty()) {
      advanceTime(list.referenceMillis);
    }
    // Decay leaves an edge's scaled weight as it was: only the edges dropped and the one that
    // gained weight change the in-degrees.
    double oldScale = scale(oldReference);
    double newScale = scale(list.referenceMillis);
    boolean[] kept = new boolean[extended.length];
    for (int n : order) {
      kept[n] = true;
    }
    for (int n = 0; n < oldTargets.length; n++) {
      if (!kept[n] || n == changed) {
        scaledInWeight[oldTargets[n]] -= oldWeights[n] * oldScale;
        inDegree[oldTargets[n]] -= kept[n] ? 0 : 1;
      }
    }
    int[] resolved = new int[order.length];
    double total = 0;
    for (int k = 0; k < order.length; k++) {
      resolved[k] = extended[order[k]];
      list.neighbors[k] = ids[resolved[k]]; // one string per id, shared with the index
      total += list.weights[k];
      if (order[k] == changed) {
        scaledInWeight[resolved[k]] += list.weights[k] * newScale;
        inDegree[resolved[k]] += changed < oldTargets.length ? 0 : 1;
      }
    }
    sources += (order.length > 0 ? 1 : 0) - (oldTargets.length > 0 ? 1 : 0);
    edgeCount += order.length - oldTargets.length;
    edges[slot] = order.length > 0 ? list : null;
    targets[slot] = order.length > 0 ? resolved : null;
    totalWeight[slot] = total;
    rowStamp[slot] = ++stamps;
    for (int n = 0; n < extended.length; n++) {
      if (!kept[n] && inDegree[extended[n]] == 0) {
        scaledInWeight[extended[n]] = 0; // no rounding residue once the last in-edge left
        releaseIfUnused(extended[n]);
      }
    }
    releaseIfUnused(slot);
    // An add never brings the expiry forward (decay keeps it, more weight or pruning delays it):
    // a timer already set fires early at worst, and is then moved to the list's expiry.
    if (!list.isEmpty() && timerAt[slot] == NO_TIMER) {
      schedule(slot, list.expiryMillis(settings));
    }
    return list;
  }

  public ItemEdges add(ItemPair pair) {
    return add(pair.from(), pair.to(), pair.weight(), pair.timeMillis());
  }

  /**
   * Replaces the item's out-edges by a copy of {@code list} (what a replica does with a delta);
   * null or an empty list removes them.
   */
  public void replace(String item, ItemEdges list) {
    if (list == null || list.isEmpty()) {
      remove(item);
      return;
    }
    if (list.weights.length != list.neighbors.length) {
      throw new IllegalArgumentException(
          item + ": " + list.neighbors.length + " neighbors, " + list.weights.length + " weights");
    }
    for (double w : list.weights) {
      if (!(w > 0 && Double.isFinite(w))) {
        throw new IllegalArgumentException(item + ": edge weight must be > 0, was " + w);
      }
    }
    set(slot(item), list.copy());
  }

  /**
   * Fires the timers of lists built by {@link #add} due at or before {@code watermarkMillis}, as
   * the graph operator's event-time timers do: a list whose strongest edge has decayed below the
   * minimum weight is decayed to its expiry and pruned, which leaves nothing, and removed; a list
   * that grew since its timer was set gets a timer at its new expiry. Returns the removed items, in
   * expiry order. Lists set by {@link #replace} have no timers: their sender expires them.
   */
  public List<String> expire(long watermarkMillis) {
    List<String> removed = new ArrayList<>();
    while (!timers.isEmpty() && timers.peek().atMillis <= watermarkMillis) {
      Timer timer = timers.poll();
      Integer slot = slots.get(timer.item);
      if (slot == null || timerAt[slot] != timer.atMillis) {
        continue; // stale: the item was removed, or has a newer timer
      }
      timerAt[slot] = NO_TIMER;
      ItemEdges list = edges[slot];
      if (list == null) {
        continue;
      }
      long expiry = list.expiryMillis(settings);
      if (expiry > watermarkMillis) {
        schedule(slot, expiry);
        continue;
      }
      ItemEdges pruned = list.copy();
      pruned.decayTo(expiry, settings);
      pruned.prune(settings);
      // Empty: at its expiry even the strongest edge is below the minimum (the same product
      // expiryMillis tests).
      set(slot, pruned);
      removed.add(timer.item);
    }
    return removed;
  }

  /** Removes the item's out-edges (its in-edges stay with their source items). */
  public void remove(String item) {
    Integer slot = slots.get(item);
    if (slot != null) {
      set(slot, null);
    }
  }

  /** The item's out-edges, owned by the graph (do not change them); null when it has none. */
  public ItemEdges neighbors(String item) {
    Integer slot = slots.get(item);
    return slot == null ? null : edges[slot];
  }

  /** The items that have out-edges ({@link #NO_ITEM} among them once a new user was seen). */
  public List<String> items() {
    List<String> items = new ArrayList<>(sources);
    for (int s = 0; s < used; s++) {
      if (edges[s] != null) {
        items.add(ids[s]);
      }
    }
    return items;
  }

  /** The number of items that have out-edges. */
  public int size() {
    return sources;
  }

  public long edgeCount() {
    return edgeCount;
  }

  /** The newest reference time of any list added or replaced so far (0 before any). */
  public long latestMillis() {
    return latestMillis;
  }

  /** The number of items with an edge to {@code item}. */
  public int inDegree(String item) {
    Integer slot = slots.get(item);
    return slot == null ? 0 : inDegree[slot];
  }

  /** The summed weight of the edges to {@code item}, decayed to {@link #latestMillis}. */
  public double weightedInDegree(String item) {
    Integer slot = slots.get(item);
    return slot == null ? 0 : weightedInDegree(slot);
  }

  // What walks need, by slot.

  /** The slot of {@code item}; -1 when the graph does not know it. */
  int slotOf(String item) {
    Integer slot = slots.get(item);
    return slot == null ? -1 : slot;
  }

  String idAt(int slot) {
    return ids[slot];
  }

  /** One more than the highest slot in use: the size of per-slot scratch arrays. */
  int slotCapacity() {
    return used;
  }

  /** The slots the item's out-edges lead to; null when it has none. */
  int[] targetsAt(int slot) {
    return targets[slot];
  }

  /** The out-edge weights at the list's reference time, parallel to {@link #targetsAt}. */
  double[] weightsAt(int slot) {
    return edges[slot] == null ? null : edges[slot].weights;
  }

  /** The sum of {@link #weightsAt}; 0 for an item with no out-edges. */
  double totalWeightAt(int slot) {
    return totalWeight[slot];
  }

  /**
   * A number raised whenever the slot's out-edges change or the slot is released: two equal reads
   * mean the row was the same in between.
   */
  long rowStampAt(int slot) {
    return rowStamp[slot];
  }

  double weightedInDegree(int slot) {
    return inDegree[slot] == 0 ? 0 : Math.max(0, scaledInWeight[slot] * latestFactor);
  }

  private void set(int slot, ItemEdges list) {
    ItemEdges old = edges[slot];
    int[] oldTargets = targets[slot];
    if (old != null) {
      double oldScale = scale(old.referenceMillis);
      for (int n = 0; n < oldTargets.length; n++) {
        inDegree[oldTargets[n]]--;
        scaledInWeight[oldTargets[n]] -= old.weights[n] * oldScale;
      }
      sources--;
      edgeCount -= oldTargets.length;
    }
    edges[slot] = null;
    targets[slot] = null;
    totalWeight[slot] = 0;
    rowStamp[slot] = ++stamps;
    if (list != null && !list.isEmpty()) {
      advanceTime(list.referenceMillis);
      int d = list.size();
      double newScale = scale(list.referenceMillis);
      int[] to = new int[d];
      double total = 0;
      for (int n = 0; n < d; n++) {
        to[n] = slot(list.neighbors[n]);
        list.neighbors[n] = ids[to[n]]; // one string per id, shared with the index
        total += list.weights[n];
        inDegree[to[n]]++;
        scaledInWeight[to[n]] += list.weights[n] * newScale;
      }
      edges[slot] = list;
      targets[slot] = to;
      totalWeight[slot] = total;
      sources++;
      edgeCount += d;
    }
    if (oldTargets != null) {
      for (int target : oldTargets) {
        if (inDegree[target] == 0) {
          scaledInWeight[target] = 0; // no rounding residue once the last in-edge left
          releaseIfUnused(target);
        }
      }
    }
    releaseIfUnused(slot);
  }

  private void schedule(int slot, long atMillis) {
    timerAt[slot] = atMillis;
    timers.add(new Timer(atMillis, ids[slot]));
  }

  private static long[] newTimers(int capacity) {
    long[] timers = new long[capacity];
    Arrays.fill(timers, NO_TIMER);
    return timers;
  }

  /** What an edge weight at {@code referenceMillis} is multiplied by in the in-degree sums. */
  private double scale(long referenceMillis) {
    return Math.pow(2, (double) (referenceMillis - epochMillis) / settings.halfLifeMillis());
  }

  private static int[] append(int[] a, int value) {
    int[] r = Arrays.copyOf(a, a.length + 1);
    r[a.length] = value;
    return r;
  }

  private void advanceTime(long referenceMillis) {
    if (!timed) {
      timed = true;
      epochMillis = referenceMillis;
      latestMillis = referenceMillis;
    }
    if (referenceMillis <= latestMillis) {
      return;
    }
    latestMillis = referenceMillis;
    if (latestMillis - epochMillis > EPOCH_SPAN_HALF_LIVES * settings.halfLifeMillis()) {
      double rescale = settings.decay(latestMillis - epochMillis);
      for (int s = 0; s < used; s++) {
        scaledInWeight[s] *= rescale;
      }
      epochMillis = latestMillis;
    }
    latestFactor = settings.decay(latestMillis - epochMillis);
  }

  /** The item's slot, taking a free one when it is new. */
  private int slot(String item) {
    Integer known = slots.get(item);
    if (known != null) {
      return known;
    }
    int slot = freeCount > 0 ? freeSlots[--freeCount] : used++;
    if (slot >= ids.length) {
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      edges = Arrays.copyOf(edges, capacity);
      targets = Arrays.copyOf(targets, capacity);
      totalWeight = Arrays.copyOf(totalWeight, capacity);
      inDegree = Arrays.copyOf(inDegree, capacity);
      scaledInWeight = Arrays.copyOf(scaledInWeight, capacity);
      rowStamp = Arrays.copyOf(rowStamp, capacity);
      long[] grown = newTimers(capacity);
      System.arraycopy(timerAt, 0, grown, 0, timerAt.length);
      timerAt = grown;
    }
    ids[slot] = item;
    slots.put(item, slot);
    return slot;
  }

  private void releaseIfUnused(int slot) {
    if (edges[slot] != null || inDegree[slot] > 0 || ids[slot] == null) {
      return;
    }
    slots.remove(ids[slot]);
    ids[slot] = null;
    scaledInWeight[slot] = 0;
    timerAt[slot] = NO_TIMER;
    rowStamp[slot] = ++stamps;
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
    }
    freeSlots[freeCount++] = slot;
  }
}
