package io.personalize.online;

/**
 * A {@link PrequentialScoreboard}'s cumulative state, as Flink operator state: per mode and user,
 * the summed squared and absolute errors and the number of predictions, plus each user's event
 * count. A POJO of arrays.
 */
public class ScoreboardSnapshot {
  public String[] modes = new String[0];
  public String[] users = new String[0];
  public long[] userEvents = new long[0];

  /** Per mode, per user (same order as {@link #users}): sse, sae, n, flattened in threes. */
  public double[][] errors = new double[0][];

  public ScoreboardSnapshot() {}
}
