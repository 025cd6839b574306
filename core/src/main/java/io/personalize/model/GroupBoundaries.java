package io.personalize.model;

/**
 * The coordinator's output (Algorithm 3.1): C groups of equal width s = (d_max - d_min) / C on the
 * log data count d = log |D_u|. A user computes its own group from its own count, so only these
 * four numbers travel.
 *
 * <p>Group i (1-based) holds d in [d_min + (i-1) s, d_min + i s]. The paper's loop takes the first
 * interval that contains d, so a count exactly on a boundary goes to the lower group; d_min is in
 * group 1 and d_max in group C. When every count is equal (s = 0), everyone is in group 1, the
 * group that borrows most, which is the safe choice with no evidence of data abundance.
 */
public record GroupBoundaries(long version, int groups, double logCountMin, double logCountMax) {
  private static final double BOUNDARY_TOLERANCE = 1e-9;

  public GroupBoundaries {
    if (groups < 1) {
      throw new IllegalArgumentException("groups must be >= 1, was " + groups);
    }
    if (!(logCountMin >= 0 && logCountMax >= logCountMin)) {
      throw new IllegalArgumentException(
          "need 0 <= d_min <= d_max, was " + logCountMin + ", " + logCountMax);
    }
  }

  /** Boundaries before any data: every user is in group 1. */
  public static GroupBoundaries initial(int groups) {
    return new GroupBoundaries(0, groups, 0, 0);
  }

  /** The group (1..C) of a user with {@code count} events; counts below 1 count as 1. */
  public int groupOf(long count) {
    double width = (logCountMax - logCountMin) / groups;
    if (width <= 0) {
      return 1;
    }
    double position = (Math.log(Math.max(count, 1)) - logCountMin) / width;
    double nearest = Math.rint(position);
    if (Math.abs(position - nearest) < BOUNDARY_TOLERANCE) {
      position = nearest;
    }
    int zeroBased = (int) Math.ceil(position) - 1;
    return Math.min(groups, Math.max(0, zeroBased) + 1);
  }
}
