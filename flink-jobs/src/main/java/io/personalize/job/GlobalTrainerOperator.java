package io.personalize.job;

import io.personalize.avro.ItemMetadata;
import io.personalize.job.config.JobConfig;
import io.personalize.online.Prediction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The global model's operator: Flink's keyed co-process operator around {@link
 * GlobalTrainerFunction}, with {@link HeldRatings} in front of its events, the same bound as the
 * per-user operator's ({@link RunAheadOperator}). It reads its input channels at their own pace; a
 * checkpoint of events far ahead on one of them covers a time the per-user ratings held back for it
 * have not reached, and they cannot apply it. Held here too, ratings are learned in event-time
 * order as the watermark comes near, and each checkpoint covers the events up to a time.
 */
public class GlobalTrainerOperator
    extends KeyedCoProcessOperator<Integer, ValidEvent, ItemMetadata, Prediction> {
  private final JobConfig config;
  private transient HeldRatings held;

  public GlobalTrainerOperator(GlobalTrainerFunction function, JobConfig config) {
    super(function);
    this.config = config;
  }

  @Override
  public void open() throws Exception {
    super.open();
    held = new HeldRatings(config, getProcessingTimeService(), getMetricGroup(), this::score);
  }

  @Override
  public void processElement1(StreamRecord<ValidEvent> element) throws Exception {
    if (!held.offer(element)) {
      super.processElement1(element);
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    held.watermark(mark.getTimestamp());
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    held.scoreAll();
  }

  private void score(StreamRecord<ValidEvent> rating) throws Exception {
    setKeyContextElement1(rating);
    super.processElement1(rating);
  }
}
