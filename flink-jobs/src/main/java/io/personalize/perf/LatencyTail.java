package io.personalize.perf;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the slowest sampled events of a latency run were in flight while a checkpoint ran or a
 * garbage collection paused the JVM: the evidence that names (or clears) either as a cause of the
 * tail, and which tasks held those checkpoints longest.
 *
 * @param overMillis the latency from which a sample counts as slow
 * @param samples samples seen
 * @param slow samples slower than {@link #overMillis}
 * @param slowDuringCheckpoints slow samples in flight (from their arrival to being seen) while a
 *     checkpoint ran (from its trigger to its last acknowledgement)
 * @param checkpoints checkpoints completed during the run
 * @param checkpointShare the share of the run's time some checkpoint ran
 * @param slowDuringCollections slow samples in flight while a garbage collection paused the JVM
 * @param collections garbage-collection pauses during the run
 * @param longestCollectionMillis the longest of those pauses (0 without one)
 * @param slowDuringNeither slow samples in flight during neither: what the two leave unexplained
 * @param tasks each task's worst subtask over the checkpoints in the run, the task that held them
 *     longest first; empty when none ran
 */
public record LatencyTail(
    long overMillis,
    int samples,
    int slow,
    int slowDuringCheckpoints,
    int checkpoints,
    double checkpointShare,
    int slowDuringCollections,
    int collections,
    long longestCollectionMillis,
    int slowDuringNeither,
    List<TaskStall> tasks) {

  /** One sampled event: when Kafka had it, and how long it took to be seen. */
  record Seen(long arrivedMillis, long millis) {}

  /**
   * A stretch of wall-clock time: a completed checkpoint from its trigger to its last
   * acknowledgement, or a garbage-collection pause.
   */
  record Window(long fromMillis, long toMillis) {
    /** Whether a sample in flight from {@code arrived} to {@code seen} overlaps this window. */
    boolean overlaps(long arrived, long seen) {
      return fromMillis <= seen && arrived <= toMillis;
    }
  }

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

  /**
   * A completed checkpoint: when it ran, and each task's worst subtask in it.
   *
   * @param window from its trigger to its last acknowledgement
   */
  record Checkpoint(Window window, List<TaskStall> stalls) {}

  /**
   * The tail of a run. Only the checkpoints that ran while samples were in flight count, their
   * stalls too: the REST API's history also holds those after the last sample, and a run whose
   * samples met no checkpoint named the tasks that "held those checkpoints" anyway.
   */
  static LatencyTail of(
      List<Seen> seen, List<Checkpoint> completed, List<Window> pauses, long overMillis) {
    List<Window> checkpoints = completed.stream().map(Checkpoint::window).toList();
    int slow = 0;
    int duringCheckpoints = 0;
    int duringPauses = 0;
    int duringNeither = 0;
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
      boolean inCheckpoint = checkpoints.stream().anyMatch(w -> w.overlaps(s.arrivedMillis(), end));
      boolean inPause = pauses.stream().anyMatch(w -> w.overlaps(s.arrivedMillis(), end));
      duringCheckpoints += inCheckpoint ? 1 : 0;
      duringPauses += inPause ? 1 : 0;
      duringNeither += inCheckpoint || inPause ? 0 : 1;
    }
    int checkpointsInRun = 0;
    long covered = 0;
    Map<String, long[]> worst = new LinkedHashMap<>();
    // A window counts as in the run by the same overlap as a sample's, pauses and checkpoints
    // alike.
    for (Checkpoint checkpoint : completed) {
      Window w = checkpoint.window();
      if (w.overlaps(first, last)) {
        checkpointsInRun++;
        covered += Math.min(w.toMillis(), last) - Math.max(w.fromMillis(), first);
        for (TaskStall stall : checkpoint.stalls()) {
          long[] most = worst.computeIfAbsent(stall.task(), t -> new long[3]);
          most[0] = Math.max(most[0], stall.startDelayMillis());
          most[1] = Math.max(most[1], stall.alignmentMillis());
          most[2] = Math.max(most[2], stall.syncMillis());
        }
      }
    }
    int pausesInRun = 0;
    long longestPause = 0;
    for (Window w : pauses) {
      if (w.overlaps(first, last)) {
        pausesInRun++;
        longestPause = Math.max(longestPause, w.toMillis() - w.fromMillis());
      }
    }
    double share = last > first ? (double) covered / (last - first) : 0;
    List<TaskStall> byHeld =
        worst.entrySet().stream()
            .map(e -> new TaskStall(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
            .sorted(Comparator.comparingLong(TaskStall::heldMillis).reversed())
            .toList();
    return new LatencyTail(
        overMillis,
        seen.size(),
        slow,
        duringCheckpoints,
        checkpointsInRun,
        share,
        duringPauses,
        pausesInRun,
        longestPause,
        duringNeither,
        byHeld);
  }
}
