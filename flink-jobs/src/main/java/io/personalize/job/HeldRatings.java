package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MAX_OUT_OF_ORDERNESS;
import static io.personalize.job.config.PersonalizeOptions.MAX_RUN_AHEAD;

import io.personalize.job.config.JobConfig;
import io.personalize.online.RunAheadGate;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * An operator's ratings held back by a {@link RunAheadGate} until its watermark comes within {@code
 * event-time.max-out-of-orderness} + {@code event-time.max-run-ahead} of them: the gate, its
 * wall-clock timer and its metrics. The operator passes its records through {@link #offer}, its
 * watermarks through {@link #watermark} before it forwards them, and calls {@link #scoreAll} before
 * a checkpoint barrier (so nothing held needs state). Only ratings are held: no operator behind a
 * hold learns anything else.
 */
final class HeldRatings {
  /** A bound on what one subtask holds (a few hundred bytes an event), whatever the rate. */
  static final int MAX_HELD = 20_000;

  /** The longest an event waits, in wall-clock time, for a watermark that stalls. */
  static final long MAX_HOLD_MILLIS = 1_000;

  /** What the operator does with a rating when it may go: what it does with one on arrival. */
  interface Scorer {
    void score(StreamRecord<ValidEvent> rating) throws Exception;
  }

  private final ProcessingTimeService time;
  private final Scorer scorer;
  private final RunAheadGate<StreamRecord<ValidEvent>> gate;
  private final Counter held;
  private long completeBefore = PersonalModelFunction.completeBefore(Long.MIN_VALUE);
  private boolean wallTimerPending;

  HeldRatings(JobConfig config, ProcessingTimeService time, MetricGroup metrics, Scorer scorer) {
    // Live events arrive up to the out-of-orderness bound ahead of the watermark: they pass.
    this.gate =
        new RunAheadGate<>(
            config.millis(MAX_OUT_OF_ORDERNESS) + config.millis(MAX_RUN_AHEAD),
            MAX_HELD,
            MAX_HOLD_MILLIS);
    this.time = time;
    this.scorer = scorer;
    this.held = metrics.counter("events-held-back");
    metrics.gauge("events-let-go-early", gate::releasedEarly);
    metrics.gauge("events-holding", () -> (long) gate.held());
  }

  /** Takes a record on arrival: false when the operator processes it now, true when it is held. */
  boolean offer(StreamRecord<ValidEvent> record) throws Exception {
    ValidEvent event = record.getValue();
    if (!Learnable.isRating(event) || gate.passes(event.eventTimeMillis, completeBefore)) {
      return false;
    }
    // Kept as it came: both operators read from the network (a keyBy is in front of each), whose
    // input makes a new record and value per element even with object reuse on.
    gate.hold(record, event.eventTimeMillis, time.getCurrentProcessingTime());
    held.inc();
    letGo(); // past MAX_HELD
    scheduleWallTimer();
    return true;
  }

  /** Scores what the watermark {@code watermark} lets go; before the operator forwards it. */
  void watermark(long watermark) throws Exception {
    completeBefore = PersonalModelFunction.completeBefore(watermark);
    letGo();
  }

  /** Scores every held rating, earliest first. */
  void scoreAll() throws Exception {
    for (StreamRecord<ValidEvent> rating = gate.poll(); rating != null; rating = gate.poll()) {
      scorer.score(rating);
    }
  }

  /** The exclusive bound of event times every event of which has arrived (the watermark + 1). */
  long completeBefore() {
    return completeBefore;
  }

  /** The event time of the earliest held rating; {@link Long#MAX_VALUE} when none is. */
  long earliestMillis() {
    return gate.earliestMillis();
  }

  private void letGo() throws Exception {
    for (StreamRecord<ValidEvent> rating = gate.next(completeBefore);
        rating != null;
        rating = gate.next(completeBefore)) {
      scorer.score(rating);
    }
  }

  private void scheduleWallTimer() {
    if (wallTimerPending || gate.held() == 0) {
      return;
    }
    wallTimerPending = true;
    time.registerTimer(
        gate.oldestHeldAtMillis() + MAX_HOLD_MILLIS,
        now -> {
          wallTimerPending = false;
          gate.releaseOverdue(time.getCurrentProcessingTime());
          letGo();
          scheduleWallTimer();
        });
  }
}
