package io.personalize.job;

import org.apache.flink.api.common.state.ListState;

/**
 * Releases what an operator put into its operator list state for a checkpoint. Flink deep-copies
 * operator list state in the synchronous part of a checkpoint and writes the copy; the objects put
 * in are not read again, yet the list would keep them on the heap until the next checkpoint
 * replaced them. For the parallelism-1 global operators that is a second copy of the whole model:
 * with a million users in the stream, the two global models' kept snapshots and the copies taken
 * beside them ran a 4 GB heap out of memory (docs/performance-log.md, "A million users on the
 * default stream"). Called when a checkpoint completes, which is always after the synchronous part
 * of the checkpoint (both run in the task's thread), and after a restore has read the list.
 */
final class OperatorSnapshots {
  private OperatorSnapshots() {}

  static void release(ListState<?>... lists) {
    for (ListState<?> list : lists) {
      list.clear();
    }
  }
}
