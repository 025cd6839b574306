package io.personalize.validation;

import java.util.HashMap;
import java.util.Map;

/**
 * Notices offsets a reader skipped: per topic partition, the last offset seen; a record whose
 * offset is more than one past it means the offsets in between were never read. On a topic our
 * producer writes (idempotent, not transactional), that is data loss, typically a broker deleting
 * records by retention before the job read them, which Kafka's consumer then silently skips. On a
 * transactional topic each commit or abort marker also takes one offset, and aborted records are
 * skipped by design, so a gap there is not always loss.
 */
public final class OffsetGaps {
  /** Offsets {@code [from, to]} of a partition were skipped. */
  public record Gap(String topic, int partition, long from, long to) {
    public long size() {
      return to - from + 1;
    }

    @Override
    public String toString() {
      return String.format(
          "skipped %,d offset%s of %s-%d: %d..%d",
          size(), size() == 1 ? "" : "s", topic, partition, from, to);
    }
  }

  private final Map<String, Long> last = new HashMap<>();
  private long skipped;

  /** Records that a record at {@code offset} was read; returns the gap before it, or null. */
  public Gap observe(String topic, int partition, long offset) {
    String key = topic + "\u0000" + partition;
    Long previous = last.get(key);
    if (previous != null && offset <= previous) {
      return null; // a re-read after a restart from an earlier position: nothing skipped
    }
    last.put(key, offset);
    if (previous == null || offset == previous + 1) {
      return null;
    }
    Gap gap = new Gap(topic, partition, previous + 1, offset - 1);
    skipped += gap.size();
    return gap;
  }

  /** Offsets skipped so far. */
  public long skipped() {
    return skipped;
  }

  /** The last offset seen per partition, as parallel arrays (topics, partitions, offsets). */
  public PartitionOffsets snapshot() {
    PartitionOffsets s = new PartitionOffsets();
    int n = last.size();
    s.topics = new String[n];
    s.partitions = new int[n];
    s.offsets = new long[n];
    int i = 0;
    for (Map.Entry<String, Long> entry : last.entrySet()) {
      int sep = entry.getKey().indexOf('\u0000');
      s.topics[i] = entry.getKey().substring(0, sep);
      s.partitions[i] = Integer.parseInt(entry.getKey().substring(sep + 1));
      s.offsets[i] = entry.getValue();
      i++;
    }
    return s;
  }

  /** Adds last offsets seen elsewhere (another subtask before a restore); the larger one wins. */
  public void restore(PartitionOffsets s) {
    for (int i = 0; i < s.topics.length; i++) {
      last.merge(s.topics[i] + "\u0000" + s.partitions[i], s.offsets[i], Math::max);
    }
  }
}
