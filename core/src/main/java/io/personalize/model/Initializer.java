package io.personalize.model;

import java.util.SplittableRandom;

/**
 * Deterministic initial values of factor rows: row {@code id} of a given {@code seed} always gets
 * the same values, so a replica, a restarted job or a test rebuilds the same starting model without
 * shipping it.
 */
public final class Initializer {
  private final long seed;
  private final double std;

  public Initializer(long seed, double std) {
    if (!(std >= 0)) {
      throw new IllegalArgumentException("init std must be >= 0, was " + std);
    }
    this.seed = seed;
    this.std = std;
  }

  /** Fills {@code row[offset .. offset+k)} with N(0, std^2) values drawn for row {@code id}. */
  public void fill(double[] row, int offset, int k, long id, long stream) {
    SplittableRandom random = new SplittableRandom(mix(seed, stream, id));
    for (int f = 0; f < k; f++) {
      row[offset + f] = std == 0 ? 0 : std * gaussian(random);
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; one value per call keeps the draw for a row independent of k's parity.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static long mix(long seed, long stream, long id) {
    long h = seed * 0x9E3779B97F4A7C15L + stream;
    h ^= id * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 31;
    return h * 0xBF58476D1CE4E5B9L;
  }

  public static final long ITEM_STREAM = 1;
  public static final long USER_STREAM = 2;
}
