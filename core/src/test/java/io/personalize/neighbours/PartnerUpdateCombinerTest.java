package io.personalize.neighbours;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Partner updates merged per item, in order, and applied as one by one. */
class PartnerUpdateCombinerTest {
  @Test
  void mergesPerItemInTheOrderTheyCame() {
    PartnerUpdateCombiner combiner = new PartnerUpdateCombiner();
    combiner.add(PartnerUpdates.of(7, 1, 0.5, -1, 100));
    combiner.add(PartnerUpdates.of(3, 1, 2, 2, 50));
    combiner.add(PartnerUpdates.of(7, 2, 1.5, 1, 90));
    assertThat(combiner.held()).isEqualTo(3);
    List<PartnerUpdates> merged = combiner.drain();
    assertThat(merged).extracting(u -> u.item).containsExactly(7, 3);
    PartnerUpdates seven = merged.get(0);
    assertThat(seven.partners).containsExactly(1, 2);
    assertThat(seven.own).containsExactly(0.5f, 1.5f);
    assertThat(seven.other).containsExactly(-1f, 1f);
    assertThat(combiner.timeMillis(seven)).isEqualTo(100);
    assertThat(combiner.held()).isZero();
    assertThat(combiner.drain()).isEmpty();
  }

  @Test
  void mergedUpdatesLeaveTheSumsTheUpdatesOneByOneLeave() {
    ItemPartners oneByOne = new ItemPartners();
    PartnerUpdateCombiner combiner = new PartnerUpdateCombiner();
    for (int n = 0; n < 40; n++) {
      PartnerUpdates update = PartnerUpdates.of(9, n % 7, n * 0.25 - 3, 1 - n * 0.1, n);
      update.applyTo(oneByOne, 5);
      combiner.add(update);
    }
    ItemPartners merged = new ItemPartners();
    combiner.drain().get(0).applyTo(merged, 5);
    assertThat(merged.partners).isEqualTo(oneByOne.partners);
    assertThat(merged.products).isEqualTo(oneByOne.products);
    assertThat(merged.raters).isEqualTo(oneByOne.raters);
  }

  @Test
  void aRequestAddsTheRatingWithEveryEarlierItemButItself() {
    UserResiduals user = new UserResiduals();
    user.remember(4, 1, 0.5, 10);
    user.remember(9, -2, 0.25, 10);
    user.remember(6, 0.5, -1, 10);
    NeighbourRequest request = NeighbourRequest.of(9, null, 3, user);
    ItemPartners sums = new ItemPartners();
    request.applyTo(sums, 10);
    assertThat(java.util.Arrays.copyOf(sums.partners, sums.size)).containsExactly(4, 6);
    assertThat(sums.products[0]).isEqualTo(3f);
    assertThat(sums.partnerSquares[1]).isEqualTo(0.25f);
    assertThat(request.modelResiduals).containsExactly(0.5f, 0.25f, -1f);
  }
}
