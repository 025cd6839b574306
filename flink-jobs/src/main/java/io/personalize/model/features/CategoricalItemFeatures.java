package io.personalize.model.features;

import io.personalize.model.FeatureVector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item features known from metadata: genres over a fixed vocabulary, each weighted 1/sqrt(number of
 * the item's genres) so that items with many genres do not get larger scores, and a one-hot bucket
 * of the release year. Items without metadata get an empty vector.
 */
public final class CategoricalItemFeatures implements ItemFeatureExtractor {
  /** Year buckets: before 1950, five-year spans 1950-2019, 2020 and later. */
  static final int YEAR_BUCKETS = 16;

  private final List<String> genres;
  private final List<FeatureVector> vectors;

  private CategoricalItemFeatures(List<String> genres, List<FeatureVector> vectors) {
    this.genres = genres;
    this.vectors = vectors;
  }

  /**
   * @param itemGenres genres of each dense item (null or empty for an item without metadata)
   * @param itemYears release year of each dense item (null when unknown)
   */
  public static CategoricalItemFeatures of(List<List<String>> itemGenres, List<Integer> itemYears) {
    if (itemGenres.size() != itemYears.size()) {
      throw new IllegalArgumentException("one genre list and one year per item");
    }
    List<String> vocabulary = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (List<String> genres : itemGenres) {
      if (genres != null) {
        for (String genre : genres) {
          index.computeIfAbsent(
              genre,
              g -> {
                vocabulary.add(g);
                return vocabulary.size() - 1;
              });
        }
      }
    }
    List<FeatureVector> vectors = new ArrayList<>(itemGenres.size());
    for (int item = 0; item < itemGenres.size(); item++) {
      List<String> genres =
          itemGenres.get(item) == null
              ? List.of()
              : List.copyOf(new java.util.LinkedHashSet<>(itemGenres.get(item)));
      Integer year = itemYears.get(item);
      int n = genres.size() + (year == null ? 0 : 1);
      int[] idx = new int[n];
      double[] val = new double[n];
      for (int g = 0; g < genres.size(); g++) {
        idx[g] = index.get(genres.get(g));
        val[g] = 1 / Math.sqrt(genres.size());
      }
      if (year != null) {
        idx[n - 1] = vocabulary.size() + yearBucket(year);
        val[n - 1] = 1;
      }
      vectors.add(FeatureVector.of(idx, val));
    }
    return new CategoricalItemFeatures(Collections.unmodifiableList(vocabulary), vectors);
  }

  static int yearBucket(int year) {
    if (year < 1950) {
      return 0;
    }
    if (year >= 2020) {
      return YEAR_BUCKETS - 1;
    }
    return 1 + (year - 1950) / 5;
  }

  public List<String> genres() {
    return genres;
  }

  @Override
  public int dimension() {
    return genres.size() + YEAR_BUCKETS;
  }

  @Override
  public FeatureVector features(int item) {
    return item < vectors.size() ? vectors.get(item) : FeatureVector.EMPTY;
  }
}
