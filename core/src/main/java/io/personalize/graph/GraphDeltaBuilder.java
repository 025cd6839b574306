package io.personalize.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the lists the graph operator changed and closes them into versioned {@link GraphDelta}s:
 * an item changed several times since the last delta is sent once, with its latest list. The master
 * side of {@link GraphReplica}, as {@code GlobalModel.closeCheckpoint} is of the model's replica.
 */
public final class GraphDeltaBuilder {
  private final Map<String, ItemEdges> changed = new LinkedHashMap<>();
  private long version;
  private long maxEventTimeMillis = Long.MIN_VALUE;

  public long version() {
    return version;
  }

  /** Lists changed since the last delta. */
  public int pending() {
    return changed.size();
  }

  /**
   * Records the item's list after an event at {@code eventTimeMillis} (or a timer) changed it; a
   * copy is kept, so the caller may go on changing its own.
   */
  public void listChanged(String item, ItemEdges list, long eventTimeMillis) {
    changed.put(item, list.copy());
    maxEventTimeMillis = Math.max(maxEventTimeMillis, eventTimeMillis);
  }

  /** Closes the changes since the last delta into the next version; null when nothing changed. */
  public GraphDelta close(long nowMillis) {
    if (changed.isEmpty()) {
      return null;
    }
    GraphDelta delta = new GraphDelta();
    delta.previousVersion = version;
    delta.version = ++version;
    delta.createdAtMillis = nowMillis;
    delta.maxEventTimeMillis = maxEventTimeMillis;
    delta.items = changed.keySet().toArray(new String[0]);
    delta.edges = changed.values().toArray(new ItemEdges[0]);
    changed.clear();
    maxEventTimeMillis = Long.MIN_VALUE;
    return delta;
  }

  /**
   * What a Flink checkpoint keeps: the changes not closed yet, as an unsent delta whose version is
   * this builder's current one.
   */
  public GraphDelta snapshot() {
    GraphDelta open = new GraphDelta();
    open.version = version;
    open.previousVersion = version;
    open.maxEventTimeMillis = maxEventTimeMillis;
    open.items = changed.keySet().toArray(new String[0]);
    open.edges = changed.values().stream().map(ItemEdges::copy).toArray(ItemEdges[]::new);
    return open;
  }

  /** Restores a {@link #snapshot} into this fresh builder. */
  public void restore(GraphDelta open) {
    version = open.version;
    maxEventTimeMillis = open.maxEventTimeMillis;
    changed.clear();
    for (int n = 0; n < open.items.length; n++) {
      changed.put(open.items[n], open.edges[n].copy());
    }
  }
}
