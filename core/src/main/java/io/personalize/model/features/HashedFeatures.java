package io.personalize.model.features;

import io.personalize.model.FeatureVector;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Open sets of named features (tags, keywords, any key of an item's feature map) hashed into a
 * fixed number of buckets, so the weight vector has a fixed size whatever names arrive. Values of
 * names that collide are added. The hash is a fixed function of the name's UTF-8 bytes (FNV-1a), so
 * every operator and every run maps a name to the same bucket.
 */
public final class HashedFeatures {
  private final int buckets;

  public HashedFeatures(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("hash buckets must be >= 1, was " + buckets);
    }
    this.buckets = buckets;
  }

  public int dimension() {
    return buckets;
  }

  public int bucket(String name) {
    int h = 0x811C9DC5;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x01000193;
    }
    return Math.floorMod(h, buckets);
  }

  /** The hashed vector of named values; non-finite values are rejected. */
  public FeatureVector vector(Map<String, Double> named) {
    TreeMap<Integer, Double> summed = new TreeMap<>();
    for (Map.Entry<String, Double> entry : named.entrySet()) {
      double value = entry.getValue();
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "feature '" + entry.getKey() + "' is not finite: " + value);
      }
      summed.merge(bucket(entry.getKey()), value, Double::sum);
    }
    int[] idx = new int[summed.size()];
    double[] val = new double[summed.size()];
    int k = 0;
    for (Map.Entry<Integer, Double> entry : summed.entrySet()) {
      idx[k] = entry.getKey();
      val[k++] = entry.getValue();
    }
    return FeatureVector.of(idx, val);
  }
}
