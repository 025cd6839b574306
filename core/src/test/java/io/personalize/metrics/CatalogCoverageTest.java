package io.personalize.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatalogCoverageTest {

  @Test
  void distinctItemsOverTheCatalogByHand() {
    // lists (cut at 3) {1, 2, 3} and {3, 4, 1}: distinct {1, 2, 3, 4} of a catalog of 10 -> 0.4;
    // the 4th item of the first list (9) is past the cut
    CatalogCoverage coverage = new CatalogCoverage();
    coverage.add(new int[] {1, 2, 3, 9}, 3);
    coverage.add(new int[] {3, 4, 1}, 3);
    assertThat(coverage.distinctItems()).isEqualTo(4);
    assertThat(coverage.coverage(10)).isEqualTo(0.4);
    assertThat(coverage.coverage(0)).isNaN();
  }

  @Test
  void mergeIsTheUnion() {
    CatalogCoverage left = new CatalogCoverage();
    CatalogCoverage right = new CatalogCoverage();
    left.add(new int[] {0, 5}, 2);
    right.add(new int[] {5, 6, 7}, 3);
    assertThat(left.merge(right).distinctItems()).isEqualTo(4);
    assertThat(right.distinctItems()).isEqualTo(3);
  }
}
