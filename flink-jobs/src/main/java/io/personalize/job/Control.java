package io.personalize.job;

import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.online.ModelDelta;

/**
 * One message of the broadcast channel to the per-user operators: exactly one of a gradient
 * checkpoint (the global model's delta), new group boundaries, or item metadata. A POJO.
 */
public class Control {
  public ModelDelta checkpoint;
  public GroupBoundaries boundaries;
  public ItemMetadata item;

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

  public static Control of(ItemMetadata item) {
    Control c = new Control();
    c.item = item;
    return c;
  }
}
