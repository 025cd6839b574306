package io.personalize.graph;

import io.personalize.util.VersionedDeltaQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-user operator's copy of the item graph, advanced by {@link GraphDelta}s with the same
 * discipline as the model's replica ({@link VersionedDeltaQueue}): queued, and applied in version
 * order once the caller's watermark has passed the events they cover, so no event's candidates come
 * from edges its own interaction built; duplicates are skipped, gaps counted.
 *
 * <p>Staleness: a list reaches the walks after the builder closes its delta and the operator's
 * watermark passes the delta's latest event. Between deltas, the replica's lists keep the weights
 * of their last update; their decay needs no update (it scales a list alike), but an edge that
 * decayed below the minimum weight stays until the graph operator prunes it and sends the list.
 *
 * <p>With {@code newestOnly}, bounded by items, not by deltas: an item keeps at most two lists
 * queued, the one queued first (it applies next) and the newest; a newer list drops the newest one
 * queued before it. The queue so holds at most two lists per item however far the graph runs ahead
 * of the watermark (it did by over a thousand deltas of up to 100 lists each, all of them in every
 * checkpoint). The list queued first is never dropped: when every delta changed a busy item,
 * dropping it too kept the item's list from ever applying. An item so lags a replica that applies
 * every list by at most the watermark's own lag behind the graph; never ahead of it.
 */
public final class GraphReplica {
  private final CoInteractionGraph graph;
  private final boolean newestOnly;
  private final VersionedDeltaQueue<GraphDelta> deltas = new VersionedDeltaQueue<>(this::apply);

  /** Per item, its lists queued and not dropped: what a newer list replaces. */
  private final Map<String, QueuedLists> queuedLists = new HashMap<>();

  private long listsDropped;

  /** One item's list in a queued delta. */
  private record Queued(GraphDelta delta, int index) {}

  /** An item's lists queued: {@code newest} null while only {@code first} is. */
  private record QueuedLists(Queued first, Queued newest) {
    long newestVersion() {
      return (newest != null ? newest : first).delta.version;
    }
  }

  /** A replica that keeps every queued list ({@code newestOnly} false). */
  public GraphReplica(GraphSettings settings) {
    this(settings, false);
  }

  /**
   * @param newestOnly drop a queued list when a newer queued delta replaces it (see above); false
   *     applies every list in turn
   */
  public GraphReplica(GraphSettings settings, boolean newestOnly) {
    this.graph = new CoInteractionGraph(settings);
    this.newestOnly = newestOnly;
  }

  /** The graph as applied so far: walk it, do not change it. */
  public CoInteractionGraph graph() {
    return graph;
  }

  public long version() {
    return deltas.version();
  }

  /** Deltas applied whose previous version was not this replica's version (one was missed). */
  public long gaps() {
    return deltas.gaps();
  }

  /** Deltas skipped because their version was already applied (at-least-once redelivery). */
  public long duplicates() {
    return deltas.duplicates();
  }

  /** Deltas received but not applied yet (waiting for the watermark). */
  public int pending() {
    return deltas.pending();
  }

  /** Queued lists dropped because a newer queued delta replaced them. */
  public long listsDropped() {
    return listsDropped;
  }

  /**
   * Queues a delta (a copy: queued lists are dropped from it later); it applies before the first
   * event later than what it covers.
   */
  public void offer(GraphDelta delta) {
    if (!newestOnly || delta.version <= deltas.version()) {
      deltas.offer(delta); // a redelivery of an applied version is skipped (and counted) there
      return;
    }
    GraphDelta queued = copy(delta);
    for (int n = 0; n < queued.items.length; n++) {
      Queued added = new Queued(queued, n);
      QueuedLists lists = queuedLists.get(queued.items[n]);
      if (lists == null) {
        queuedLists.put(queued.items[n], new QueuedLists(added, null));
      } else if (lists.newestVersion() < queued.version) { // not a redelivery of a queued version
        if (lists.newest != null) {
          lists.newest.delta.items[lists.newest.index] = null;
          lists.newest.delta.edges[lists.newest.index] = null;
          listsDropped++;
        }
        queuedLists.put(queued.items[n], new QueuedLists(lists.first, added));
      }
    }
    deltas.offer(queued);
  }

  /**
   * Applies every queued delta whose events all lie before {@code completeBefore}, the time before
   * which every event has been served.
   */
  public void advanceTo(long completeBefore) {
    deltas.advanceTo(completeBefore);
  }

  private void apply(GraphDelta delta) {
    for (int n = 0; n < delta.items.length; n++) {
      String item = delta.items[n];
      if (item != null) {
        graph.replace(item, delta.edges[n]);
        queuedLists.computeIfPresent(item, (i, lists) -> applied(lists, delta));
      }
    }
  }

  /** {@code lists} once {@code delta} applied: its newest list, if any, is the first now. */
  private static QueuedLists applied(QueuedLists lists, GraphDelta delta) {
    if (lists.first.delta != delta) {
      return lists; // a redelivered copy of a version applied before
    }
    return lists.newest == null ? null : new QueuedLists(lists.newest, null);
  }

  private static GraphDelta copy(GraphDelta delta) {
    return withLists(delta, delta.items.clone(), delta.edges.clone());
  }

  /** A queued delta as a snapshot keeps it: without the lists dropped from it. */
  private static GraphDelta withoutDropped(GraphDelta delta) {
    List<String> items = new ArrayList<>();
    List<ItemEdges> edges = new ArrayList<>();
    for (int n = 0; n < delta.items.length; n++) {
      if (delta.items[n] != null) {
        items.add(delta.items[n]);
        edges.add(delta.edges[n]);
      }
    }
    if (items.size() == delta.items.length) {
      return delta; // nothing dropped: the snapshot copies it anyway
    }
    return withLists(delta, items.toArray(new String[0]), edges.toArray(new ItemEdges[0]));
  }

  /** {@code delta}'s version and times with other lists. */
  private static GraphDelta withLists(GraphDelta delta, String[] items, ItemEdges[] edges) {
    GraphDelta copy = new GraphDelta();
    copy.version = delta.version;
    copy.previousVersion = delta.previousVersion;
    copy.createdAtMillis = delta.createdAtMillis;
    copy.maxEventTimeMillis = delta.maxEventTimeMillis;
    copy.items = items;
    copy.edges = edges;
    return copy;
  }

  public GraphReplicaSnapshot snapshot() {
    GraphReplicaSnapshot s = new GraphReplicaSnapshot();
    s.version = deltas.version();
    s.gaps = deltas.gaps();
    List<String> items = graph.items();
    s.items = items.toArray(new String[0]);
    s.edges = items.stream().map(item -> graph.neighbors(item).copy()).toArray(ItemEdges[]::new);
    s.pending = new ArrayList<>();
    for (GraphDelta queued : deltas.pendingDeltas()) {
      s.pending.add(withoutDropped(queued));
    }
    return s;
  }

  /** Restores a snapshot into this fresh replica (same settings). */
  public void restore(GraphReplicaSnapshot s) {
    for (int n = 0; n < s.items.length; n++) {
      graph.replace(s.items[n], s.edges[n]);
    }
    deltas.restore(s.version, s.gaps, List.of());
    queuedLists.clear();
    for (GraphDelta queued : s.pending) {
      offer(queued); // a snapshot from before lists were dropped gets them dropped here
    }
  }
}
