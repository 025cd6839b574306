package io.personalize.connectors.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as received, before decoding: where it came from and its bytes. Validation
 * decodes it; a record that cannot be decoded goes to the dead-letter topic with these bytes and
 * this origin, so nothing is lost. A Flink POJO: public no-argument constructor and public fields.
 */
public class RawRecord {
  public String topic;
  public int partition;
  public long offset;

  /** The Kafka record timestamp (epoch ms), used only when the payload has no usable time. */
  public long timestamp;

  public byte[] key;
  public byte[] value;

  public RawRecord() {}

  public RawRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Objects.equals(topic, r.topic)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, timestamp) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return topic
        + "-"
        + partition
        + "@"
        + offset
        + " ("
        + (value == null ? 0 : value.length)
        + " bytes)";
  }
}
