package io.personalize.graph;

/**
 * How {@link RandomWalks} generates candidates.
 *
 * <p>Defaults ({@link #defaults()}), measured with walks alone on ml-100k and the yoochoose sample
 * (graph {@link GraphSettings#defaults()}):
 *
 * <ul>
 *   <li>{@code visits} EXPECTED: the exact expectation beat sampled walks of the same budget
 *       (ml-100k prequential HR@10 0.185 against 0.170 for 2,000 sampled steps, 0.181 for 10,000)
 *       and costs less than 10,000 sampled steps.
 *   <li>{@code steps} 2,000: Pixie's budget scale; it only splits the start items' shares under
 *       EXPECTED, and sets the noise of SAMPLED.
 *   <li>{@code maxWalkLength} 2 and {@code restartProbability} 0.3: two steps reach the neighbors
 *       of neighbors (and items the user returns to); one step scored 0.527 against 0.557 on
 *       ml-100k leave-last-out, three no better than two at three times the cost. With walks alone,
 *       between 0.3 and 0.8 the restart probability changed little; retuned with the ranking stage
 *       (docs/recommendations.md), 0.3 with the recency half-life 1 and the graph's gap exponent 2
 *       did best on ml-100k leave-last-out and the yoochoose sessions.
 *   <li>{@code popularityExponent} 0.25: raw visits (0) put the most popular items on top; 0.25
 *       keeps the hit rate and widens the catalog reached (ml-100k leave-last-out: HR@10 0.562 /
 *       coverage 492 items at 0, 0.557 / 643 at 0.25, 0.548 / 908 at 0.5).
 *   <li>{@code recencyHalfLife} 1 position: the latest item leads (weights 1, 0.5, 0.25, ...). With
 *       walks alone equal weights scored 0.523, a half-life of one item 0.559, three 0.562; with
 *       the ranking stage (docs/recommendations.md) one item did better in every top-N protocol:
 *       walks+rank+mmr ml-100k leave-last-out HR@10 0.664 against 0.661 (full catalog 0.181 against
 *       0.158), prequential-topn 0.176 against 0.175, yoochoose session walks HR@20 0.603 against
 *       0.590.
 * </ul>
 *
 * @param visits how visits are counted: sampled walks, or their exact expectation
 * @param steps the total number of steps (visits) of one query, split over the start items by their
 *     weights
 * @param restartProbability after each step, the walk returns to its start item with this
 *     probability (walk lengths are geometric, mean 1 / restartProbability, capped below)
 * @param maxWalkLength the most steps of one walk before it returns to its start item; also the
 *     number of power-iteration rounds of {@link Visits#EXPECTED}
 * @param popularityExponent alpha: scores are divided by (weighted in-degree)^alpha; 0 keeps raw
 *     visit scores, 1 divides the popularity out entirely
 * @param recencyHalfLife the start items' weights halve every this many positions back from the
 *     user's latest item; infinity weighs them alike
 */
public record WalkSettings(
    Visits visits,
    int steps,
    double restartProbability,
    int maxWalkLength,
    double popularityExponent,
    double recencyHalfLife)
    implements java.io.Serializable {

  /** How the visits of the walks are counted. */
  public enum Visits {
    /** Sampled walks with a seeded {@link java.util.SplittableRandom}: Pixie's visit counts. */
    SAMPLED,
    /**
     * The expected visit counts of the same walks, by power iteration from the start item: no
     * sampling noise, and so no seed.
     */
    EXPECTED
  }

  public WalkSettings {
    if (visits == null) {
      throw new IllegalArgumentException("visits must be SAMPLED or EXPECTED");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    if (!(restartProbability >= 0 && restartProbability <= 1)) {
      throw new IllegalArgumentException(
          "restart probability must be in [0, 1], was " + restartProbability);
    }
    if (maxWalkLength < 1) {
      throw new IllegalArgumentException("max walk length must be >= 1, was " + maxWalkLength);
    }
    if (!(popularityExponent >= 0 && Double.isFinite(popularityExponent))) {
      throw new IllegalArgumentException(
          "popularity exponent must be >= 0 and finite, was " + popularityExponent);
    }
    if (!(recencyHalfLife > 0)) {
      throw new IllegalArgumentException(
          "recency half-life must be > 0 positions, was " + recencyHalfLife);
    }
  }

  public static WalkSettings defaults() {
    return new WalkSettings(Visits.EXPECTED, 2_000, 0.3, 2, 0.25, 1);
  }

  public WalkSettings withVisits(Visits value) {
    return new WalkSettings(
        value, steps, restartProbability, maxWalkLength, popularityExponent, recencyHalfLife);
  }

  public WalkSettings withSteps(int value) {
    return new WalkSettings(
        visits, value, restartProbability, maxWalkLength, popularityExponent, recencyHalfLife);
  }

  public WalkSettings withRestartProbability(double value) {
    return new WalkSettings(
        visits, steps, value, maxWalkLength, popularityExponent, recencyHalfLife);
  }

  public WalkSettings withMaxWalkLength(int value) {
    return new WalkSettings(
        visits, steps, restartProbability, value, popularityExponent, recencyHalfLife);
  }

  public WalkSettings withPopularityExponent(double value) {
    return new WalkSettings(
        visits, steps, restartProbability, maxWalkLength, value, recencyHalfLife);
  }

  public WalkSettings withRecencyHalfLife(double value) {
    return new WalkSettings(
        visits, steps, restartProbability, maxWalkLength, popularityExponent, value);
  }
}
