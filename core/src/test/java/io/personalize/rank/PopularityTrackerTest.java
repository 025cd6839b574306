package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PopularityTrackerTest {
  /** Ids in the reverse of index order, so that an index tie-break would be visible. */
  private static final IntFunction<String> IDS = item -> String.format("item-%03d", 999 - item);

  private static int[] top(PopularityTracker tracker) {
    return IntStream.range(0, tracker.topSize()).map(tracker::top).toArray();
  }

  @Test
  void countingKeepsTheMostPopularWithTiesByTheSmallerId() {
    PopularityTracker tracker = PopularityTracker.counting(3, IDS);
    tracker.add(1, 0);
    assertThat(top(tracker)).containsExactly(1);
    tracker.add(2, 0);
    tracker.add(3, 0);
    // all count 1: by id, item-996 (3), item-997 (2), item-998 (1)
    assertThat(top(tracker)).containsExactly(3, 2, 1);
    tracker.add(4, 0); // count 1, id item-995: enters, 1 leaves
    assertThat(top(tracker)).containsExactly(4, 3, 2);
    tracker.add(1, 0); // count 2: back in, first
    assertThat(top(tracker)).containsExactly(1, 4, 3);
    tracker.add(2, 0);
    tracker.add(2, 0); // count 3: first
    assertThat(top(tracker)).containsExactly(2, 1, 4);
    assertThat(tracker.popularity(2, 123)).isEqualTo(3);
    assertThat(tracker.popularity(3, 0)).isEqualTo(1);
    assertThat(tracker.popularity(99, 0)).isZero();
  }

  @Test
  void decayingCountsEachEventByItsAge() {
    // half-life 10 ms. Events: item 0 at 0, item 1 at 10 and 20, item 0 at 20.
    // At 20: item 0 = 2^-2 + 1 = 1.25, item 1 = 2^-1 + 1 = 1.5; at 30 each halves.
    PopularityTracker tracker = PopularityTracker.decaying(2, 10, IDS);
    tracker.add(0, 0);
    tracker.add(1, 10);
    assertThat(top(tracker)).containsExactly(1, 0); // 1 vs 0.5 at any time
    tracker.add(1, 20);
    tracker.add(0, 20);
    assertThat(tracker.popularity(0, 20)).isCloseTo(1.25, within(1e-12));
    assertThat(tracker.popularity(1, 20)).isCloseTo(1.5, within(1e-12));
    assertThat(tracker.popularity(1, 30)).isCloseTo(0.75, within(1e-12));
    assertThat(top(tracker)).containsExactly(1, 0);
    // Counting would tie them at 2; here one more recent event on 0 puts it first:
    // at 30, 0 = 0.625 + 1 = 1.625 > 0.75.
    tracker.add(0, 30);
    assertThat(top(tracker)).containsExactly(0, 1);
  }

  @Test
  void severalEventsAtOnceCountAsThatManySingleOnes() {
    // half-life 10 ms: 3 events on item 1 at 10 are 3 x 2^-1 = 1.5 at 20; 0 events change nothing.
    PopularityTracker many = PopularityTracker.decaying(2, 10, IDS);
    PopularityTracker single = PopularityTracker.decaying(2, 10, IDS);
    many.add(0, 2, 0);
    many.add(1, 3, 10);
    many.add(0, 0, 20);
    for (int n = 0; n < 2; n++) {
      single.add(0, 0);
    }
    for (int n = 0; n < 3; n++) {
      single.add(1, 10);
    }
    assertThat(many.popularity(1, 20)).isCloseTo(1.5, within(1e-12));
    assertThat(many.popularity(0, 20)).isCloseTo(single.popularity(0, 20), within(1e-12));
    assertThat(top(many)).containsExactly(1, 0).isEqualTo(top(single));
  }

  @Test
  void lateEventsCountByTheirOwnTime() {
    // The same events in two arrival orders give the same popularity and the same top.
    long[][] events = {{0, 0}, {1, 50}, {2, 20}, {1, 5}, {0, 60}, {2, 60}, {3, 59}};
    PopularityTracker inOrder = PopularityTracker.decaying(3, 25, IDS);
    PopularityTracker reversed = PopularityTracker.decaying(3, 25, IDS);
    for (int e = 0; e < events.length; e++) {
      inOrder.add((int) events[e][0], events[e][1]);
      long[] late = events[events.length - 1 - e];
      reversed.add((int) late[0], late[1]);
    }
    for (int item = 0; item < 4; item++) {
      assertThat(reversed.popularity(item, 60))
          .isCloseTo(inOrder.popularity(item, 60), within(1e-12));
    }
    // at 60: 0 = 2^-2.4 + 1 = 1.189, 2 = 2^-1.6 + 1 = 1.330, 1 = 2^-0.4 + 2^-2.2 = 0.976,
    // 3 = 2^-0.04 = 0.973
    assertThat(inOrder.popularity(1, 60))
        .isCloseTo(Math.pow(2, -0.4) + Math.pow(2, -2.2), within(1e-12));
    assertThat(top(inOrder)).containsExactly(2, 0, 1);
    assertThat(top(reversed)).containsExactly(2, 0, 1);
  }

  @Test
  void scoresAreRescaledLongBeforeTheyOverflow() {
    // half-life 1 ms: an event at 1000 ms weighs 2^1000 relative to one at 0, more than 64
    // half-lives past the landmark, so scores are rescaled; popularity values stay exact.
    PopularityTracker tracker = PopularityTracker.decaying(2, 1, IDS);
    tracker.add(0, 0);
    tracker.add(1, 1000);
    tracker.add(1, 1000);
    assertThat(tracker.popularity(1, 1000)).isCloseTo(2, within(1e-12));
    assertThat(tracker.popularity(0, 1000) / Math.pow(2, -1000)).isCloseTo(1, within(1e-9));
    assertThat(top(tracker)).containsExactly(1, 0);
    // thousands of half-lives later the scores are still finite
    for (long t = 2000; t <= 100_000; t += 1000) {
      tracker.add(0, t);
    }
    assertThat(tracker.popularity(0, 100_000)).isCloseTo(1, within(1e-12));
    assertThat(top(tracker)).containsExactly(0, 1);
  }

  @Test
  void theTopIsTheSortOfAllItems() {
    SplittableRandom random = new SplittableRandom(23);
    for (PopularityTracker tracker :
        new PopularityTracker[] {
          PopularityTracker.counting(10, IDS), PopularityTracker.decaying(10, 500, IDS)
        }) {
      int items = 60;
      long now = 0;
      for (int event = 0; event < 3000; event++) {
        now += random.nextInt(20);
        // skewed: low indices more often; a few events late by up to 200 ms
        int item = (int) (items * Math.pow(random.nextDouble(), 2));
        tracker.add(item, Math.max(0, now - (random.nextInt(10) == 0 ? random.nextInt(200) : 0)));
        if (event % 100 == 99) {
          long at = now;
          int[] expected =
              IntStream.range(0, items)
                  .boxed()
                  .filter(i -> tracker.popularity(i, at) > 0)
                  .sorted(
                      Comparator.<Integer>comparingDouble(i -> -tracker.popularity(i, at))
                          .thenComparing(IDS::apply))
                  .limit(10)
                  .mapToInt(Integer::intValue)
                  .toArray();
          assertThat(top(tracker)).as("event %d", event).containsExactly(expected);
        }
      }
    }
  }

  @Test
  void rejectsAnEmptyTopAndANonPositiveHalfLife() {
    assertThatThrownBy(() -> PopularityTracker.counting(0, IDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PopularityTracker.decaying(5, 0, IDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PopularityTracker.counting(5, IDS).top(0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aRestoredTrackerGoesOnAsTheOriginalWouldUnderOtherIndices() {
    // The restoring side numbers the items in another order: index i there is item 5 - i here.
    IntFunction<String> restoredIds = item -> IDS.apply(5 - item);
    PopularityTracker original = PopularityTracker.decaying(3, 10, IDS);
    PopularityTracker restored = PopularityTracker.decaying(3, 10, restoredIds);
    long[][] before = {{0, 0}, {1, 10}, {2, 10}, {2, 15}, {3, 20}, {4, 20}};
    for (long[] e : before) {
      original.add((int) e[0], e[1]);
    }
    restored.restore(original.snapshot(), id -> 5 - (999 - Integer.parseInt(id.substring(5))));
    for (int item = 0; item <= 5; item++) {
      assertThat(restored.popularity(5 - item, 30)).isEqualTo(original.popularity(item, 30));
    }
    assertThat(top(restored))
        .containsExactly(IntStream.of(top(original)).map(i -> 5 - i).toArray());
    original.add(0, 40);
    restored.add(5, 40);
    assertThat(top(restored))
        .containsExactly(IntStream.of(top(original)).map(i -> 5 - i).toArray());
    assertThat(restored.popularity(5, 40)).isEqualTo(original.popularity(0, 40));
  }
}
