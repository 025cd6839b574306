package io.personalize.job;

import io.personalize.neighbours.ItemPartners;

/**
 * The keyed state of an item neighbourhood: its {@link ItemPartners} packed ({@link
 * ItemPartners#toBytes}). A POJO of one byte array, which Flink copies in bulk.
 */
public class PackedPartners {
  public byte[] bytes = new byte[0];

  public PackedPartners() {}

  public PackedPartners(ItemPartners sums) {
    this.bytes = sums.toBytes();
  }

  public ItemPartners unpack() {
    return ItemPartners.fromBytes(bytes);
  }
}
