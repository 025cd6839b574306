package io.personalize.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.FeatureVector;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturesTest {
  private static final double EPS = 1e-12;

  // ---- FeatureVector ----

  @Test
  void featureVectorRejectsDuplicateAndNegativeIndices() {
    assertThatThrownBy(() -> FeatureVector.of(new int[] {2, 5, 2}, new double[] {1, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureVector.of(new int[] {3, -1}, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureVector.of(new int[] {-1}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureVector.of(new int[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void featureVectorKeepsItsOrderAndCopiesItsInput() {
    int[] idx = {7, 0, 3};
    double[] val = {0.5, -2, 4};
    FeatureVector x = FeatureVector.of(idx, val);
    idx[0] = 99;
    val[0] = 99;
    assertThat(x.size()).isEqualTo(3);
    assertThat(x.index(0)).isEqualTo(7);
    assertThat(x.value(0)).isEqualTo(0.5);
    assertThat(x.index(1)).isZero();
    assertThat(x.minDimension()).isEqualTo(8);
    assertThat(FeatureVector.EMPTY.minDimension()).isZero();
    // 0.5 * w7 - 2 * w0 + 4 * w3 with w = j + 1: 0.5 * 8 - 2 * 1 + 4 * 4 = 18
    assertThat(x.dot(new double[] {1, 2, 3, 4, 5, 6, 7, 8})).isCloseTo(18, within(EPS));
    FeatureVector shifted = x.shifted(10);
    assertThat(shifted.index(0)).isEqualTo(17);
    assertThat(shifted.index(1)).isEqualTo(10);
    assertThat(shifted.value(2)).isEqualTo(4);
    assertThat(FeatureVector.concat(x, FeatureVector.of(new int[] {8}, new double[] {1})))
        .isEqualTo(FeatureVector.of(new int[] {7, 0, 3, 8}, new double[] {0.5, -2, 4, 1}));
    assertThat(FeatureVector.concat(FeatureVector.EMPTY, x)).isSameAs(x);
    assertThat(FeatureVector.concat(x, FeatureVector.EMPTY)).isSameAs(x);
  }

  // ---- FeatureSpace ----

  /**
   * A space of three genres and 4 hashed buckets: genres 0..2, years 3..18, popularity 19..34,
   * hashed 35..38.
   */
  private static final FeatureSpace SPACE =
      new FeatureSpace(List.of("Drama", "Comedy", "Horror"), 4);

  @Test
  void yearBuckets() {
    assertThat(FeatureSpace.yearBucket(1900)).isZero();
    assertThat(FeatureSpace.yearBucket(1949)).isZero();
    assertThat(FeatureSpace.yearBucket(1950)).isEqualTo(1);
    assertThat(FeatureSpace.yearBucket(1954)).isEqualTo(1);
    assertThat(FeatureSpace.yearBucket(1955)).isEqualTo(2);
    assertThat(FeatureSpace.yearBucket(1995)).isEqualTo(10); // 1 + 45 / 5
    assertThat(FeatureSpace.yearBucket(2019)).isEqualTo(14); // 1 + 69 / 5
    assertThat(FeatureSpace.yearBucket(2020)).isEqualTo(15);
    assertThat(FeatureSpace.yearBucket(2035)).isEqualTo(15);
  }

  @Test
  void dimensionIsGenresYearsPopularityAndHashedBuckets() {
    assertThat(SPACE.dimension()).isEqualTo(3 + 16 + 16 + 4);
    // The default space: 21 MovieLens genre names (some data sets spell Children two ways).
    assertThat(new FeatureSpace(FeatureSpace.MOVIELENS_GENRES, 16).dimension())
        .isEqualTo(21 + 16 + 16 + 16);
  }

  @Test
  void genresWeighOneOverSqrtOfTheirNumberAndTheYearIsOneHot() {
    double half = 1 / Math.sqrt(2); // 0.7071...
    // Drama, Comedy and 1995: indices 0, 1 and 3 + 10, values 1/sqrt(2), 1/sqrt(2), 1.
    assertDescription(
        SPACE.describe(List.of("Drama", "Comedy"), 1995, Map.of()),
        new int[] {0, 1, 13},
        new double[] {half, half, 1});
    // A repeated genre counts once: Comedy, Horror and 1949 (bucket 0).
    assertDescription(
        SPACE.describe(List.of("Comedy", "Comedy", "Horror"), 1949, Map.of()),
        new int[] {1, 2, 3},
        new double[] {half, half, 1});
    // No year, no genres: nothing.
    assertDescription(SPACE.describe(List.of(), null, Map.of()), new int[0], new double[0]);
  }

  @Test
  void unknownGenresAndNamedFeaturesAreHashed() {
    // "Western" is not in the vocabulary: it is hashed as "genre=Western" with its genre weight
    // 1/sqrt(2) (two genres); "budget" is hashed with its value. Buckets by FNV-1a mod 4.
    int western = new HashedFeatures(4).bucket("genre=Western");
    int budget = new HashedFeatures(4).bucket("budget");
    FeatureSpace.ItemDescription d =
        SPACE.describe(List.of("Drama", "Western"), null, Map.of("budget", 3.0));
    double half = 1 / Math.sqrt(2);
    Map<Integer, Double> expected = new HashMap<>();
    expected.put(0, half);
    expected.merge(35 + western, half, Double::sum);
    expected.merge(35 + budget, 3.0, Double::sum);
    Map<Integer, Double> actual = new HashMap<>();
    for (int k = 0; k < d.indices().length; k++) {
      actual.put(d.indices()[k], d.values()[k]);
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void vectorAddsThePopularityBucketAndHasUnitLength() {
    double half = 1 / Math.sqrt(2);
    FeatureSpace.ItemDescription d = SPACE.describe(List.of("Drama", "Comedy"), 1995, Map.of());
    // |x|^2 = 1/2 + 1/2 (genres) + 1 (year) + 1 (popularity) = 3: every entry divided by sqrt(3).
    double genre = half / Math.sqrt(3); // 0.4082...
    double oneHot = 1 / Math.sqrt(3); // 0.5773...
    // Count 0: popularity bucket 0, index 19.
    assertVector(
        SPACE.vector(d, 0), new int[] {0, 1, 13, 19}, new double[] {genre, genre, oneHot, oneHot});
    // Count 5: floor(log2(6)) = 2, index 21.
    assertVector(
        SPACE.vector(d, 5), new int[] {0, 1, 13, 21}, new double[] {genre, genre, oneHot, oneHot});
    // Without metadata the vector is the popularity one-hot alone.
    assertVector(
        SPACE.vector(FeatureSpace.ItemDescription.NONE, 1), new int[] {20}, new double[] {1});
  }

  private static void assertDescription(
      FeatureSpace.ItemDescription d, int[] indices, double[] values) {
    assertThat(d.indices()).containsExactly(indices);
    assertThat(d.values()).containsExactly(values, within(EPS));
  }

  private static void assertVector(FeatureVector x, int[] indices, double[] values) {
    assertThat(x.size()).isEqualTo(indices.length);
    for (int k = 0; k < indices.length; k++) {
      assertThat(x.index(k)).as("index %d", k).isEqualTo(indices[k]);
      assertThat(x.value(k)).as("value %d", k).isCloseTo(values[k], within(EPS));
    }
  }

  @Test
  void popularityBucketIsFloorLog2OfOnePlusCount() {
    assertThat(FeatureSpace.popularityBucket(0)).isZero(); // log2(1) = 0
    assertThat(FeatureSpace.popularityBucket(1)).isEqualTo(1); // log2(2) = 1
    assertThat(FeatureSpace.popularityBucket(2)).isEqualTo(1); // log2(3) = 1.58
    assertThat(FeatureSpace.popularityBucket(3)).isEqualTo(2); // log2(4) = 2
    assertThat(FeatureSpace.popularityBucket(6)).isEqualTo(2); // log2(7) = 2.81
    assertThat(FeatureSpace.popularityBucket(7)).isEqualTo(3); // log2(8) = 3
    assertThat(FeatureSpace.popularityBucket(8)).isEqualTo(3); // log2(9) = 3.17
    assertThat(FeatureSpace.popularityBucket(32_766)).isEqualTo(14); // log2(32767) = 14.99
    assertThat(FeatureSpace.popularityBucket(32_767)).isEqualTo(15); // log2(32768) = 15
    // Capped at the last bucket.
    assertThat(FeatureSpace.popularityBucket(65_535)).isEqualTo(15); // log2(65536) = 16
    assertThat(FeatureSpace.popularityBucket(Long.MAX_VALUE)).isEqualTo(15);
  }

  // ---- ItemCatalog ----

  @Test
  void catalogCountsTheItemsThatHaveMetadata() {
    ItemCatalog catalog = new ItemCatalog(SPACE);
    catalog.observe(catalog.indexOf("seen only"));
    assertThat(catalog.described()).isZero();
    catalog.describe("b", SPACE.describe(List.of("Horror"), null, Map.of()));
    catalog.describe("c", SPACE.describe(List.of(), 1995, Map.of()));
    assertThat(catalog.described()).isEqualTo(2);
    catalog.describe("b", SPACE.describe(List.of("Comedy"), null, Map.of())); // an update
    assertThat(catalog.described()).isEqualTo(2);
    catalog.describe("c", SPACE.describe(List.of(), null, Map.of())); // its metadata emptied
    assertThat(catalog.described()).isEqualTo(1);
    assertThat(catalog.size()).isEqualTo(3);
  }

  @Test
  void catalogIndexesItemsInArrivalOrderAndRebuildsVectorsOnlyWhenTheBucketChanges() {
    ItemCatalog catalog = new ItemCatalog(SPACE);
    assertThat(catalog.indexOf("b")).isZero();
    assertThat(catalog.indexOf("a")).isEqualTo(1);
    assertThat(catalog.indexOf("b")).isZero();
    catalog.describe("b", SPACE.describe(List.of("Horror"), null, Map.of()));
    double half = 1 / Math.sqrt(2); // a genre and popularity: |x|^2 = 2
    FeatureVector first = catalog.features(0);
    assertVector(first, new int[] {2, 19}, new double[] {half, half});
    assertThat(catalog.features(0)).isSameAs(first);

    catalog.observe(0); // count 1: bucket 1
    FeatureVector second = catalog.features(0);
    assertVector(second, new int[] {2, 20}, new double[] {half, half});
    catalog.observe(0); // count 2: still bucket 1, the cached vector stays
    assertThat(catalog.features(0)).isSameAs(second);
    catalog.addCount(0, 5); // count 7: bucket 3
    assertVector(catalog.features(0), new int[] {2, 22}, new double[] {half, half});
    assertThat(second.index(1)).isEqualTo(20); // handed-out vectors never change

    // Item "a" has no metadata; 200 new items grow the arrays past their initial capacity.
    assertVector(catalog.features(1), new int[] {19}, new double[] {1});
    for (int i = 0; i < 200; i++) {
      catalog.observe(catalog.indexOf("item-" + i));
    }
    assertThat(catalog.size()).isEqualTo(202);
    assertThat(catalog.count(201)).isEqualTo(1);
    assertThat(catalog.id(201)).isEqualTo("item-199");
  }

  @Test
  void catalogMetadataIsKeptUntilTheDescriptionChanges() {
    ItemCatalog catalog = new ItemCatalog(SPACE);
    assertThat(catalog.metadata(catalog.indexOf("a")).size()).isZero(); // no metadata yet
    catalog.describe("a", SPACE.describe(List.of("Horror"), null, Map.of()));
    FeatureVector horror = catalog.metadata(0);
    assertVector(horror, new int[] {2}, new double[] {1});
    catalog.observe(0); // popularity is not part of the metadata
    assertThat(catalog.metadata(0)).isSameAs(horror);
    catalog.describe("a", SPACE.describe(List.of("Horror", "Comedy"), null, Map.of()));
    assertThat(catalog.metadata(0)).isNotSameAs(horror);
    assertThat(catalog.metadata(0).size()).isEqualTo(2);
    assertVector(horror, new int[] {2}, new double[] {1}); // handed-out vectors never change
  }

  // ---- HashedFeatures ----

  /** 32-bit FNV-1a written out with unsigned arithmetic in a long, independently of the class. */
  private static long fnv1a(String name) {
    long h = 2166136261L; // 0x811C9DC5
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h = (h * 16777619L) & 0xFFFFFFFFL; // 0x01000193
    }
    return h;
  }

  @Test
  void hashIsFnv1aOfTheUtf8Bytes() {
    // Published FNV-1a 32-bit test vectors.
    assertThat(fnv1a("")).isEqualTo(0x811C9DC5L);
    assertThat(fnv1a("a")).isEqualTo(0xE40C292CL);
    assertThat(fnv1a("foobar")).isEqualTo(0xBF9CF968L);

    HashedFeatures hashed = new HashedFeatures(1000);
    assertThat(hashed.dimension()).isEqualTo(1000);
    // "a": 0xE40C292C is -468965076 as an int; floorMod(-468965076, 1000) = 924.
    assertThat(hashed.bucket("a")).isEqualTo(924);
    // "foobar": 0xBF9CF968 is -1080231576 as an int; floorMod = 424.
    assertThat(hashed.bucket("foobar")).isEqualTo(424);
    // "": 0x811C9DC5 is -2128831035; floorMod = 965.
    assertThat(hashed.bucket("")).isEqualTo(965);
    // "tag:noir": 0x78FE1ECB = 2029919947 is positive; 2029919947 mod 1000 = 947.
    assertThat(hashed.bucket("tag:noir")).isEqualTo(947);
    // Non-ASCII names hash their UTF-8 bytes.
    assertThat(hashed.bucket("café"))
        .isEqualTo((int) Math.floorMod((int) fnv1a("café"), 1000L))
        .isNotEqualTo(hashed.bucket("cafe"));
    for (String name : List.of("genre:drama", "x", "tag:space", "keyword:heist", "Ümlaut")) {
      assertThat(hashed.bucket(name)).isEqualTo(Math.floorMod((int) fnv1a(name), 1000));
    }
  }

  @Test
  void hashedVectorsAreDeterministicAndCollisionsAreSummed() {
    HashedFeatures hashed = new HashedFeatures(16);
    // tag:space, tag:vampire and tag:war all land in bucket 7; tag:jazz in 10; tag:noir in 11.
    assertThat(hashed.bucket("tag:space")).isEqualTo(7);
    assertThat(hashed.bucket("tag:vampire")).isEqualTo(7);
    assertThat(hashed.bucket("tag:war")).isEqualTo(7);
    assertThat(hashed.bucket("tag:jazz")).isEqualTo(10);
    assertThat(hashed.bucket("tag:noir")).isEqualTo(11);

    Map<String, Double> named = new LinkedHashMap<>();
    named.put("tag:noir", 2.0);
    named.put("tag:space", 1.0);
    named.put("tag:jazz", -0.5);
    named.put("tag:war", 0.25);
    FeatureVector x = hashed.vector(named);
    assertThat(x)
        .isEqualTo(FeatureVector.of(new int[] {7, 10, 11}, new double[] {1.25, -0.5, 2.0}));

    // Same names in another map order: the same vector.
    Map<String, Double> reordered = new HashMap<>();
    reordered.put("tag:war", 0.25);
    reordered.put("tag:jazz", -0.5);
    reordered.put("tag:space", 1.0);
    reordered.put("tag:noir", 2.0);
    assertThat(new HashedFeatures(16).vector(reordered)).isEqualTo(x);
    assertThat(hashed.vector(Map.of()).size()).isZero();

    // One bucket: everything collides into one sum.
    assertThat(new HashedFeatures(1).vector(named))
        .isEqualTo(FeatureVector.of(new int[] {0}, new double[] {2.75}));
  }

  @Test
  void hashedFeaturesRejectNonFiniteValuesAndNoBuckets() {
    HashedFeatures hashed = new HashedFeatures(16);
    assertThatThrownBy(() -> hashed.vector(Map.of("a", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> hashed.vector(Map.of("a", 1.0, "b", Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b'");
    assertThatThrownBy(() -> hashed.vector(Map.of("c", Double.NEGATIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HashedFeatures(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
