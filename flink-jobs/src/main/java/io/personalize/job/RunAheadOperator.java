package io.personalize.job;

import io.personalize.job.config.JobConfig;
import io.personalize.online.Prediction;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The per-user models' operator: Flink's keyed broadcast operator around {@link
 * PersonalModelFunction}, with {@link HeldRatings} in front of its events, so that a rating far
 * ahead of the watermark waits for it and is scored with the checkpoints of the events before it
 * only. In a backlog replay the sources read far ahead of the global model, and the replica a
 * rating was scored with on arrival missed thousands of events (docs/evaluation.md, "In the job:
 * CiaoDVD and the replica's lag").
 *
 * <p>Held ratings are scored before the watermark that lets them go is forwarded (so none is late
 * downstream, and the users' event-time timers see them first).
 */
public class RunAheadOperator
    extends CoBroadcastWithKeyedOperator<String, ValidEvent, Control, Prediction> {
  private final PersonalModelFunction function;
  private final JobConfig config;
  private transient HeldRatings held;

  public RunAheadOperator(PersonalModelFunction function, JobConfig config) {
    super(function, List.of(Descriptors.CONTROL_CHANNEL));
    this.function = function;
    this.config = config;
  }

  @Override
  public void open() throws Exception {
    super.open();
    held = new HeldRatings(config, getProcessingTimeService(), getMetricGroup(), this::score);
    function.holdsEventsFrom(held::earliestMillis);
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
    // The function still sees the watermark of before this one while the held ratings go.
    function.advanceReplica(Math.min(held.completeBefore(), rating.getValue().eventTimeMillis));
    super.processElement1(rating);
  }
}
