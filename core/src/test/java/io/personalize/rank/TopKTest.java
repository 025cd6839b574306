package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
  /** Ids in the reverse of index order, so that an index tie-break would be visible. */
  private static final IntFunction<String> IDS = item -> String.format("item-%03d", 999 - item);

  @Test
  void keepsTheKBestInOrder() {
    TopK top = new TopK(3, IDS);
    double[] scores = {0.5, 2.0, -1.0, 3.0, 1.0, 2.5};
    for (int item = 0; item < scores.length; item++) {
      top.offer(item, scores[item], 0);
    }
    assertThat(top.size()).isEqualTo(3);
    int[] items = new int[3];
    double[] kept = new double[3];
    assertThat(top.drain(items, kept)).isEqualTo(3);
    assertThat(items).containsExactly(3, 5, 1);
    assertThat(kept).containsExactly(3.0, 2.5, 2.0);
    assertThat(top.size()).isZero();
  }

  @Test
  void tiesGoToThePopularThenToTheSmallerId() {
    TopK top = new TopK(4, IDS);
    // All score 1: popularity 5 first (item 2), then popularity 3 by id: item 7 has id item-992,
    // item 4 has id item-995, item 1 has id item-998.
    top.offer(1, 1, 3);
    top.offer(4, 1, 3);
    top.offer(2, 1, 5);
    top.offer(7, 1, 3);
    top.offer(0, 1, 1);
    top.offer(9, 0.5, 100);
    int[] items = new int[4];
    top.drain(items, null);
    assertThat(items).containsExactly(2, 7, 4, 1);
  }

  @Test
  void isReusedAfterADrainAndMayHoldFewerThanK() {
    TopK top = new TopK(5, IDS);
    top.offer(1, 1, 0);
    top.offer(2, 2, 0);
    int[] items = new int[5];
    assertThat(top.drain(items, null)).isEqualTo(2);
    assertThat(Arrays.copyOf(items, 2)).containsExactly(2, 1);
    top.offer(3, -5, 0);
    assertThat(top.drain(items, null)).isEqualTo(1);
    assertThat(items[0]).isEqualTo(3);
    assertThat(top.drain(items, null)).isZero();
  }

  @Test
  void agreesWithSortingEverything() {
    SplittableRandom random = new SplittableRandom(17);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + random.nextInt(60);
      int k = 1 + random.nextInt(12);
      double[] scores = new double[n];
      double[] popularity = new double[n];
      TopK top = new TopK(k, IDS);
      for (int item = 0; item < n; item++) {
        scores[item] = random.nextInt(5); // many ties
        popularity[item] = random.nextInt(3);
        top.offer(item, scores[item], popularity[item]);
      }
      int[] expected =
          IntStream.range(0, n)
              .boxed()
              .sorted(
                  Comparator.<Integer>comparingDouble(i -> -scores[i])
                      .thenComparingDouble(i -> -popularity[i])
                      .thenComparing(IDS::apply))
              .limit(k)
              .mapToInt(Integer::intValue)
              .toArray();
      int[] items = new int[k];
      int count = top.drain(items, null);
      assertThat(Arrays.copyOf(items, count)).as("trial %d", trial).containsExactly(expected);
    }
  }

  @Test
  void rejectsWhatHasNoOrder() {
    assertThatThrownBy(() -> new TopK(0, IDS)).isInstanceOf(IllegalArgumentException.class);
    TopK top = new TopK(2, IDS);
    assertThatThrownBy(() -> top.offer(1, Double.NaN, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> top.offer(1, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
