package io.personalize.state;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine knows about one user, as queryable state: how much data, which group, which
 * global checkpoint the user's predictions were last made with, and when the user was last seen. A
 * Flink POJO with no Flink imports, so a lookup client needs no Flink runtime to read it.
 */
public class UserProfile {
  public String userId;

  /** Events of this user learned so far. */
  public long events;

  /** The user's group (1 = least data .. C = most) under the latest boundaries. */
  public int group;

  /** Version of the group boundaries the group was computed with. */
  public long boundariesVersion;

  /** Version of the latest global gradient checkpoint applied when the user's last event came. */
  public long checkpointVersion;

  /** Event time (epoch ms) of the user's latest event. */
  public long lastEventTimeMillis;

  /** Index of the adaptive candidate setting the user's group predicts with. */
  public int candidate;

  public UserProfile() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof UserProfile p
        && events == p.events
        && group == p.group
        && boundariesVersion == p.boundariesVersion
        && checkpointVersion == p.checkpointVersion
        && lastEventTimeMillis == p.lastEventTimeMillis
        && candidate == p.candidate
        && Objects.equals(userId, p.userId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, events, group, checkpointVersion, lastEventTimeMillis);
  }

  @Override
  public String toString() {
    return String.format(
        "user %s: %d events, group %d (boundaries v%d), checkpoint v%d, last event %s, candidate %d",
        userId,
        events,
        group,
        boundariesVersion,
        checkpointVersion,
        Instant.ofEpochMilli(lastEventTimeMillis),
        candidate);
  }
}
