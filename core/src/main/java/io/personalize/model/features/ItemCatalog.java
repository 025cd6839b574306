package io.personalize.model.features;

import io.personalize.model.FeatureVector;
import io.personalize.model.features.FeatureSpace.ItemDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The items one operator knows: a dense index per item id (in arrival order, so it differs between
 * operators; only ids travel), each item's metadata features and event count, and its current
 * feature vector, cached until its popularity bucket or metadata changes.
 */
public final class ItemCatalog {
  private final FeatureSpace space;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> ids = new ArrayList<>();
  private final List<ItemDescription> descriptions = new ArrayList<>();
  private long[] counts = new long[64];
  private final List<FeatureVector> cached = new ArrayList<>();
  private final List<FeatureVector> cachedMetadata = new ArrayList<>();
  private int[] cachedBucket = new int[64];
  private int described;

  public ItemCatalog(FeatureSpace space) {
    this.space = space;
  }

  /** The item's index, adding the item (no metadata, count 0) when it is new. */
  public int indexOf(String itemId) {
    Integer known = index.get(itemId);
    if (known != null) {
      return known;
    }
    int item = ids.size();
    index.put(itemId, item);
    ids.add(itemId);
    descriptions.add(ItemDescription.NONE);
    cached.add(null);
    cachedMetadata.add(null);
    if (item >= counts.length) {
      counts = Arrays.copyOf(counts, counts.length * 2);
      cachedBucket = Arrays.copyOf(cachedBucket, cachedBucket.length * 2);
    }
    return item;
  }

  public int size() {
    return ids.size();
  }

  public String id(int item) {
    return ids.get(item);
  }

  /** Metadata arrived (or changed) for the item. */
  public void describe(String itemId, ItemDescription description) {
    int item = indexOf(itemId);
    described += (hasMetadata(description) ? 1 : 0) - (hasMetadata(descriptions.get(item)) ? 1 : 0);
    descriptions.set(item, description);
    cached.set(item, null);
    cachedMetadata.set(item, null);
  }

  /** How many items have metadata (a genre, a year or a feature): none means no item features. */
  public int described() {
    return described;
  }

  private static boolean hasMetadata(ItemDescription description) {
    return description.indices().length > 0;
  }

  public ItemDescription description(int item) {
    return descriptions.get(item);
  }

  public long count(int item) {
    return counts[item];
  }

  public void addCount(int item, long delta) {
    counts[item] += delta;
  }

  /** One more event on the item, learned after its prediction: its popularity grows. */
  public void observe(int item) {
    counts[item]++;
  }

  /**
   * The item's metadata alone (genres, year, hashed features), without the popularity bucket: what
   * item similarity compares, so that items of like popularity do not look alike. Empty when the
   * item has no metadata.
   */
  public FeatureVector metadata(int item) {
    // Kept until the item's description changes: MMR asks for it hundreds of times per list.
    FeatureVector vector = cachedMetadata.get(item);
    if (vector == null) {
      ItemDescription description = descriptions.get(item);
      vector = FeatureVector.of(description.indices(), description.values());
      cachedMetadata.set(item, vector);
    }
    return vector;
  }

  /** The item's features now: metadata plus popularity, unit length. */
  public FeatureVector features(int item) {
    int bucket = FeatureSpace.popularityBucket(counts[item]);
    FeatureVector vector = cached.get(item);
    if (vector == null || cachedBucket[item] != bucket) {
      vector = space.vector(descriptions.get(item), counts[item]);
      cached.set(item, vector);
      cachedBucket[item] = bucket;
    }
    return vector;
  }
}
