package io.personalize.model;

/**
 * Algorithm 3.1 as a pure function: from the users' data counts to group boundaries, and from a
 * group to the number of borrowed global steps t_u of the literal batch form.
 */
public final class Coordinator {
  private Coordinator() {}

  /** Boundaries over the given positive counts (zeros are ignored: such users have no data). */
  public static GroupBoundaries boundaries(long version, int groups, long[] counts) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long count : counts) {
      if (count > 0) {
        min = Math.min(min, count);
        max = Math.max(max, count);
      }
    }
    if (max == 0) {
      return new GroupBoundaries(version, groups, 0, 0);
    }
    // Math.log is semi-monotonic, so the logs of the extreme counts are the extremes of the logs:
    // two logs instead of one per user (the evaluator regroups over every user each 1,000 events).
    return new GroupBoundaries(version, groups, Math.log(min), Math.log(max));
  }

  /**
   * t_u = floor(T p_u). With {@link BorrowDirection#LESS_DATA_BORROWS_MORE}, p_u = (C - i + 1) / C,
   * so group 1 borrows all T steps (it is the global model) and group C borrows T / C. With {@link
   * BorrowDirection#MORE_DATA_BORROWS_MORE}, p_u = i / C, as Algorithm 3.1 is transcribed.
   */
  public static int borrowedSteps(
      int group, int groups, int totalSteps, BorrowDirection direction) {
    if (group < 1 || group > groups) {
      throw new IllegalArgumentException("group " + group + " outside 1.." + groups);
    }
    int numerator =
        direction == BorrowDirection.LESS_DATA_BORROWS_MORE ? groups - group + 1 : group;
    return (int) Math.floor((double) totalSteps * numerator / groups);
  }
}
