package io.personalize.graph;

import io.personalize.util.VersionedDeltaQueue;
import java.util.List;

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
 */
public final class GraphReplica {
  private final CoInteractionGraph graph;
  private final VersionedDeltaQueue<GraphDelta> deltas = new VersionedDeltaQueue<>(this::apply);

  public GraphReplica(GraphSettings settings) {
    this.graph = new CoInteractionGraph(settings);
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

  /** Queues a delta; it applies before the first event later than what it covers. */
  public void offer(GraphDelta delta) {
    deltas.offer(delta);
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
      graph.replace(delta.items[n], delta.edges[n]);
    }
  }

  public GraphReplicaSnapshot snapshot() {
    GraphReplicaSnapshot s = new GraphReplicaSnapshot();
    s.version = deltas.version();
    s.gaps = deltas.gaps();
    List<String> items = graph.items();
    s.items = items.toArray(new String[0]);
    s.edges = items.stream().map(item -> graph.neighbors(item).copy()).toArray(ItemEdges[]::new);
    s.pending = deltas.pendingDeltas();
    return s;
  }

  /** Restores a snapshot into this fresh replica (same settings). */
  public void restore(GraphReplicaSnapshot s) {
    for (int n = 0; n < s.items.length; n++) {
      graph.replace(s.items[n], s.edges[n]);
    }
    deltas.restore(s.version, s.gaps, s.pending);
  }
}
