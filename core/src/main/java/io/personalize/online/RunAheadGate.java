package io.personalize.online;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Holds back a per-user operator's events that run too far ahead of its watermark, so that each is
 * scored with a replica that has the master's learning up to shortly before it.
 *
 * <p>A replica applies a checkpoint only once the watermark has passed every event it covers (see
 * {@link SharedReplica}). An event scored on arrival, far ahead of the watermark, therefore sees a
 * replica that misses everything between the watermark and the event: in a backlog replay the
 * sources read far ahead, and that is thousands of events. Held until the watermark is within
 * {@code maxRunAheadMillis} of its time, and scored with the checkpoints that cover only events
 * before it, an event misses at most what the master learned in that span of event time and what it
 * has not published yet. Live traffic, whose events arrive a few seconds ahead of the watermark
 * (its out-of-orderness bound), passes straight through.
 *
 * <p>Events leave in event-time order (arrival order among equal times), so that no event is scored
 * after a checkpoint that covers it. What is held is bounded: past {@code maxHeld} events the
 * earliest leaves at once, and an event held longer than {@code maxHoldMillis} of wall-clock time
 * leaves with every earlier one ({@link #releaseOverdue}), for a watermark that stops.
 *
 * @param <E> the held events
 */
public final class RunAheadGate<E> {
  private record Held<E>(E event, long eventTimeMillis, long sequence, long heldAtMillis) {}

  private static final Comparator<Held<?>> ORDER =
      Comparator.<Held<?>>comparingLong(Held::eventTimeMillis).thenComparingLong(Held::sequence);

  private final long maxRunAheadMillis;
  private final int maxHeld;
  private final long maxHoldMillis;
  private final PriorityQueue<Held<E>> held = new PriorityQueue<>(ORDER);
  private long sequence;
  // Events up to this time leave as overdue: the latest time among those held too long.
  private long overdueThrough = Long.MIN_VALUE;
  private long releasedEarly;

  /**
   * @param maxRunAheadMillis how far (event time) an event may be ahead of the watermark and still
   *     be scored
   * @param maxHeld the most events held at once
   * @param maxHoldMillis the longest (wall-clock) an event is held
   */
  public RunAheadGate(long maxRunAheadMillis, int maxHeld, long maxHoldMillis) {
    if (maxRunAheadMillis < 0 || maxHeld < 1 || maxHoldMillis < 1) {
      throw new IllegalArgumentException(
          "run-ahead " + maxRunAheadMillis + ", held " + maxHeld + ", hold " + maxHoldMillis);
    }
    this.maxRunAheadMillis = maxRunAheadMillis;
    this.maxHeld = maxHeld;
    this.maxHoldMillis = maxHoldMillis;
  }

  /** Events held now. */
  public int held() {
    return held.size();
  }

  /**
   * Whether an event at {@code eventTimeMillis} may be scored at once, given the time {@code
   * completeBefore} before which every event has arrived (the watermark + 1): it is within the
   * run-ahead bound and earlier than every held event (it overtakes none).
   */
  public boolean passes(long eventTimeMillis, long completeBefore) {
    return within(eventTimeMillis, completeBefore) && eventTimeMillis < earliestMillis();
  }

  /** Holds an event that did not {@link #passes pass}; {@code nowMillis} is wall-clock time. */
  public void hold(E event, long eventTimeMillis, long nowMillis) {
    held.add(new Held<>(event, eventTimeMillis, sequence++, nowMillis));
  }

  /**
   * The earliest held event if it may be scored now, else null: it is within the run-ahead bound of
   * {@code completeBefore}, more than {@code maxHeld} are held, or it is overdue.
   */
  public E next(long completeBefore) {
    Held<E> head = held.peek();
    if (head == null
        || !(within(head.eventTimeMillis, completeBefore)
            || held.size() > maxHeld
            || head.eventTimeMillis <= overdueThrough)) {
      return null;
    }
    if (!within(head.eventTimeMillis, completeBefore)) {
      releasedEarly++;
    }
    return held.poll().event;
  }

  /**
   * Events that left before the watermark came within the bound: past {@code maxHeld}, overdue, or
   * by {@link #poll}.
   */
  public long releasedEarly() {
    return releasedEarly;
  }

  /** The event time of the earliest held event; {@link Long#MAX_VALUE} when none is. */
  public long earliestMillis() {
    Held<E> head = held.peek();
    return head == null ? Long.MAX_VALUE : head.eventTimeMillis;
  }

  /**
   * Lets the events held since {@code nowMillis - maxHoldMillis} or before, and every earlier one,
   * leave by {@link #next}.
   */
  public void releaseOverdue(long nowMillis) {
    long deadline = nowMillis - maxHoldMillis;
    for (Held<E> h : held) {
      if (h.heldAtMillis <= deadline) {
        overdueThrough = Math.max(overdueThrough, h.eventTimeMillis);
      }
    }
  }

  /** Removes and returns the earliest held event regardless of the bounds; null when none is. */
  public E poll() {
    Held<E> head = held.poll();
    if (head == null) {
      return null;
    }
    releasedEarly++;
    return head.event;
  }

  /** Wall-clock time when the longest-held event was held; {@link Long#MAX_VALUE} when none is. */
  public long oldestHeldAtMillis() {
    long oldest = Long.MAX_VALUE;
    for (Held<E> h : held) {
      oldest = Math.min(oldest, h.heldAtMillis);
    }
    return oldest;
  }

  private boolean within(long eventTimeMillis, long completeBefore) {
    // eventTime <= watermark + run-ahead, without overflow at either end.
    return eventTimeMillis - maxRunAheadMillis < completeBefore || completeBefore == Long.MAX_VALUE;
  }
}
