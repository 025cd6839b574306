package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.rank.ItemSimilarity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntraListDiversityTest {
  private static final double EPS = 1e-12;

  /** 0 {Action, Comedy}, 1 {Comedy}, 2 {Drama}, 3 {Action, Comedy}, 4 no genres. */
  private static final List<Set<String>> GENRES =
      List.of(
          Set.of("Action", "Comedy"),
          Set.of("Comedy"),
          Set.of("Drama"),
          Set.of("Action", "Comedy"),
          Set.of());

  private static final ItemSimilarity JACCARD = ItemSimilarity.genres(GENRES::get);

  @Test
  void oneMinusMeanPairwiseJaccardByHand() {
    IntraListDiversity ild = new IntraListDiversity();
    // list {0, 1, 2}: Jaccard 0-1 = 1/2, 0-2 = 0, 1-2 = 0 -> mean 1/6, ILD 5/6
    assertThat(ild.add(new int[] {0, 1, 2}, 3, JACCARD)).isTrue();
    assertThat(ild.mean()).isCloseTo(5.0 / 6, within(EPS));
    // list {0, 3}: identical genres, Jaccard 1 -> ILD 0; mean of lists (5/6 + 0) / 2 = 5/12
    assertThat(ild.add(new int[] {0, 3}, 2, JACCARD)).isTrue();
    assertThat(ild.mean()).isCloseTo(5.0 / 12, within(EPS));
    assertThat(ild.lists()).isEqualTo(2);
  }

  @Test
  void pairsWithAnItemWithoutGenresAreLeftOut() {
    IntraListDiversity ild = new IntraListDiversity();
    // list {0, 2, 4}: only the pair 0-2 is defined, Jaccard 0 -> ILD 1
    assertThat(ild.add(new int[] {0, 2, 4}, 3, JACCARD)).isTrue();
    assertThat(ild.mean()).isEqualTo(1);
    // lists with no defined pair are skipped: a single item, or items without genres
    assertThat(ild.add(new int[] {0}, 1, JACCARD)).isFalse();
    assertThat(ild.add(new int[] {4, 4}, 2, JACCARD)).isFalse();
    assertThat(ild.skipped()).isEqualTo(2);
    assertThat(ild.lists()).isEqualTo(1);
  }

  @Test
  void dataWithoutGenresHasNoDiversityFigure() {
    IntraListDiversity ild = new IntraListDiversity();
    ild.add(new int[] {1, 2, 3}, 3, ItemSimilarity.genres(item -> Set.of()));
    assertThat(ild.mean()).isNaN();
  }

  @Test
  void mergeEqualsSinglePass() {
    IntraListDiversity left = new IntraListDiversity();
    IntraListDiversity right = new IntraListDiversity();
    IntraListDiversity single = new IntraListDiversity();
    int[][] lists = {{0, 1, 2}, {0, 3}, {4}, {1, 2, 3}};
    for (int l = 0; l < lists.length; l++) {
      single.add(lists[l], lists[l].length, JACCARD);
      (l % 2 == 0 ? left : right).add(lists[l], lists[l].length, JACCARD);
    }
    left.merge(right);
    assertThat(left.lists()).isEqualTo(single.lists()).isEqualTo(3);
    assertThat(left.skipped()).isEqualTo(single.skipped()).isEqualTo(1);
    assertThat(left.mean()).isCloseTo(single.mean(), within(EPS));
  }
}
