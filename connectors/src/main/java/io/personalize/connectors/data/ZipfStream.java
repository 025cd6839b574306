package io.personalize.connectors.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic stream of ratings whose users and items are both drawn from a Zipf law, for
 * throughput benchmarks: rank r (1-based) has probability proportional to {@code r^-exponent}, and
 * which id gets which rank is a seeded shuffle, so busy users and popular items are spread over the
 * key space and over Kafka partitions.
 *
 * <ul>
 *   <li>Ids: users {@code "u0".."u<users-1>"}, items {@code "i0".."i<items-1>"}; the data set lists
 *       no item metadata.
 *   <li>Ratings 1..5 ({@link SyntheticData#SCALE}): 3.5 + user bias + item bias + noise (standard
 *       deviations 0.4, 0.4, 0.8), rounded and clipped, so a model has something to learn.
 *   <li>Time: one event every {@link #SPACING_MILLIS} ms from {@link SyntheticData#START_MILLIS} (3
 *       million events span about 35 days).
 * </ul>
 *
 * Not every user or item need occur: the tail of a Zipf law over many ids is thin.
 */
public final class ZipfStream {
  /** Event time between consecutive events. */
  public static final long SPACING_MILLIS = 1_000;

  private static final double MEAN = 3.5;
  private static final double BIAS_SD = 0.4;
  private static final double NOISE_SD = 0.8;

  private ZipfStream() {}

  /**
   * @param seed the same seed (and sizes) give the same stream
   * @param events number of events, at least 1; with the same seed, users and items, a shorter
   *     stream is the longer one's first events
   * @param users number of distinct user ids to draw from, at least 1
   * @param items number of distinct item ids to draw from, at least 1
   * @param exponent the Zipf exponent of both laws, at least 0 (0: uniform)
   */
  public static Dataset generate(long seed, int events, int users, int items, double exponent) {
    if (events < 1 || users < 1 || items < 1) {
      throw new IllegalArgumentException(
          "events, users and items must be at least 1, got "
              + events
              + ", "
              + users
              + " and "
              + items);
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("the Zipf exponent must be >= 0, got " + exponent);
    }
    Random random = new Random(seed);
    Law userLaw = new Law(users, exponent, random);
    Law itemLaw = new Law(items, exponent, random);
    double[] userBias = gaussians(users, BIAS_SD, random);
    double[] itemBias = gaussians(items, BIAS_SD, random);
    String[] userIds = ids("u", users);
    String[] itemIds = ids("i", items);
    List<Interaction> interactions = new ArrayList<>(events);
    for (int e = 0; e < events; e++) {
      int u = userLaw.draw(random);
      int i = itemLaw.draw(random);
      double raw = MEAN + userBias[u] + itemBias[i] + NOISE_SD * random.nextGaussian();
      double rating = Math.max(1, Math.min(5, Math.rint(raw)));
      interactions.add(
          new Interaction(
              userIds[u], itemIds[i], rating, SyntheticData.START_MILLIS + e * SPACING_MILLIS));
    }
    return new Dataset("zipf", "generated", interactions, Map.of(), SyntheticData.SCALE);
  }

  private static String[] ids(String prefix, int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = prefix + i;
    }
    return ids;
  }

  private static double[] gaussians(int n, double sd, Random random) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = sd * random.nextGaussian();
    }
    return values;
  }

  /** A Zipf law over {@code 0..n-1}: cumulative weights by rank, ranks shuffled onto ids. */
  private static final class Law {
    private final double[] cumulative;
    private final int[] idOfRank;

    Law(int n, double exponent, Random random) {
      cumulative = new double[n];
      double sum = 0;
      for (int r = 0; r < n; r++) {
        sum += Math.pow(r + 1.0, -exponent);
        cumulative[r] = sum;
      }
      idOfRank = SyntheticData.permutation(n, random);
    }

    int draw(Random random) {
      double target = random.nextDouble() * cumulative[cumulative.length - 1];
      int r = Arrays.binarySearch(cumulative, target);
      r = r >= 0 ? r : -r - 1;
      return idOfRank[Math.min(r, idOfRank.length - 1)];
    }
  }
}
