package io.personalize.metrics;

/**
 * Mean of per-user AUCs (each user's scored items against that user's labels).
 *
 * <p>Contract: a user whose AUC is undefined (no positives or no negatives, including an empty
 * list) is skipped and counted in {@link #skipped()}, not scored as 0 or 0.5, because either value
 * would pull the mean toward a number the model never earned. {@link #users()} counts the users
 * that entered the mean; {@link #mean()} is {@code NaN} when none did. {@link #merge} equals
 * single-pass accumulation up to summation order. Not thread-safe.
 */
public final class UserAveragedAuc {

  private long users;
  private long skipped;
  private double sumAuc;

  /**
   * Adds one user's list.
   *
   * @return whether the user was counted (false if their AUC is undefined)
   * @throws IllegalArgumentException as {@link Auc#of}
   */
  public boolean add(double[] scores, boolean[] labels) {
    double auc = Auc.of(scores, labels);
    if (Double.isNaN(auc)) {
      skipped++;
      return false;
    }
    users++;
    sumAuc += auc;
    return true;
  }

  /** Folds {@code other} into this accumulator; {@code other} is left unchanged. */
  public UserAveragedAuc merge(UserAveragedAuc other) {
    users += other.users;
    skipped += other.skipped;
    sumAuc += other.sumAuc;
    return this;
  }

  /** Users whose AUC entered the mean. */
  public long users() {
    return users;
  }

  /** Users left out because their AUC is undefined. */
  public long skipped() {
    return skipped;
  }

  /** Mean AUC over counted users, or {@code NaN} when there are none. */
  public double mean() {
    return users == 0 ? Double.NaN : sumAuc / users;
  }

  @Override
  public String toString() {
    return "UserAveragedAuc{users=" + users + ", skipped=" + skipped + ", mean=" + mean() + "}";
  }
}
