package io.personalize.graph;

import io.personalize.util.VersionedDelta;

/**
 * One versioned batch of replaced out-edge lists, closed by a {@link GraphDeltaBuilder} and applied
 * by every {@link GraphReplica}: item {@code n}'s whole list becomes {@code edges[n]} (an empty
 * list: the item has no out-edges left). Whole lists, not increments, so applying one twice changes
 * nothing, and a missed version costs only the lists it carried until they change again.
 *
 * <p>A Flink POJO (the broadcast channel and the replica's queued deltas).
 */
public class GraphDelta implements VersionedDelta {
  public long version;

  /** The version this delta applies on top of; a replica at another version has missed one. */
  public long previousVersion;

  public long createdAtMillis;

  /** The latest event time among the changes it carries; a replica applies it after that. */
  public long maxEventTimeMillis;

  public String[] items = new String[0];
  public ItemEdges[] edges = new ItemEdges[0];

  public GraphDelta() {}

  @Override
  public long version() {
    return version;
  }

  @Override
  public long previousVersion() {
    return previousVersion;
  }

  @Override
  public long maxEventTimeMillis() {
    return maxEventTimeMillis;
  }

  @Override
  public String toString() {
    return "graph delta v"
        + previousVersion
        + "->v"
        + version
        + " ("
        + items.length
        + " lists, events <= "
        + maxEventTimeMillis
        + ")";
  }
}
