package io.personalize.perf;

import io.personalize.connectors.kafka.RawRecord;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes records through and notes, in the accumulator {@link #ACCUMULATOR}, the wall-clock time at
 * which the first one arrived (the smallest over subtasks): where a benchmark's timed part starts,
 * after the job's start-up. Chained to the source, it costs a branch per record.
 */
final class FirstRecordClock extends RichMapFunction<RawRecord, RawRecord> {
  static final String ACCUMULATOR = "first-record-millis";

  private transient LongMinimum first;
  private transient boolean seen;

  @Override
  public void open(OpenContext context) {
    first = new LongMinimum();
    getRuntimeContext().addAccumulator(ACCUMULATOR, first);
  }

  @Override
  public RawRecord map(RawRecord record) {
    if (!seen) {
      seen = true;
      first.add(System.currentTimeMillis());
    }
    return record;
  }
}
