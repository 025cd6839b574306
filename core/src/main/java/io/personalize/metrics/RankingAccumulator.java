package io.personalize.metrics;

/**
 * Per-user ranking metrics averaged over users: MAP, MRR, nDCG over the full list, and nDCG, hit
 * rate, precision and recall at a fixed K.
 *
 * <p>Contract: each user is ranked once by the rules of {@link RankingMetrics} (score descending,
 * ties by earlier index, {@code k <= 0} or {@code k > n} meaning the whole list). A user with no
 * relevant item is skipped and counted in {@link #skipped()}: every metric would be 0 for any
 * ranking, so averaging it in would measure the data, not the model. {@link #users()} counts the
 * users that entered the means; every mean is {@code NaN} when there are none. {@link #merge}
 * requires the same K and equals single-pass accumulation up to summation order. Not thread-safe.
 */
public final class RankingAccumulator {

  private final int k;
  private long users;
  private long skipped;
  private double sumAp;
  private double sumRr;
  private double sumNdcg;
  private double sumNdcgAtK;
  private double sumHitRate;
  private double sumPrecision;
  private double sumRecall;

  /** An accumulator for metrics at cut-off {@code k} ({@code k <= 0}: the whole list). */
  public RankingAccumulator(int k) {
    this.k = k;
  }

  /**
   * Adds one user's scored list.
   *
   * @return whether the user was counted (false if nothing in the list is relevant)
   * @throws IllegalArgumentException if the lengths differ or a score is NaN
   */
  public boolean add(double[] scores, boolean[] relevant) {
    boolean[] ranked = RankingMetrics.rankedRelevance(scores, relevant);
    int relevantCount = RankingMetrics.countRelevant(ranked);
    if (relevantCount == 0) {
      skipped++;
      return false;
    }
    users++;
    sumAp += RankingMetrics.averagePrecision(ranked, relevantCount);
    sumRr += RankingMetrics.reciprocalRank(ranked);
    sumNdcg += RankingMetrics.ndcg(ranked, relevantCount, 0);
    sumNdcgAtK += RankingMetrics.ndcg(ranked, relevantCount, k);
    sumHitRate += RankingMetrics.hitRate(ranked, k);
    sumPrecision += RankingMetrics.precisionAtK(ranked, k);
    sumRecall += RankingMetrics.recallAtK(ranked, relevantCount, k);
    return true;
  }

  /**
   * Folds {@code other} into this accumulator; {@code other} is left unchanged.
   *
   * @throws IllegalArgumentException if the two were built with different K
   */
  public RankingAccumulator merge(RankingAccumulator other) {
    if (other.k != k) {
      throw new IllegalArgumentException("cannot merge K=" + other.k + " into K=" + k);
    }
    users += other.users;
    skipped += other.skipped;
    sumAp += other.sumAp;
    sumRr += other.sumRr;
    sumNdcg += other.sumNdcg;
    sumNdcgAtK += other.sumNdcgAtK;
    sumHitRate += other.sumHitRate;
    sumPrecision += other.sumPrecision;
    sumRecall += other.sumRecall;
    return this;
  }

  /** The cut-off K of the {@code @K} metrics, as given to the constructor. */
  public int k() {
    return k;
  }

  /** Users that entered the means. */
  public long users() {
    return users;
  }

  /** Users left out because nothing in their list was relevant. */
  public long skipped() {
    return skipped;
  }

  /** Mean average precision. */
  public double map() {
    return mean(sumAp);
  }

  /** Mean reciprocal rank. */
  public double mrr() {
    return mean(sumRr);
  }

  /** Mean nDCG over each user's full list. */
  public double ndcg() {
    return mean(sumNdcg);
  }

  /** Mean nDCG@K. */
  public double ndcgAtK() {
    return mean(sumNdcgAtK);
  }

  /** Mean HR@K: the share of users with a relevant item in their top K. */
  public double hitRateAtK() {
    return mean(sumHitRate);
  }

  /** Mean precision@K (per user divided by min(K, list length)). */
  public double precisionAtK() {
    return mean(sumPrecision);
  }

  /** Mean recall@K. */
  public double recallAtK() {
    return mean(sumRecall);
  }

  private double mean(double sum) {
    return users == 0 ? Double.NaN : sum / users;
  }

  @Override
  public String toString() {
    return "RankingAccumulator{k="
        + k
        + ", users="
        + users
        + ", skipped="
        + skipped
        + ", map="
        + map()
        + ", mrr="
        + mrr()
        + ", ndcg="
        + ndcg()
        + ", ndcgAtK="
        + ndcgAtK()
        + ", hitRateAtK="
        + hitRateAtK()
        + ", precisionAtK="
        + precisionAtK()
        + ", recallAtK="
        + recallAtK()
        + "}";
  }
}
