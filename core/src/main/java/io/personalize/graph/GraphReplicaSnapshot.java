package io.personalize.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GraphReplica} as stored in a Flink checkpoint (operator union state): the applied lists
 * and the deltas still queued. A POJO.
 */
public class GraphReplicaSnapshot {
  public long version;
  public long gaps;
  public String[] items = new String[0];
  public ItemEdges[] edges = new ItemEdges[0];
  public List<GraphDelta> pending = new ArrayList<>();

  public GraphReplicaSnapshot() {}
}
