package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.FeatureVector;
import io.personalize.model.Initializer;
import io.personalize.model.SharedParameters;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemSimilarityTest {
  private static final double EPS = 1e-12;

  @Test
  void cosineOfSparseVectorsByHand() {
    // a = {3: 2, 0: 1}, b = {5: 1, 3: 1}: dot = 2 * 1 = 2, |a| = sqrt 5, |b| = sqrt 2,
    // cosine = 2 / sqrt 10 = 0.632455532
    FeatureVector a = FeatureVector.of(new int[] {3, 0}, new double[] {2, 1});
    FeatureVector b = FeatureVector.of(new int[] {5, 3}, new double[] {1, 1});
    assertThat(ItemSimilarity.cosine(a, b))
        .isCloseTo(2 / Math.sqrt(10), within(EPS))
        .isCloseTo(0.632455532, within(1e-9));
    assertThat(ItemSimilarity.cosine(b, a)).isCloseTo(ItemSimilarity.cosine(a, b), within(EPS));
    assertThat(ItemSimilarity.cosine(a, a)).isCloseTo(1, within(EPS));
    // disjoint indices: 0; an empty vector: 0
    FeatureVector c = FeatureVector.of(new int[] {7}, new double[] {4});
    assertThat(ItemSimilarity.cosine(a, c)).isZero();
    assertThat(ItemSimilarity.cosine(a, FeatureVector.EMPTY)).isZero();
  }

  @Test
  void cosineOfFactorRowsByHand() {
    // rows (1, 0), (1, 1), (0, 0), (-2, 0)
    double[] rows = {1, 0, 1, 1, 0, 0, -2, 0};
    assertThat(ItemSimilarity.cosine(rows, 2, 0, 1)).isCloseTo(1 / Math.sqrt(2), within(EPS));
    assertThat(ItemSimilarity.cosine(rows, 2, 0, 2)).isZero();
    assertThat(ItemSimilarity.cosine(rows, 2, 0, 3)).isCloseTo(-1, within(EPS));
  }

  @Test
  void jaccardOfGenreSetsByHand() {
    // {Action, Comedy} and {Comedy, Drama, War}: 1 common of 4 distinct
    assertThat(ItemSimilarity.jaccard(Set.of("Action", "Comedy"), Set.of("Comedy", "Drama", "War")))
        .isEqualTo(0.25);
    assertThat(ItemSimilarity.jaccard(Set.of("Drama"), Set.of("Drama"))).isEqualTo(1);
    assertThat(ItemSimilarity.jaccard(Set.of("Drama"), Set.of())).isZero();
    assertThat(ItemSimilarity.jaccard(Set.of(), Set.of())).isNaN();
  }

  @Test
  void genreSimilarityIsUndefinedForAnItemWithoutGenres() {
    List<Set<String>> genres = List.of(Set.of("Action", "Comedy"), Set.of("Comedy"), Set.of());
    ItemSimilarity similarity = ItemSimilarity.genres(genres::get);
    assertThat(similarity.between(0, 1)).isEqualTo(0.5);
    assertThat(similarity.between(0, 2)).isNaN();
    assertThat(ItemSimilarity.genres(item -> null).between(0, 1)).isNaN();
  }

  @Test
  void featuresWhenBothHaveThemElseFactors() {
    SharedParameters shared = new SharedParameters(2, 0, 0, new Initializer(1, 0));
    shared.ensureItem(2);
    double[] p = shared.itemFactors();
    // rows (1, 0), (1, 1), (0, 1)
    p[0] = 1;
    p[2] = 1;
    p[3] = 1;
    p[5] = 1;
    List<FeatureVector> vectors =
        List.of(
            FeatureVector.of(new int[] {0}, new double[] {1}),
            FeatureVector.of(new int[] {0}, new double[] {2}),
            FeatureVector.EMPTY);
    ItemSimilarity similarity = ItemSimilarity.featuresElseFactors(vectors::get, shared);
    // 0 and 1 have parallel vectors: feature cosine 1 (their factor cosine is 1/sqrt 2)
    assertThat(similarity.between(0, 1)).isCloseTo(1, within(EPS));
    // 2 has no features: factors (0, 1) vs (1, 1) and (1, 0)
    assertThat(similarity.between(1, 2)).isCloseTo(1 / Math.sqrt(2), within(EPS));
    assertThat(similarity.between(0, 2)).isZero();
    assertThat(ItemSimilarity.features(vectors::get).between(0, 2)).isZero();
    // an item the shared block does not hold yet
    assertThat(ItemSimilarity.factors(shared).between(0, 9)).isZero();
  }

  @Test
  void genreJaccardWhenBothHaveGenresElseFactors() {
    SharedParameters shared = new SharedParameters(2, 0, 0, new Initializer(1, 0));
    shared.ensureItem(3);
    double[] p = shared.itemFactors();
    // factor rows (1, 0), (1, 1), (0, 1), (1, 1)
    p[0] = 1;
    p[2] = 1;
    p[3] = 1;
    p[5] = 1;
    p[6] = 1;
    p[7] = 1;
    // 3 genres (indices 0..2), then other features (a year bucket at 5, say).
    List<FeatureVector> vectors =
        List.of(
            // genres {0, 1}, year 5
            FeatureVector.of(new int[] {0, 1, 5}, new double[] {0.7, 0.7, 1}),
            // genres {1, 2}, the same year
            FeatureVector.of(new int[] {5, 2, 1}, new double[] {1, 0.7, 0.7}),
            // a year, no genre
            FeatureVector.of(new int[] {5}, new double[] {1}),
            FeatureVector.EMPTY);
    ItemSimilarity similarity = ItemSimilarity.genresElseFactors(vectors::get, 3, shared);
    // {0, 1} vs {1, 2}: 1 common of 3 (the shared year is not a genre): Jaccard 1/3
    assertThat(similarity.between(0, 1)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(similarity.between(1, 0)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(similarity.between(0, 0)).isCloseTo(1, within(EPS));
    // 2 has no genre: factors (1, 1) vs (0, 1) = 1 / sqrt 2
    assertThat(similarity.between(1, 2)).isCloseTo(1 / Math.sqrt(2), within(EPS));
    // 3 has no metadata: factors (1, 0) vs (1, 1)
    assertThat(similarity.between(0, 3)).isCloseTo(1 / Math.sqrt(2), within(EPS));
    // the same genres as the evaluator's ILD measure on those items
    assertThat(ItemSimilarity.genres(i -> List.of(Set.of(0, 1), Set.of(1, 2)).get(i)).between(0, 1))
        .isCloseTo(similarity.between(0, 1), within(EPS));
  }
}
