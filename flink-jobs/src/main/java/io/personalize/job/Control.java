package io.personalize.job;

import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.graph.GraphDelta;
import io.personalize.online.ModelDelta;

/**
 * One message of the broadcast channel to the per-user operators: exactly one of a gradient
 * checkpoint (a global model's delta), new group boundaries, item metadata, or an item-graph delta.
 * A POJO.
 */
public class Control {
  public ModelDelta checkpoint;
  public GroupBoundaries boundaries;
  public ItemMetadata item;
  public GraphDelta graph;

  public Control() {}

  public static Control of(ModelDelta checkpoint) {
    Control c = new Control();
    c.checkpoint = checkpoint;
    return c;
  }

  public static Control of(GroupBoundaries boundaries) {
    Control c = new Control();
    c.boundaries = boundaries;
    return c;
  }

  public static Control of(GraphDelta graph) {
    Control c = new Control();
    c.graph = graph;
    return c;
  }

  public static Control of(ItemMetadata item) {
    Control c = new Control();
    c.item = item;
    return c;
  }
}
