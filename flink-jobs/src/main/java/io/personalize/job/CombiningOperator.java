package io.personalize.job;

import io.personalize.util.Combiner;
import java.io.Serializable;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Chained to the operator whose records it takes: holds them for at most {@code withinMillis} and
 * sends them on merged per key ({@link Combiner}), so the keyed operator behind it reads and writes
 * a key's state once for all of them, not once per record. The item pairs on their way to the graph
 * ({@code graph-updates.combine-within}, 13.7 pairs an event on the benchmark's stream) and the
 * partner updates on their way to the item neighbourhoods go through one each.
 *
 * <p>What is held goes out before anything that must follow it: before each watermark passes (the
 * keyed operator's timers see every record older than it, as without combining), before a
 * checkpoint barrier (so nothing held needs state: a checkpoint never falls between a record's
 * event and the record), when the input ends, and when {@link #MAX_HELD} are held.
 *
 * @param <I> the records taken
 * @param <O> the merged records sent on
 */
public class CombiningOperator<I, O> extends AbstractStreamOperator<O>
    implements OneInputStreamOperator<I, O> {
  /** A bound on what one subtask holds (tens of bytes a record), whatever the rate. */
  static final int MAX_HELD = 10_000;

  /** Makes the combiner on the task manager. */
  public interface Factory<I, O> extends Supplier<Combiner<I, O>>, Serializable {}

  private final long withinMillis;
  private final Factory<I, O> factory;
  private transient Combiner<I, O> combiner;
  private transient boolean timerPending;

  public CombiningOperator(long withinMillis, Factory<I, O> factory) {
    this.withinMillis = withinMillis;
    this.factory = factory;
  }

  @Override
  public void open() throws Exception {
    super.open();
    combiner = factory.get();
  }

  @Override
  public void processElement(StreamRecord<I> element) {
    combiner.add(element.getValue());
    if (withinMillis == 0 || combiner.held() >= MAX_HELD) {
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
    if (combiner.held() == 0) {
      return;
    }
    for (O merged : combiner.drain()) {
      output.collect(new StreamRecord<>(merged, combiner.timeMillis(merged)));
    }
  }
}
