package io.personalize.model;

import static io.personalize.model.BorrowDirection.LESS_DATA_BORROWS_MORE;
import static io.personalize.model.BorrowDirection.MORE_DATA_BORROWS_MORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Algorithm 3.1: counts to boundaries, and a group to its borrowed global steps. */
class CoordinatorTest {

  @Test
  void boundariesAreTheLogOfTheSmallestAndLargestCount() {
    GroupBoundaries b = Coordinator.boundaries(17, 3, new long[] {20, 5, 400, 5, 60});
    assertThat(b.version()).isEqualTo(17);
    assertThat(b.groups()).isEqualTo(3);
    assertThat(b.logCountMin()).isCloseTo(Math.log(5), within(1e-15));
    assertThat(b.logCountMax()).isCloseTo(Math.log(400), within(1e-15));
  }

  @Test
  void zeroCountsAreIgnored() {
    GroupBoundaries b = Coordinator.boundaries(1, 2, new long[] {0, 4, 0, 16, 0});
    assertThat(b.logCountMin()).isCloseTo(Math.log(4), within(1e-15));
    assertThat(b.logCountMax()).isCloseTo(Math.log(16), within(1e-15));
    assertThat(b.groupOf(4)).isEqualTo(1);
    assertThat(b.groupOf(16)).isEqualTo(2);
  }

  @Test
  void noPositiveCountGivesTheInitialBoundaries() {
    GroupBoundaries none = Coordinator.boundaries(3, 4, new long[0]);
    GroupBoundaries zeros = Coordinator.boundaries(3, 4, new long[] {0, 0});
    assertThat(none).isEqualTo(new GroupBoundaries(3, 4, 0, 0));
    assertThat(zeros).isEqualTo(new GroupBoundaries(3, 4, 0, 0));
    assertThat(zeros.groupOf(1000)).isEqualTo(1);
    assertThat(GroupBoundaries.initial(4)).isEqualTo(new GroupBoundaries(0, 4, 0, 0));
  }

  @Test
  void oneUserPutsEveryoneInGroupOne() {
    GroupBoundaries b = Coordinator.boundaries(1, 5, new long[] {37});
    assertThat(b.logCountMin()).isEqualTo(b.logCountMax()).isCloseTo(Math.log(37), within(1e-15));
    assertThat(b.groupOf(37)).isEqualTo(1);
    assertThat(b.groupOf(1)).isEqualTo(1);
    assertThat(b.groupOf(100_000)).isEqualTo(1);
  }

  @Test
  void equalCountsPutEveryoneInGroupOne() {
    GroupBoundaries b = Coordinator.boundaries(1, 7, new long[] {12, 12, 12, 12});
    for (long count : new long[] {0, 1, 11, 12, 13, 1_000_000}) {
      assertThat(b.groupOf(count)).as("count %d", count).isEqualTo(1);
    }
  }

  @Test
  void countOnABoundaryGoesToTheLowerGroup() {
    // d = 0, ln 4, ln 16; C = 2: s = ln 4, so ln 4 is exactly the boundary between 1 and 2.
    GroupBoundaries two = Coordinator.boundaries(1, 2, new long[] {1, 4, 16});
    assertThat(two.groupOf(1)).isEqualTo(1);
    assertThat(two.groupOf(3)).isEqualTo(1);
    assertThat(two.groupOf(4)).isEqualTo(1);
    assertThat(two.groupOf(5)).isEqualTo(2);
    assertThat(two.groupOf(16)).isEqualTo(2);

    // C = 4: s = ln 2; boundaries at counts 2, 4 and 8.
    GroupBoundaries four = Coordinator.boundaries(1, 4, new long[] {1, 4, 16});
    assertThat(four.groupOf(1)).isEqualTo(1);
    assertThat(four.groupOf(2)).isEqualTo(1);
    assertThat(four.groupOf(3)).isEqualTo(2);
    assertThat(four.groupOf(4)).isEqualTo(2);
    assertThat(four.groupOf(5)).isEqualTo(3);
    assertThat(four.groupOf(8)).isEqualTo(3);
    assertThat(four.groupOf(9)).isEqualTo(4);
    assertThat(four.groupOf(16)).isEqualTo(4);

    // C = 1: one group holds everything.
    GroupBoundaries one = Coordinator.boundaries(1, 1, new long[] {1, 4, 16});
    for (long count : new long[] {1, 4, 5, 16, 17}) {
      assertThat(one.groupOf(count)).isEqualTo(1);
    }
  }

  @Test
  void tooFewGroupsAreRejected() {
    assertThatThrownBy(() -> Coordinator.boundaries(1, 0, new long[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void borrowedStepsLessDataBorrowsMore() {
    // t = floor(40 * (7 - i + 1) / 7): 280/7, 240/7, 200/7, 160/7, 120/7, 80/7, 40/7
    int[] expected = {40, 34, 28, 22, 17, 11, 5};
    for (int group = 1; group <= 7; group++) {
      assertThat(Coordinator.borrowedSteps(group, 7, 40, LESS_DATA_BORROWS_MORE))
          .as("group %d", group)
          .isEqualTo(expected[group - 1]);
    }
  }

  @Test
  void borrowedStepsMoreDataBorrowsMore() {
    // t = floor(40 * i / 7): 40/7, 80/7, ..., 280/7
    int[] expected = {5, 11, 17, 22, 28, 34, 40};
    for (int group = 1; group <= 7; group++) {
      assertThat(Coordinator.borrowedSteps(group, 7, 40, MORE_DATA_BORROWS_MORE))
          .as("group %d", group)
          .isEqualTo(expected[group - 1]);
    }
  }

  @Test
  void borrowedStepsWithExactDivisionAndOneGroup() {
    assertThat(Coordinator.borrowedSteps(1, 4, 40, LESS_DATA_BORROWS_MORE)).isEqualTo(40);
    assertThat(Coordinator.borrowedSteps(2, 4, 40, LESS_DATA_BORROWS_MORE)).isEqualTo(30);
    assertThat(Coordinator.borrowedSteps(3, 4, 40, LESS_DATA_BORROWS_MORE)).isEqualTo(20);
    assertThat(Coordinator.borrowedSteps(4, 4, 40, LESS_DATA_BORROWS_MORE)).isEqualTo(10);
    assertThat(Coordinator.borrowedSteps(1, 4, 40, MORE_DATA_BORROWS_MORE)).isEqualTo(10);
    assertThat(Coordinator.borrowedSteps(4, 4, 40, MORE_DATA_BORROWS_MORE)).isEqualTo(40);
    for (BorrowDirection direction : BorrowDirection.values()) {
      assertThat(Coordinator.borrowedSteps(1, 1, 40, direction)).isEqualTo(40);
      assertThat(Coordinator.borrowedSteps(3, 7, 0, direction)).isZero();
    }
  }

  @Test
  void groupsOutsideOneToCAreRejected() {
    for (BorrowDirection direction : BorrowDirection.values()) {
      assertThatThrownBy(() -> Coordinator.borrowedSteps(0, 7, 40, direction))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("group 0");
      assertThatThrownBy(() -> Coordinator.borrowedSteps(8, 7, 40, direction))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("group 8");
      assertThatThrownBy(() -> Coordinator.borrowedSteps(-1, 7, 40, direction))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
