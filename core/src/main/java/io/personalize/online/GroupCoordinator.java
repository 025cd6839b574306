package io.personalize.online;

import io.personalize.model.Coordinator;
import io.personalize.model.GroupBoundaries;
import io.personalize.util.BoundedLruMap;
import java.util.TreeMap;

/**
 * Algorithm 3.1 over a stream: counts every user's learned events and, every {@code regroupEvery}
 * events, recomputes the group boundaries (d_min, d_max of the log counts); it returns them when
 * they changed, for the caller to broadcast. Each user then computes its own group from its own
 * count. Counts of at most {@code maxUsers} users are kept (least recently seen dropped first), and
 * a user not seen for {@code userIdleMillis} of event time is dropped, as the per-user operators
 * forget an idle user (else one-event users would fill the map up to {@code maxUsers}).
 */
public final class GroupCoordinator {
  private final int groups;
  private final int regroupEvery;
  private final BoundedLruMap<String, Long> counts;

  /** How many users have each count: the minimum and maximum count in O(log n). */
  private final TreeMap<Long, Long> histogram = new TreeMap<>();

  private long version;
  private long eventsSinceRegroup;

  /** The boundaries last returned (log counts); NaN before the first. */
  private double emittedMin = Double.NaN;

  private double emittedMax = Double.NaN;

  private final long userIdleMillis;
  private long maxEventTime = Long.MIN_VALUE;

  /** A coordinator that keeps counts however long their users are idle (up to {@code maxUsers}). */
  public GroupCoordinator(int groups, int regroupEvery, int maxUsers) {
    this(groups, regroupEvery, maxUsers, Long.MAX_VALUE);
  }

  /**
   * @param userIdleMillis a user not seen for this long of event time is dropped with its count
   */
  public GroupCoordinator(int groups, int regroupEvery, int maxUsers, long userIdleMillis) {
    if (userIdleMillis < 1) {
      throw new IllegalArgumentException("userIdleMillis must be >= 1, was " + userIdleMillis);
    }
    this.userIdleMillis = userIdleMillis;
    if (regroupEvery < 1) {
      throw new IllegalArgumentException("regroupEvery must be >= 1, was " + regroupEvery);
    }
    this.groups = groups;
    this.regroupEvery = regroupEvery;
    this.counts = new BoundedLruMap<>(maxUsers, (user, count) -> decrement(count));
  }

  /**
   * Counts one learned event of {@code userId}; returns new boundaries when this event completes a
   * regrouping interval and the boundaries changed, else null.
   */
  public GroupBoundaries observe(String userId) {
    return observe(userId, Long.MIN_VALUE);
  }

  /**
   * The same for an event at {@code eventTimeMillis}: first drops the users idle for {@code
   * userIdleMillis} at the latest event time seen (this one among them: it starts from 1 again).
   */
  public GroupBoundaries observe(String userId, long eventTimeMillis) {
    maxEventTime = Math.max(maxEventTime, eventTimeMillis);
    if (userIdleMillis != Long.MAX_VALUE && maxEventTime > Long.MIN_VALUE + userIdleMillis) {
      // Idle when last seen + userIdleMillis <= the latest event time, as in GlobalModel.
      counts.expireSeenBefore(maxEventTime - userIdleMillis + 1, maxEventTime);
    }
    Long previous = counts.get(userId);
    if (previous != null) {
      decrement(previous);
    }
    long count = previous == null ? 1 : previous + 1;
    counts.put(userId, count);
    if (userIdleMillis != Long.MAX_VALUE) {
      counts.seen(userId, eventTimeMillis);
    }
    histogram.merge(count, 1L, Long::sum);
    if (++eventsSinceRegroup < regroupEvery) {
      return null;
    }
    eventsSinceRegroup = 0;
    GroupBoundaries b =
        Coordinator.boundaries(
            version + 1, groups, new long[] {histogram.firstKey(), histogram.lastKey()});
    if (b.logCountMin() == emittedMin && b.logCountMax() == emittedMax) {
      return null;
    }
    version++;
    emittedMin = b.logCountMin();
    emittedMax = b.logCountMax();
    return b;
  }

  /** Users whose counts are kept. */
  public int users() {
    return counts.size();
  }

  /** Users dropped because they were idle for {@code userIdleMillis}. */
  public long usersExpired() {
    return counts.expirations();
  }

  /** Users dropped to stay within the bound. */
  public long usersEvicted() {
    return counts.evictions();
  }

  public long version() {
    return version;
  }

  private void decrement(long count) {
    histogram.computeIfPresent(count, (c, users) -> users == 1 ? null : users - 1);
  }

  public CountsSnapshot snapshot() {
    CountsSnapshot snapshot = new CountsSnapshot();
    snapshot.users = counts.keySet().toArray(new String[0]);
    snapshot.counts = new long[snapshot.users.length];
    for (int u = 0; u < snapshot.users.length; u++) {
      snapshot.counts[u] = counts.get(snapshot.users[u]);
    }
    snapshot.version = version;
    snapshot.eventsSinceRegroup = eventsSinceRegroup;
    snapshot.emittedMin = emittedMin;
    snapshot.emittedMax = emittedMax;
    return snapshot;
  }

  /** Restores a snapshot into this fresh coordinator (users in least-recent-first order). */
  public void restore(CountsSnapshot snapshot) {
    for (int u = 0; u < snapshot.users.length; u++) {
      counts.put(snapshot.users[u], snapshot.counts[u]);
      histogram.merge(snapshot.counts[u], 1L, Long::sum);
    }
    version = snapshot.version;
    eventsSinceRegroup = snapshot.eventsSinceRegroup;
    emittedMin = snapshot.emittedMin;
    emittedMax = snapshot.emittedMax;
  }
}
