package io.personalize.job;

import io.personalize.graph.ItemEdges;

/**
 * One item's out-edges after the graph operator changed them: what the delta builder collects. An
 * empty list means the item left the graph. A POJO.
 */
public class ItemEdgesChange {
  public String itemId;
  public ItemEdges edges;

  /** Event time of the pair (or the expiry timer) that changed the list. */
  public long eventTimeMillis;

  public ItemEdgesChange() {}

  public ItemEdgesChange(String itemId, ItemEdges edges, long eventTimeMillis) {
    this.itemId = itemId;
    this.edges = edges;
    this.eventTimeMillis = eventTimeMillis;
  }
}
