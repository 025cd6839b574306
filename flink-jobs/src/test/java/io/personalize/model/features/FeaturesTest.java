package io.personalize.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.FeatureVector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  // ---- CategoricalItemFeatures ----

  @Test
  void yearBuckets() {
    assertThat(CategoricalItemFeatures.yearBucket(1900)).isZero();
    assertThat(CategoricalItemFeatures.yearBucket(1949)).isZero();
    assertThat(CategoricalItemFeatures.yearBucket(1950)).isEqualTo(1);
    assertThat(CategoricalItemFeatures.yearBucket(1954)).isEqualTo(1);
    assertThat(CategoricalItemFeatures.yearBucket(1955)).isEqualTo(2);
    assertThat(CategoricalItemFeatures.yearBucket(1995)).isEqualTo(10); // 1 + 45 / 5
    assertThat(CategoricalItemFeatures.yearBucket(2019)).isEqualTo(14); // 1 + 69 / 5
    assertThat(CategoricalItemFeatures.yearBucket(2020)).isEqualTo(15);
    assertThat(CategoricalItemFeatures.yearBucket(2035)).isEqualTo(15);
  }

  @Test
  void genresWeighOneOverSqrtOfTheirNumberAndTheYearIsOneHot() {
    CategoricalItemFeatures features =
        CategoricalItemFeatures.of(
            Arrays.asList(
                List.of("Drama", "Comedy"),
                List.of("Comedy", "Comedy", "Horror"), // duplicate collapsed: 2 genres
                null, // no metadata at all
                List.of("Horror"),
                List.of(), // no genres, but a year
                List.of("Drama", "Comedy", "Horror", "Drama")),
            Arrays.asList(1995, 1949, null, null, 2020, 1950));

    // Vocabulary in order of first appearance: Drama 0, Comedy 1, Horror 2; years from 3.
    assertThat(features.genres()).containsExactly("Drama", "Comedy", "Horror");
    assertThat(features.dimension()).isEqualTo(3 + 16);

    double half = 1 / Math.sqrt(2); // 0.7071...
    assertVector(features.features(0), new int[] {0, 1, 3 + 10}, new double[] {half, half, 1});
    assertVector(features.features(1), new int[] {1, 2, 3 + 0}, new double[] {half, half, 1});
    assertThat(features.features(2).size()).isZero();
    assertVector(features.features(3), new int[] {2}, new double[] {1});
    assertVector(features.features(4), new int[] {3 + 15}, new double[] {1});
    double third = 1 / Math.sqrt(3); // 0.5773...
    assertVector(
        features.features(5), new int[] {0, 1, 2, 3 + 1}, new double[] {third, third, third, 1});
    // Items beyond the metadata: empty.
    assertThat(features.features(6)).isSameAs(FeatureVector.EMPTY);
    // The genre part of every vector has unit norm.
    FeatureVector x = features.features(5);
    double norm = 0;
    for (int k = 0; k < x.size() - 1; k++) {
      norm += x.value(k) * x.value(k);
    }
    assertThat(norm).isCloseTo(1, within(EPS));
  }

  @Test
  void categoricalFeaturesNeedOneYearPerItem() {
    assertThatThrownBy(
            () -> CategoricalItemFeatures.of(List.of(List.of("Drama")), Arrays.asList(1990, 1991)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertVector(FeatureVector x, int[] indices, double[] values) {
    assertThat(x.size()).isEqualTo(indices.length);
    for (int k = 0; k < indices.length; k++) {
      assertThat(x.index(k)).as("index %d", k).isEqualTo(indices[k]);
      assertThat(x.value(k)).as("value %d", k).isCloseTo(values[k], within(EPS));
    }
  }

  // ---- PopularityFeatures ----

  @Test
  void popularityBucketIsFloorLog2OfOnePlusCount() {
    assertThat(PopularityFeatures.bucket(0)).isZero(); // log2(1) = 0
    assertThat(PopularityFeatures.bucket(1)).isEqualTo(1); // log2(2) = 1
    assertThat(PopularityFeatures.bucket(2)).isEqualTo(1); // log2(3) = 1.58
    assertThat(PopularityFeatures.bucket(3)).isEqualTo(2); // log2(4) = 2
    assertThat(PopularityFeatures.bucket(6)).isEqualTo(2); // log2(7) = 2.81
    assertThat(PopularityFeatures.bucket(7)).isEqualTo(3); // log2(8) = 3
    assertThat(PopularityFeatures.bucket(8)).isEqualTo(3); // log2(9) = 3.17
    assertThat(PopularityFeatures.bucket(32_766)).isEqualTo(14); // log2(32767) = 14.99
    assertThat(PopularityFeatures.bucket(32_767)).isEqualTo(15); // log2(32768) = 15
    // Capped at the last bucket.
    assertThat(PopularityFeatures.bucket(65_535)).isEqualTo(15); // log2(65536) = 16
    assertThat(PopularityFeatures.bucket(1_000_000_000L)).isEqualTo(15);
    assertThat(PopularityFeatures.bucket(Long.MAX_VALUE)).isEqualTo(15);
  }

  @Test
  void popularityCountsObservedEvents() {
    PopularityFeatures popularity = new PopularityFeatures();
    assertThat(popularity.dimension()).isEqualTo(16);
    assertThat(popularity.count(500)).isZero();
    assertVectorIs(popularity.features(500), 0);
    for (int n = 0; n < 7; n++) {
      popularity.observe(100); // beyond the initial capacity of 64
    }
    popularity.observe(3);
    assertThat(popularity.count(100)).isEqualTo(7);
    assertThat(popularity.bucketOf(100)).isEqualTo(3);
    assertVectorIs(popularity.features(100), 3);
    assertThat(popularity.count(3)).isEqualTo(1);
    assertVectorIs(popularity.features(3), 1);
    assertThat(popularity.count(4)).isZero();
  }

  private static void assertVectorIs(FeatureVector x, int oneHot) {
    assertThat(x).isEqualTo(FeatureVector.of(new int[] {oneHot}, new double[] {1}));
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

  // ---- ItemFeatureTable ----

  @Test
  void tableLaysBlocksSideBySideAndRebuildsOnlyWhenAPartChanges() {
    CategoricalItemFeatures categorical =
        CategoricalItemFeatures.of(
            List.of(List.of("Drama", "Comedy"), List.of("Horror")), Arrays.asList(1995, null));
    PopularityFeatures popularity = new PopularityFeatures();
    ItemFeatureTable table = new ItemFeatureTable(List.of(categorical, popularity));

    // Categorical: 3 genres + 16 years = 19; popularity: 16 from offset 19.
    assertThat(table.offset(0)).isZero();
    assertThat(table.offset(1)).isEqualTo(19);
    assertThat(table.dimension()).isEqualTo(35);

    // The table scales each vector to unit length: genres 1/sqrt(2) each (norm 1), year 1 and
    // popularity 1 give |x|^2 = 3, so every entry is divided by sqrt(3).
    double genre = 1 / Math.sqrt(2) / Math.sqrt(3); // 0.4082...
    double oneHot = 1 / Math.sqrt(3); // 0.5773...
    double half = 1 / Math.sqrt(2); // item 1: a genre and popularity, |x|^2 = 2
    FeatureVector first = table.features(0);
    // Drama 0, Comedy 1, 1995 -> 3 + 10 = 13; popularity bucket 0 -> 19 + 0.
    assertVector(first, new int[] {0, 1, 13, 19}, new double[] {genre, genre, oneHot, oneHot});
    assertThat(table.features(0)).isSameAs(first);

    table.observe(0); // count 1: bucket 1
    assertThat(popularity.count(0)).isEqualTo(1);
    FeatureVector second = table.features(0);
    assertThat(second).isNotSameAs(first);
    assertVector(second, new int[] {0, 1, 13, 20}, new double[] {genre, genre, oneHot, oneHot});
    assertThat(table.features(0)).isSameAs(second);

    table.observe(0); // count 2: still bucket 1, the cached vector stays
    assertThat(table.features(0)).isSameAs(second);

    table.observe(0); // count 3: bucket 2
    assertVector(
        table.features(0), new int[] {0, 1, 13, 21}, new double[] {genre, genre, oneHot, oneHot});
    // The vector that was handed out earlier is unchanged.
    assertThat(second.index(3)).isEqualTo(20);

    // Other items are unaffected; item 1 has a genre but no year; item 7 has no metadata.
    assertVector(table.features(1), new int[] {2, 19}, new double[] {half, half});
    assertVector(table.features(7), new int[] {19}, new double[] {1});
  }

  @Test
  void emptyTableHasNoFeatures() {
    ItemFeatureTable table = ItemFeatureTable.empty();
    assertThat(table.dimension()).isZero();
    assertThat(table.features(5).size()).isZero();
    table.observe(5);
    assertThat(table.features(5).size()).isZero();
  }
}
