package io.personalize.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether the slowest sampled events of a latency run were in flight while a checkpoint ran: the
 * evidence that names (or clears) the checkpoints as the cause of the tail, and which tasks held
 * those checkpoints longest.
 *
 * @param overMillis the latency from which a sample counts as slow
 * @param samples samples seen
 * @param slow samples slower than {@link #overMillis}
 * @param slowDuringCheckpoints slow samples in flight (from their arrival to being seen) while a
 *     checkpoint ran (from its trigger to its last acknowledgement)
 * @param checkpoints checkpoints completed during the run
 * @param checkpointShare the share of the run's time some checkpoint ran
 * @param tasks each task's worst subtask over those checkpoints, the task that held them longest
 *     first
 */
public record LatencyTail(
    long overMillis,
    int samples,
    int slow,
    int slowDuringCheckpoints,
    int checkpoints,
    double checkpointShare,
    List<TaskStall> tasks) {

  /** One sampled event: when Kafka had it, and how long it took to be seen. */
  record Seen(long arrivedMillis, long millis) {}

  /** One completed checkpoint: from its trigger to its last acknowledgement. */
  record Window(long triggerMillis, long lastAckMillis) {}

  /**
   * The most one task's subtasks spent on the run's checkpoints, each the maximum over checkpoints
   * and subtasks.
   *
   * @param startDelayMillis from the trigger to the first barrier reaching the subtask
   * @param alignmentMillis from the first barrier to the last one of its inputs
   * @param syncMillis the synchronous part of the snapshot, on the task's thread
   */
  public record TaskStall(
      String task, long startDelayMillis, long alignmentMillis, long syncMillis) {
    long heldMillis() {
      return alignmentMillis + syncMillis;
    }
  }

  static LatencyTail of(
      List<Seen> seen, List<Window> windows, List<TaskStall> stalls, long overMillis) {
    int slow = 0;
    int during = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Seen s : seen) {
      first = Math.min(first, s.arrivedMillis());
      last = Math.max(last, s.arrivedMillis() + s.millis());
      if (s.millis() <= overMillis) {
        continue;
      }
      slow++;
      long end = s.arrivedMillis() + s.millis();
      if (windows.stream()
          .anyMatch(w -> w.triggerMillis() <= end && s.arrivedMillis() <= w.lastAckMillis())) {
        during++;
      }
    }
    List<Window> inRun = new ArrayList<>();
    long covered = 0;
    for (Window w : windows) {
      long from = Math.max(w.triggerMillis(), first);
      long to = Math.min(w.lastAckMillis(), last);
      if (to > from) {
        inRun.add(w);
        covered += to - from;
      }
    }
    double share = last > first ? (double) covered / (last - first) : 0;
    List<TaskStall> byHeld =
        stalls.stream().sorted(Comparator.comparingLong(TaskStall::heldMillis).reversed()).toList();
    return new LatencyTail(overMillis, seen.size(), slow, during, inRun.size(), share, byHeld);
  }
}
