package io.personalize.util;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The discipline every replica follows with the deltas of its master: deltas are queued as they
 * arrive and applied, in arrival (= version) order, only once the caller says every event up to a
 * delta's {@code maxEventTimeMillis} has been scored ({@link #advanceTo}; a Flink operator passes
 * its watermark). Deltas arrive on their own channel and may overtake the events they cover;
 * applied at once, they would score an event with a replica that already learned it.
 *
 * <p>A delta at or below the applied version is a redelivery (at-least-once): counted and skipped.
 * A delta whose previous version is not the applied one means one was missed: counted and applied
 * anyway, since later deltas still move the replica toward the master.
 */
public final class VersionedDeltaQueue<D extends VersionedDelta> {
  private final Consumer<D> apply;
  private final ArrayDeque<D> pending = new ArrayDeque<>();
  private long version;
  private long gaps;
  private long duplicates;

  /**
   * @param apply applies one delta to the replica; called in order, never for a duplicate
   */
  public VersionedDeltaQueue(Consumer<D> apply) {
    this.apply = apply;
  }

  /** The version of the last delta applied (0 before any). */
  public long version() {
    return version;
  }

  /** Deltas applied whose previous version was not the applied one (one was missed). */
  public long gaps() {
    return gaps;
  }

  /** Deltas skipped because their version was already applied (at-least-once redelivery). */
  public long duplicates() {
    return duplicates;
  }

  /** Deltas received but not applied yet (waiting for the watermark). */
  public int pending() {
    return pending.size();
  }

  /** The queued deltas, oldest first (for a snapshot). */
  public List<D> pendingDeltas() {
    return new ArrayList<>(pending);
  }

  /** Queues a delta; it applies before the first event later than what it covers. */
  public void offer(D delta) {
    pending.addLast(delta);
  }

  /**
   * Applies every queued delta whose events all lie before {@code completeBefore}, the time before
   * which every event has been scored. Stops at the first that does not, so order is kept.
   */
  public void advanceTo(long completeBefore) {
    while (!pending.isEmpty() && pending.peekFirst().maxEventTimeMillis() < completeBefore) {
      D delta = pending.pollFirst();
      if (delta.version() <= version) {
        duplicates++;
        continue;
      }
      if (delta.previousVersion() != version) {
        gaps++;
      }
      apply.accept(delta);
      version = delta.version();
    }
  }

  /** Restores the state a snapshot kept (the duplicate count starts again from zero). */
  public void restore(long appliedVersion, long gapCount, Collection<D> queued) {
    version = appliedVersion;
    gaps = gapCount;
    pending.clear();
    pending.addAll(queued);
  }
}
