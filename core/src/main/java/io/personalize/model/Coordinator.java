package io.personalize.model;

/**
 * Algorithm 3.1 as a pure function: from the users' data counts to group boundaries, and from a
 * group to the number of borrowed global steps t_u of the literal batch form.
 */
public final class Coordinator {
  private Coordinator() {}

  /** Boundaries over the given positive counts (zeros are ignored: such users have no data). */
  public static GroupBoundaries boundaries(long version, int groups, long[] counts) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (long count : counts) {
      if (count > 0) {
        double d = Math.log(count);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
    }
    if (min == Double.POSITIVE_INFINITY) {
      return new GroupBoundaries(version, groups, 0, 0);
    }
    return new GroupBoundaries(version, groups, min, max);
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
