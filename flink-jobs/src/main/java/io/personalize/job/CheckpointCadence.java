package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MODEL_UPDATES_EVERY;
import static io.personalize.job.config.PersonalizeOptions.MODEL_UPDATES_EVERY_EVENTS;

import io.personalize.job.config.JobConfig;
import org.apache.flink.streaming.api.TimerService;

/**
 * When a global operator closes a gradient checkpoint: after {@code model-updates.every-events}
 * learned events, or {@code model-updates.every} of processing time after the first event not yet
 * in one, whichever comes first (a quiet stream still publishes what it learned). One processing
 * time timer at most is pending.
 */
final class CheckpointCadence {
  private final int everyEvents;
  private final long everyMillis;
  private boolean timerPending;

  CheckpointCadence(JobConfig config) {
    this.everyEvents = config.get(MODEL_UPDATES_EVERY_EVENTS);
    this.everyMillis = config.millis(MODEL_UPDATES_EVERY);
  }

  /**
   * Called after an event was learned: true when a checkpoint is due now; otherwise a timer is
   * registered, unless one already is, to close it later.
   */
  boolean dueAfterLearning(long eventsSinceCheckpoint, TimerService timers) {
    if (eventsSinceCheckpoint >= everyEvents) {
      return true;
    }
    if (!timerPending) {
      timers.registerProcessingTimeTimer(timers.currentProcessingTime() + everyMillis);
      timerPending = true;
    }
    return false;
  }

  /** The timer fired: the operator closes a checkpoint now. */
  void timerFired() {
    timerPending = false;
  }
}
