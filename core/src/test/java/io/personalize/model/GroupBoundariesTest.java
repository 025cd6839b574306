package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Groups of equal width on d = log count; a count on a boundary goes to the lower group. */
class GroupBoundariesTest {

  @Test
  void equalBoundsPutEveryCountInGroupOne() {
    GroupBoundaries b = new GroupBoundaries(2, 4, Math.log(7), Math.log(7));
    for (long count : new long[] {0, 1, 6, 7, 8, 1_000_000}) {
      assertThat(b.groupOf(count)).as("count %d", count).isEqualTo(1);
    }
  }

  @Test
  void countsZeroAndOneAreTheSmallestCount() {
    GroupBoundaries fromOne = new GroupBoundaries(1, 3, 0, Math.log(1000));
    assertThat(fromOne.groupOf(0)).isEqualTo(1);
    assertThat(fromOne.groupOf(1)).isEqualTo(1);
    assertThat(fromOne.groupOf(-5)).isEqualTo(1);
    // d_min above 0: counts below the smallest observed one are still group 1, never group 0.
    GroupBoundaries fromTen = new GroupBoundaries(1, 3, Math.log(10), Math.log(1000));
    assertThat(fromTen.groupOf(0)).isEqualTo(1);
    assertThat(fromTen.groupOf(1)).isEqualTo(1);
    assertThat(fromTen.groupOf(9)).isEqualTo(1);
  }

  @Test
  void countsAboveTheLargestAreInTheLastGroup() {
    GroupBoundaries b = new GroupBoundaries(1, 3, 0, Math.log(1000));
    assertThat(b.groupOf(1000)).isEqualTo(3);
    assertThat(b.groupOf(1001)).isEqualTo(3);
    assertThat(b.groupOf(Long.MAX_VALUE)).isEqualTo(3);
  }

  @Test
  void groupsOfEqualWidthOnTheLogCount() {
    // d in [0, ln 1000], C = 3: boundaries at ln 10 and ln 100, which belong to the lower group.
    GroupBoundaries b = new GroupBoundaries(1, 3, 0, Math.log(1000));
    assertThat(b.groupOf(9)).isEqualTo(1);
    assertThat(b.groupOf(10)).isEqualTo(1);
    assertThat(b.groupOf(11)).isEqualTo(2);
    assertThat(b.groupOf(100)).isEqualTo(2);
    assertThat(b.groupOf(101)).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 10})
  void smallestCountInGroupOneLargestInGroupC(int groups) {
    Random random = new Random(groups);
    for (int trial = 0; trial < 50; trial++) {
      long[] counts = randomCounts(random, 2 + random.nextInt(30));
      long min = Arrays.stream(counts).filter(c -> c > 0).min().orElseThrow();
      long max = Arrays.stream(counts).max().orElseThrow();
      GroupBoundaries b = Coordinator.boundaries(trial, groups, counts);
      assertThat(b.groupOf(min)).isEqualTo(1);
      assertThat(b.groupOf(max)).isEqualTo(min == max ? 1 : groups);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 10})
  void largerCountNeverGetsASmallerGroup(int groups) {
    Random random = new Random(100 + groups);
    for (int trial = 0; trial < 20; trial++) {
      long[] counts = randomCounts(random, 200);
      GroupBoundaries b = Coordinator.boundaries(trial, groups, counts);
      long[] sorted = counts.clone();
      Arrays.sort(sorted);
      int previous = 1;
      for (long count : sorted) {
        int group = b.groupOf(count);
        assertThat(group).isBetween(previous, groups);
        previous = group;
      }
      // Every count in between too, over a dense stretch of small counts.
      previous = 1;
      for (long count = 0; count <= 2000; count++) {
        int group = b.groupOf(count);
        assertThat(group).as("count %d", count).isBetween(previous, groups);
        previous = group;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5, 7, 10})
  void groupIsTheIntervalThatHoldsTheLogCount(int groups) {
    Random random = new Random(200 + groups);
    long[] counts = randomCounts(random, 300);
    GroupBoundaries b = Coordinator.boundaries(0, groups, counts);
    double width = (b.logCountMax() - b.logCountMin()) / groups;
    assertThat(width).isPositive();
    for (long count : counts) {
      if (count == 0) {
        continue; // no data: group 1 by definition, tested above
      }
      double d = Math.log(count);
      int i = b.groupOf(count);
      // Group i holds (d_min + (i-1) s, d_min + i s]; group 1 also holds d_min itself.
      double lower = b.logCountMin() + (i - 1) * width;
      double upper = b.logCountMin() + i * width;
      assertThat(d).as("count %d in group %d", count, i).isLessThanOrEqualTo(upper + 1e-9);
      if (i > 1) {
        assertThat(d).as("count %d in group %d", count, i).isGreaterThan(lower - 1e-9);
      }
    }
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> new GroupBoundaries(0, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupBoundaries(0, -1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupBoundaries(0, 3, -0.5, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupBoundaries(0, 3, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupBoundaries(0, 3, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupBoundaries(0, 3, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GroupBoundaries.initial(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Log-uniform counts in [1, 10^5] with some zeros mixed in. */
  private static long[] randomCounts(Random random, int n) {
    long[] counts = new long[n];
    for (int u = 0; u < n; u++) {
      counts[u] =
          random.nextInt(10) == 0 ? 0 : (long) Math.exp(random.nextDouble() * Math.log(1e5)) + 1;
    }
    counts[0] = Math.max(counts[0], 1);
    return counts;
  }
}
