package io.personalize.graph;

/**
 * How the item co-interaction graph is built and kept fresh.
 *
 * <p>Defaults ({@link #defaults()}), chosen with {@link RandomWalks} alone (its defaults) on
 * ml-100k, prequential HR@10 (every event in time order, the user's top 10 before it is learned),
 * and the yoochoose sample, next-click HR@20; to be tuned again with the ranking stage:
 *
 * <ul>
 *   <li>{@code windowMillis} 24 h: two items form a pair when one user touched both within a day of
 *       event time, the window of YouTube's co-watch graph; a day holds a session and the same
 *       evening's return visit. On ml-100k 1 h and 7 days scored alike: sessions are short there.
 *   <li>{@code halfLifeMillis} 30 days: an edge not renewed counts half after a month; weight w
 *       lives {@code 30 days * log2(w / minWeight)}, 200 days for a single pair (w = 1). On ml-100k
 *       (7 months), 7 days forgot too much (prequential HR@10 0.162 against 0.185), a year no
 *       better than 30 days (0.183).
 *   <li>{@code minWeight} 0.01, one hundredth of a fresh pair's unit weight (6.6 half-lives): below
 *       it an edge says less than one pair of one user and is dropped, which bounds how long an
 *       item with no new events keeps state.
 *   <li>{@code maxNeighbors} 50: the strongest 50 out-edges per item. 100 scored a little better on
 *       ml-100k (0.189) at twice the walk cost; 20 clearly worse.
 *   <li>{@code recentItems} 5: a user's sequence remembers the latest 5 distinct items, so one
 *       event makes at most 5 pairs. With the gap exponent 2 a pair 6 or more positions apart
 *       weighs at most 1/36 of a consecutive one, and one 10 or more apart is under {@code
 *       minWeight}, yet each pair costs the item graph a read and a write of an edge list and
 *       changes the rows the walks' expansions were computed from. 20 (the cap of the per-user
 *       operator's recent items, the default until 2026-12-06) made 11.7 pairs per event on the
 *       benchmark's stream; 5 made the full job 16-27% faster there, for ml-100k prequential-topn
 *       HR@10 of walks+rank+mmr 0.1636 against 0.1649 (8: 0.1647), leave-last-out alike, the
 *       yoochoose sessions unchanged, and the untuned sets as good or better
 *       (docs/recommendations.md, "Fewer item pairs per event").
 *   <li>{@code gapExponent} 2: a pair of items g positions apart in the user's sequence (g = 1 for
 *       consecutive items) weighs 1 / g^2 of its signal weight. With walks alone, pairs alike (0)
 *       scored 0.162 on ml-100k and HR@20 0.568 on yoochoose; consecutive items only, 0.159 and
 *       0.615; 1 / g, 0.185 and 0.609. Retuned with the ranking stage and the evaluator's top-N
 *       protocols (docs/recommendations.md): together with the walks' restart probability 0.3 and
 *       recency half-life 1, 1 / g^2 raised ml-100k leave-last-out HR@10 of walks+rank+mmr from
 *       0.664 to 0.681 (full catalog 0.178 to 0.181) and the yoochoose session HR@20 of walks from
 *       0.603 to 0.618, at a small cost in ml-100k prequential-topn (0.171 against 0.176 with the
 *       recency half-life alone).
 * </ul>
 *
 * @param windowMillis the longest gap in event time between two interactions of one user that still
 *     makes them a pair
 * @param halfLifeMillis the age at which an edge weight counts half: w(t) = w(t0) * 2^(-(t - t0) /
 *     halfLife)
 * @param minWeight edges whose decayed weight is below this are dropped (a fresh pair of
 *     consecutive items weighs its signal weight, 1 for a rating or click)
 * @param maxNeighbors the most out-edges an item keeps, strongest first
 * @param recentItems the most items a user's sequence remembers
 * @param gapExponent a pair's weight is its signal weight / gap^gapExponent, the gap counted in
 *     positions of the user's sequence; 0 weighs every pair in the window alike
 */
public record GraphSettings(
    long windowMillis,
    long halfLifeMillis,
    double minWeight,
    int maxNeighbors,
    int recentItems,
    double gapExponent)
    implements java.io.Serializable {
  private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

  public GraphSettings {
    if (windowMillis < 0) {
      throw new IllegalArgumentException("window must be >= 0 ms, was " + windowMillis);
    }
    if (halfLifeMillis <= 0) {
      throw new IllegalArgumentException("half-life must be > 0 ms, was " + halfLifeMillis);
    }
    // Zero would keep decayed edges forever: no expiry, unbounded state.
    if (!(minWeight > 0 && Double.isFinite(minWeight))) {
      throw new IllegalArgumentException("min weight must be > 0 and finite, was " + minWeight);
    }
    if (maxNeighbors < 1) {
      throw new IllegalArgumentException("max neighbors must be >= 1, was " + maxNeighbors);
    }
    if (recentItems < 1) {
      throw new IllegalArgumentException("recent items must be >= 1, was " + recentItems);
    }
    if (!(gapExponent >= 0 && Double.isFinite(gapExponent))) {
      throw new IllegalArgumentException("gap exponent must be >= 0, was " + gapExponent);
    }
  }

  public static GraphSettings defaults() {
    return new GraphSettings(DAY_MILLIS, 30 * DAY_MILLIS, 0.01, 50, 5, 2);
  }

  /**
   * The factor by which a weight shrinks over {@code elapsedMillis}: 2^(-elapsed / halfLife). Exact
   * for whole numbers of half-lives.
   */
  public double decay(long elapsedMillis) {
    return Math.pow(2, -(double) elapsedMillis / halfLifeMillis);
  }

  /** The share of its signal weight a pair of items {@code gap} positions apart gets. */
  public double gapWeight(int gap) {
    return Math.pow(gap, -gapExponent);
  }

  public GraphSettings withWindowMillis(long value) {
    return new GraphSettings(
        value, halfLifeMillis, minWeight, maxNeighbors, recentItems, gapExponent);
  }

  public GraphSettings withHalfLifeMillis(long value) {
    return new GraphSettings(
        windowMillis, value, minWeight, maxNeighbors, recentItems, gapExponent);
  }

  public GraphSettings withMinWeight(double value) {
    return new GraphSettings(
        windowMillis, halfLifeMillis, value, maxNeighbors, recentItems, gapExponent);
  }

  public GraphSettings withMaxNeighbors(int value) {
    return new GraphSettings(
        windowMillis, halfLifeMillis, minWeight, value, recentItems, gapExponent);
  }

  public GraphSettings withRecentItems(int value) {
    return new GraphSettings(
        windowMillis, halfLifeMillis, minWeight, maxNeighbors, value, gapExponent);
  }

  public GraphSettings withGapExponent(double value) {
    return new GraphSettings(
        windowMillis, halfLifeMillis, minWeight, maxNeighbors, recentItems, value);
  }
}
