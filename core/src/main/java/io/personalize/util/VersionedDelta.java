package io.personalize.util;

/**
 * A change broadcast to replicas: its version, the version it applies on top of, and the latest
 * event time it covers (a replica applies it only once every event up to then has been scored).
 */
public interface VersionedDelta {
  long version();

  /** The version this delta applies on top of; a replica at another version has missed one. */
  long previousVersion();

  /** The latest event time among the events this delta covers. */
  long maxEventTimeMillis();
}
