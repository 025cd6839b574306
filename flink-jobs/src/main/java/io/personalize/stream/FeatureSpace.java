package io.personalize.stream;

import io.personalize.model.FeatureVector;
import io.personalize.model.features.HashedFeatures;
import io.personalize.model.features.PopularityFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The item feature space of the streaming job, fixed by configuration so that every operator maps
 * an item to the same vector: a genre vocabulary, year buckets, popularity buckets from the item's
 * event count, and hashed buckets for genres outside the vocabulary and any other named feature.
 * Vectors are scaled to unit length, as in the evaluator's {@code ItemFeatureTable}.
 */
public final class FeatureSpace {
  /** The genres of the MovieLens data sets (100k, 1m and latest), the default vocabulary. */
  public static final List<String> MOVIELENS_GENRES =
      List.of(
          "Action",
          "Adventure",
          "Animation",
          "Children's",
          "Children",
          "Comedy",
          "Crime",
          "Documentary",
          "Drama",
          "Fantasy",
          "Film-Noir",
          "Horror",
          "IMAX",
          "Musical",
          "Mystery",
          "Romance",
          "Sci-Fi",
          "Thriller",
          "War",
          "Western",
          "unknown");

  private static final int YEAR_BUCKETS = 16;

  private final Map<String, Integer> genreIndex = new HashMap<>();
  private final int genres;
  private final HashedFeatures hashed;

  public FeatureSpace(List<String> genreVocabulary, int hashBuckets) {
    for (String genre : genreVocabulary) {
      genreIndex.putIfAbsent(genre, genreIndex.size());
    }
    this.genres = genreIndex.size();
    this.hashed = new HashedFeatures(hashBuckets);
  }

  public int dimension() {
    return genres + YEAR_BUCKETS + PopularityFeatures.BUCKETS + hashed.dimension();
  }

  /** The static part of an item's vector (unscaled), from its metadata. */
  public ItemDescription describe(
      List<String> itemGenres, Integer year, Map<String, Double> named) {
    List<Integer> idx = new ArrayList<>();
    List<Double> val = new ArrayList<>();
    Map<String, Double> open = new HashMap<>(named);
    List<String> distinct = itemGenres.stream().distinct().toList();
    for (String genre : distinct) {
      Integer g = genreIndex.get(genre);
      if (g != null) {
        idx.add(g);
        val.add(1 / Math.sqrt(distinct.size()));
      } else {
        open.merge("genre=" + genre, 1 / Math.sqrt(distinct.size()), Double::sum);
      }
    }
    if (year != null) {
      idx.add(genres + yearBucket(year));
      val.add(1.0);
    }
    int hashedOffset = genres + YEAR_BUCKETS + PopularityFeatures.BUCKETS;
    FeatureVector hashedPart = hashed.vector(open);
    for (int k = 0; k < hashedPart.size(); k++) {
      idx.add(hashedOffset + hashedPart.index(k));
      val.add(hashedPart.value(k));
    }
    return new ItemDescription(
        idx.stream().mapToInt(Integer::intValue).toArray(),
        val.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The item's full vector: its description plus the popularity bucket of {@code count}. */
  public FeatureVector vector(ItemDescription description, long count) {
    int n = description.indices().length;
    int[] idx = java.util.Arrays.copyOf(description.indices(), n + 1);
    double[] val = java.util.Arrays.copyOf(description.values(), n + 1);
    idx[n] = genres + YEAR_BUCKETS + PopularityFeatures.bucket(count);
    val[n] = 1;
    return FeatureVector.of(idx, val).normalized();
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

  /** The metadata part of an item's features: indices and unscaled values. */
  public record ItemDescription(int[] indices, double[] values) {
    public static final ItemDescription NONE = new ItemDescription(new int[0], new double[0]);
  }
}
