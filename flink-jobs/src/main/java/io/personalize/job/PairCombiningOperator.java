package io.personalize.job;

import static io.personalize.job.config.RecommendationOptions.GRAPH_PAIRS_COMBINE_WITHIN;

import io.personalize.graph.ItemPair;
import io.personalize.graph.ItemPairs;
import io.personalize.graph.PairCombiner;
import io.personalize.job.config.JobConfig;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Between the user-sequence operator and the graph, chained to the first: holds the item pairs of a
 * subtask for at most {@code graph-updates.combine-within} and sends them on as one {@link
 * ItemPairs} per source item ({@link PairCombiner}), so the graph operator reads and writes an
 * item's list once for all its pairs, not once per pair (13.7 pairs an event on the benchmark's
 * stream).
 *
 * <p>What is held goes out before anything that must follow it: before each watermark passes (the
 * graph's expiry timers and the deltas' event times see every pair older than it, as without
 * combining), before a checkpoint barrier (so nothing held needs state: a checkpoint never falls
 * between a pair's event and its pair), when the input ends, and when {@link #MAX_PAIRS} are held.
 */
public class PairCombiningOperator extends AbstractStreamOperator<ItemPairs>
    implements OneInputStreamOperator<ItemPair, ItemPairs> {
  /** A bound on what one subtask holds (about 60 bytes a pair), whatever the rate. */
  static final int MAX_PAIRS = 10_000;

  private final long withinMillis;
  private transient PairCombiner combiner;
  private transient boolean timerPending;

  public PairCombiningOperator(JobConfig config) {
    this.withinMillis = config.millis(GRAPH_PAIRS_COMBINE_WITHIN);
  }

  @Override
  public void open() throws Exception {
    super.open();
    combiner = new PairCombiner();
  }

  @Override
  public void processElement(StreamRecord<ItemPair> element) {
    combiner.add(element.getValue());
    if (withinMillis == 0 || combiner.pairs() >= MAX_PAIRS) {
      flush();
    } else if (!timerPending) {
      timerPending = true;
      long now = getProcessingTimeService().getCurrentProcessingTime();
      getProcessingTimeService()
          .registerTimer(
              now + withinMillis,
              time -> {
                timerPending = false;
                flush();
              });
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() {
    if (combiner.pairs() == 0) {
      return;
    }
    for (ItemPairs pairs : combiner.drain()) {
      output.collect(new StreamRecord<>(pairs, pairs.latestMillis()));
    }
  }
}
