package io.personalize.model;

import java.util.SplittableRandom;

/**
 * A share of the users drawn by a hash of the user: a function of the user's seed alone, so the
 * same users are in it in the evaluator and in the job, after a restart and at any parallelism.
 * Each sample has a salt of its own, which keeps the samples apart from one another and from the
 * other uses of the seed (a user's initial row).
 */
public final class UserSample {
  private UserSample() {}

  /**
   * About how many users a sample keeps at most by default, however many users there are: the
   * per-group choice needs a sample of users, not a share of them, and every evaluation data set
   * (at most 17,615 users, CiaoDVD) keeps its configured share of a half under it.
   */
  public static final long DEFAULT_MAX_USERS = 10_000;

  /** Whether the user of {@code userSeed} is in the sample of {@code share} (1: everyone). */
  public static boolean includes(long userSeed, long salt, double share) {
    return share >= 1 || new SplittableRandom(userSeed ^ salt).nextDouble() < share;
  }
}
