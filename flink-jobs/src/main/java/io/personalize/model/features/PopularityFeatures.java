package io.personalize.model.features;

import io.personalize.model.FeatureVector;
import java.util.Arrays;

/**
 * A one-hot bucket of how many events an item has had so far in the stream: bucket floor(log2(1 +
 * count)), capped. Counts grow with {@link #observe}, so an item moves up a bucket at counts 1, 3,
 * 7, 15, ...
 */
public final class PopularityFeatures implements ItemFeatureExtractor {
  public static final int BUCKETS = 16;

  private long[] counts = new long[64];
  private final FeatureVector[] oneHot = new FeatureVector[BUCKETS];

  public PopularityFeatures() {
    for (int b = 0; b < BUCKETS; b++) {
      oneHot[b] = FeatureVector.of(new int[] {b}, new double[] {1});
    }
  }

  public static int bucket(long count) {
    int b = 63 - Long.numberOfLeadingZeros(count + 1);
    return Math.min(b, BUCKETS - 1);
  }

  public long count(int item) {
    return item < counts.length ? counts[item] : 0;
  }

  public int bucketOf(int item) {
    return bucket(count(item));
  }

  @Override
  public int dimension() {
    return BUCKETS;
  }

  @Override
  public FeatureVector features(int item) {
    return oneHot[bucketOf(item)];
  }

  @Override
  public void observe(int item) {
    if (item >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(item + 1, counts.length * 2));
    }
    counts[item]++;
  }
}
