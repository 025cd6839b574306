package io.personalize.validation;

/** The last offset read per topic partition, as Flink operator state. A POJO of arrays. */
public class PartitionOffsets {
  public String[] topics = new String[0];
  public int[] partitions = new int[0];
  public long[] offsets = new long[0];

  public PartitionOffsets() {}
}
