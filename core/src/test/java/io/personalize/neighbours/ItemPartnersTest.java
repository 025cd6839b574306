package io.personalize.neighbours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One item's partner sums: similarities by hand, the sorted keys, the bound and what it drops. */
class ItemPartnersTest {
  @Test
  void similarityIsTheShrunkCorrelationOfTheCommonRatersResiduals() {
    ItemPartners item = new ItemPartners();
    item.add(7, 1, 2, 10);
    item.add(7, -1, -1, 10);
    item.add(7, 2, 1, 10);
    // Squares 1 + 1 + 4 = 6 on both sides, products 2 + 1 + 2 = 5: correlation 5 / 6, 3 raters.
    assertThat(item.similarity(7)).isCloseTo(5.0 / 6 * 3 / 103, within(1e-7));
    assertThat(item.raters).startsWith(3);
  }

  @Test
  void anItemThatIsNotAPartnerOrHasNoSpreadHasSimilarityZero() {
    ItemPartners item = new ItemPartners();
    assertThat(item.similarity(1)).isZero();
    item.add(1, 0, 3, 10);
    assertThat(item.similarity(1)).isZero();
    assertThat(item.similarity(2)).isZero();
  }

  @Test
  void partnersStaySortedSoLookupsFindThem() {
    ItemPartners item = new ItemPartners();
    int[] added = {9, 3, 5, 12, 1, 7};
    for (int n = 0; n < added.length; n++) {
      item.add(added[n], 1, n + 1, 10);
      item.add(added[n], 2, n + 1, 10);
    }
    assertThat(Arrays.copyOf(item.partners, item.size)).containsExactly(1, 3, 5, 7, 9, 12);
    // Each partner's sums went with it: partner 12 (the 4th added) has residuals 4 and 4.
    assertThat(item.partnerSquares[5]).isEqualTo(32f);
    assertThat(item.products[5]).isEqualTo(12f);
    // Own residuals 1 and 2: squares 5 against 32, products 12.
    assertThat(item.similarity(12)).isCloseTo(12 / Math.sqrt(5 * 32.0) * 2 / 102, within(1e-7));
    assertThat(item.pairUpdates).isEqualTo(12);
  }

  @Test
  void aFullItemDropsThePartnerWithTheFewestRatersTheEarliestAmongEquals() {
    ItemPartners item = new ItemPartners();
    item.add(4, 1, 1, 2);
    item.add(4, 1, 1, 2);
    item.add(2, 1, 1, 2);
    // 2 has one rater against 4's two: 6 replaces it.
    item.add(6, 1, 1, 2);
    assertThat(Arrays.copyOf(item.partners, item.size)).containsExactly(4, 6);
    assertThat(item.raters[1]).isEqualTo(1);
    item.add(6, 1, 1, 2);
    // 4 and 6 both have two raters; 4 came first and goes.
    item.add(1, 1, 1, 2);
    assertThat(Arrays.copyOf(item.partners, item.size)).containsExactly(1, 6);
    assertThat(item.similarity(4)).isZero();
    assertThat(item.raters[0]).isEqualTo(1);
    assertThat(item.ownSquares[0]).isEqualTo(1f);
  }

  @Test
  void aLowerCapacityTakesEffectAtTheNextNewPartner() {
    ItemPartners item = new ItemPartners();
    for (int partner = 1; partner <= 4; partner++) {
      item.add(partner, 1, 1, 10);
    }
    item.add(1, 1, 1, 10);
    item.add(9, 1, 1, 2);
    // Down to 2 with the new one: 1 (two raters) stays, 2, 3 and 4 (one each, older) go.
    assertThat(Arrays.copyOf(item.partners, item.size)).containsExactly(1, 9);
  }

  @Test
  void theWeakestPartnerFoundWithoutAScanIsTheOneAScanFinds() {
    java.util.Random random = new java.util.Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int capacity = 1 + random.nextInt(30);
      int keys = capacity + 1 + random.nextInt(3 * capacity);
      ItemPartners item = new ItemPartners();
      ScanningPartners reference = new ScanningPartners();
      for (int step = 0; step < 3_000; step++) {
        // Skewed keys: some partners gather raters, most stay at one.
        int partner = random.nextInt(1 + random.nextInt(keys));
        int lowered = step > 2_000 && trial % 4 == 0 ? Math.max(1, capacity / 2) : capacity;
        item.add(partner, 1, 1, lowered);
        reference.add(partner, lowered);
        if (random.nextInt(500) == 0) {
          item = ItemPartners.fromBytes(item.toBytes()); // a new session: nothing carried over
        }
        assertThat(Arrays.copyOf(item.partners, item.size))
            .as("trial %d, step %d", trial, step)
            .containsExactly(reference.partners.stream().mapToInt(Integer::intValue).toArray());
      }
    }
  }

  /** Partners evicted the plain way: a scan for the fewest raters, the earliest among equals. */
  private static final class ScanningPartners {
    final java.util.List<Integer> partners = new java.util.ArrayList<>(); // ascending
    final java.util.Map<Integer, Integer> raters = new java.util.HashMap<>();
    final java.util.Map<Integer, Integer> since = new java.util.HashMap<>();
    int clock;

    void add(int partner, int capacity) {
      if (!raters.containsKey(partner)) {
        while (partners.size() >= capacity) {
          Integer weakest = partners.get(0);
          for (Integer p : partners) {
            if (raters.get(p) < raters.get(weakest)
                || (raters.get(p).equals(raters.get(weakest))
                    && since.get(p) < since.get(weakest))) {
              weakest = p;
            }
          }
          partners.remove(weakest);
          raters.remove(weakest);
          since.remove(weakest);
        }
        int at = java.util.Collections.binarySearch(partners, partner);
        partners.add(-at - 1, partner);
        raters.put(partner, 0);
        since.put(partner, clock);
      }
      raters.merge(partner, 1, Integer::sum);
      clock++;
    }
  }

  @Test
  void packedSumsUnpackToTheSameSumsAndKeepLearningAlike() {
    ItemPartners sums = new ItemPartners();
    for (int n = 0; n < 30; n++) {
      sums.add((n * 7) % 11, n * 0.1 - 1, 0.5 - n * 0.05, 8);
    }
    sums.latestMillis = 1_234;
    ItemPartners unpacked = ItemPartners.fromBytes(sums.toBytes());
    assertThat(unpacked.size).isEqualTo(sums.size).isEqualTo(8);
    assertThat(unpacked.partners).containsExactly(Arrays.copyOf(sums.partners, sums.size));
    assertThat(unpacked.products).containsExactly(Arrays.copyOf(sums.products, sums.size));
    assertThat(unpacked.since).containsExactly(Arrays.copyOf(sums.since, sums.size));
    assertThat(unpacked.pairUpdates).isEqualTo(30);
    assertThat(unpacked.latestMillis).isEqualTo(1_234);
    // Both take the same next adds alike, an eviction included.
    sums.add(20, 1, 1, 8);
    unpacked.add(20, 1, 1, 8);
    assertThat(Arrays.copyOf(unpacked.partners, unpacked.size))
        .containsExactly(Arrays.copyOf(sums.partners, sums.size));
    assertThat(unpacked.similarity(20)).isEqualTo(sums.similarity(20));
    assertThat(ItemPartners.fromBytes(new ItemPartners().toBytes()).size).isZero();
  }

  @Test
  void sumsPackedInAnotherFormatAreRefusedByName() {
    byte[] packed = new ItemPartners().toBytes();
    packed[0] = 9;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ItemPartners.fromBytes(packed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("format 9");
  }
}
