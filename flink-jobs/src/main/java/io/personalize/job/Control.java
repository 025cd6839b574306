package io.personalize.job;

import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;

/**
 * One message of the broadcast channel to the per-user operators: exactly one of a gradient
 * checkpoint, new group boundaries, or item metadata. A POJO whose fields are Avro records.
 */
public class Control {
  public GradientCheckpoint checkpoint;
  public GroupBoundaries boundaries;
  public ItemMetadata item;

  public Control() {}

  public static Control of(GradientCheckpoint checkpoint) {
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
