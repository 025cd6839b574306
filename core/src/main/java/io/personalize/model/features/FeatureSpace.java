package io.personalize.model.features;

import io.personalize.model.FeatureVector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The item feature space of the engine, fixed by configuration so that every operator maps an item
 * to the same vector: a genre vocabulary, year buckets, popularity buckets from the item's event
 * count, and hashed buckets for genres outside the vocabulary and any other named feature. Vectors
 * are scaled to unit length: one-hot blocks (year, popularity) each add a constant 1 to |x|^2, so
 * without scaling every block would act as another copy of the user bias and multiply the step size
 * along it; with unit length the feature terms step the same whatever the number of blocks or
 * genres. The evaluator and the job both describe items here, so both learn on the same vectors.
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

  /** Release-year buckets: before 1950, five-year spans 1950-2019, 2020 and later. */
  static final int YEAR_BUCKETS = 16;

  /** Popularity buckets: floor(log2(1 + count)), capped. */
  public static final int POPULARITY_BUCKETS = 16;

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

  /** The genre vocabulary's size: a metadata vector's indices below it are its genres. */
  public int genreCount() {
    return genres;
  }

  public int dimension() {
    return genres + YEAR_BUCKETS + POPULARITY_BUCKETS + hashed.dimension();
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
    int hashedOffset = genres + YEAR_BUCKETS + POPULARITY_BUCKETS;
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
    idx[n] = genres + YEAR_BUCKETS + popularityBucket(count);
    val[n] = 1;
    return FeatureVector.of(idx, val).normalized();
  }

  /**
   * The popularity bucket of an item with {@code count} events so far: floor(log2(1 + count)),
   * capped, so an item moves up a bucket at counts 1, 3, 7, 15, ...
   */
  public static int popularityBucket(long count) {
    int b = 63 - Long.numberOfLeadingZeros(count + 1);
    return Math.min(b, POPULARITY_BUCKETS - 1);
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
