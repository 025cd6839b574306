package io.personalize.online;

/**
 * A {@link PrequentialScoreboard}'s cumulative state, as Flink operator state: per mode and user,
 * the two sums (squared and absolute errors, or hits and reciprocal ranks) and the number of
 * predictions, plus each user's event count; and per mode, the sums of the users it no longer
 * keeps, by the group they were in when they left. A POJO of arrays.
 */
public class ScoreboardSnapshot {
  public String[] modes = new String[0];
  public String[] users = new String[0];
  public long[] userEvents = new long[0];

  /** Per mode, per user (same order as {@link #users}): sse, sae, n, flattened in threes. */
  public double[][] errors = new double[0][];

  /** Per mode: the list length of a recommender's list checks, 0 for a rating mode. */
  public int[] listLengths = new int[0];

  /**
   * Per mode, per group 0..C (0 = all): the sums of the users forgotten (idle or over the bound),
   * flattened in threes as {@link #errors}. Empty or null in snapshots taken before they were kept
   * (users were then dropped with their sums).
   */
  public double[][] retired = new double[0][];

  /** Per mode, per group 0..C: how many users {@link #retired} holds. */
  public long[][] retiredUsers = new long[0][];

  public ScoreboardSnapshot() {}
}
