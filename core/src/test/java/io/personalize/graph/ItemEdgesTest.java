package io.personalize.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One item's out-edges: decay, adds in and out of order, pruning, expiry. */
class ItemEdgesTest {
  /** Half-life 10 s, min weight 0.25 (two half-lives of a unit edge), at most 2 neighbors. */
  static final GraphSettings TEN_SECONDS = new GraphSettings(60_000, 10_000, 0.25, 2, 20, 1);

  @Test
  void weightsHalveEveryHalfLife() {
    ItemEdges edges = new ItemEdges();
    edges.add("b", 1, 0, TEN_SECONDS);
    edges.add("c", 4, 0, TEN_SECONDS);
    assertThat(edges.referenceMillis).isZero();
    // 1 * 2^(-10/10) = 0.5; 4 * 0.5 = 2.
    edges.decayTo(10_000, TEN_SECONDS);
    assertThat(edges.weights).containsExactly(0.5, 2.0);
    assertThat(edges.referenceMillis).isEqualTo(10_000);
    // Another half-life: 0.25 and 1.
    edges.decayTo(20_000, TEN_SECONDS);
    assertThat(edges.weightOf("b")).isEqualTo(0.25);
    assertThat(edges.weightOf("c")).isEqualTo(1.0);
    // An earlier time changes nothing.
    edges.decayTo(15_000, TEN_SECONDS);
    assertThat(edges.weights).containsExactly(0.25, 1.0);
    assertThat(edges.referenceMillis).isEqualTo(20_000);
    // Half a half-life: 1 * 2^(-0.5) = 0.7071.
    edges.decayTo(25_000, TEN_SECONDS);
    assertThat(edges.weightOf("c")).isCloseTo(0.70710678, within(1e-8));
    assertThat(edges.weightOf("nobody")).isZero();
  }

  @Test
  void anOlderEventAddsItsWeightDecayedToTheReferenceTime() {
    ItemEdges edges = new ItemEdges();
    edges.add("b", 1, 20_000, TEN_SECONDS);
    // c at 10 s, one half-life before the reference: 1 * 0.5, appended.
    edges.add("c", 1, 10_000, TEN_SECONDS);
    assertThat(edges.neighbors).containsExactly("b", "c");
    assertThat(edges.weights).containsExactly(1.0, 0.5);
    assertThat(edges.referenceMillis).isEqualTo(20_000);
    // b again at 30 s: everything decays one half-life, then b gains 2: 0.5 + 2 = 2.5, c 0.25.
    edges.add("b", 2, 30_000, TEN_SECONDS);
    assertThat(edges.neighbors).containsExactly("b", "c");
    assertThat(edges.weights).containsExactly(2.5, 0.25);
    assertThat(edges.referenceMillis).isEqualTo(30_000);

    // In order (c at 10 s, b at 20 s, b at 30 s), the same list.
    ItemEdges inOrder = new ItemEdges();
    inOrder.add("c", 1, 10_000, TEN_SECONDS);
    inOrder.add("b", 1, 20_000, TEN_SECONDS);
    inOrder.add("b", 2, 30_000, TEN_SECONDS);
    assertThat(inOrder.weightOf("b")).isEqualTo(2.5);
    assertThat(inOrder.weightOf("c")).isEqualTo(0.25);
  }

  @Test
  void anEmptyListTakesTheTimeOfItsFirstEvent() {
    ItemEdges edges = new ItemEdges();
    edges.referenceMillis = 50_000; // left over from edges pruned earlier
    edges.add("b", 1, 40_000, TEN_SECONDS);
    assertThat(edges.referenceMillis).isEqualTo(40_000);
    assertThat(edges.weights).containsExactly(1.0);
  }

  @Test
  void pruneDropsWeightsBelowTheMinimumAndKeepsTheStrongestWithTiesById() {
    GraphSettings atMostThree = TEN_SECONDS.withMaxNeighbors(3);
    ItemEdges edges = new ItemEdges();
    edges.add("weak", 0.2, 0, atMostThree); // below 0.25: dropped
    edges.add("edge", 0.25, 0, atMostThree); // exactly 0.25: kept
    edges.add("z", 1, 0, atMostThree);
    edges.add("x", 1, 0, atMostThree);
    edges.add("strong", 2, 0, atMostThree);
    edges.add("y", 1, 0, atMostThree);
    edges.prune(atMostThree);
    // strong 2, then x, y, z tie at 1 and go by id: x, y; z and edge exceed the cap.
    assertThat(edges.neighbors).containsExactly("strong", "x", "y");
    assertThat(edges.weights).containsExactly(2.0, 1.0, 1.0);

    ItemEdges fourAllowed = new ItemEdges();
    fourAllowed.add("edge", 0.25, 0, TEN_SECONDS);
    fourAllowed.add("weak", 0.2, 0, TEN_SECONDS);
    fourAllowed.prune(TEN_SECONDS.withMaxNeighbors(4));
    assertThat(fourAllowed.neighbors).containsExactly("edge");
  }

  @Test
  void pruneAtALaterTimeDropsWhatDecayedBelowTheMinimum() {
    ItemEdges edges = new ItemEdges();
    edges.add("b", 1, 0, TEN_SECONDS);
    edges.add("c", 2, 0, TEN_SECONDS);
    // At 15 s: b 1 * 2^-1.5 = 0.354, c 0.707: both kept.
    edges.decayTo(15_000, TEN_SECONDS);
    edges.prune(TEN_SECONDS);
    assertThat(edges.neighbors).containsExactly("c", "b");
    // At 25 s: b 0.177 < 0.25 goes; c 0.354 stays.
    edges.decayTo(25_000, TEN_SECONDS);
    edges.prune(TEN_SECONDS);
    assertThat(edges.neighbors).containsExactly("c");
    assertThat(edges.weights[0]).isCloseTo(2 * Math.pow(2, -2.5), within(1e-15));
  }

  @Test
  void expiryIsTheFirstMillisecondTheStrongestEdgeIsBelowTheMinimum() {
    ItemEdges edges = new ItemEdges();
    edges.add("b", 0.5, 0, TEN_SECONDS);
    edges.add("c", 1, 0, TEN_SECONDS);
    // c = 1 reaches 0.25 at exactly two half-lives, 20 s, and is below it from 20.001 s.
    assertThat(edges.expiryMillis(TEN_SECONDS)).isEqualTo(20_001);
    ItemEdges atTwenty = edges.copy();
    atTwenty.decayTo(20_000, TEN_SECONDS);
    atTwenty.prune(TEN_SECONDS);
    assertThat(atTwenty.neighbors).containsExactly("c"); // 0.25 is not below 0.25
    assertThat(atTwenty.weights).containsExactly(0.25);
    // The timer fires at the expiry: nothing is left, and an empty list has no later expiry.
    edges.decayTo(20_001, TEN_SECONDS);
    edges.prune(TEN_SECONDS);
    assertThat(edges.isEmpty()).isTrue();
    assertThat(edges.size()).isZero();
    assertThat(edges.expiryMillis(TEN_SECONDS)).isEqualTo(20_001);
  }

  @Test
  void expiryWithTheDefaultMinimumWeight() {
    GraphSettings settings = TEN_SECONDS.withMinWeight(0.01);
    ItemEdges edges = new ItemEdges();
    edges.add("b", 1, 1_000, settings);
    // log2(1 / 0.01) = 6.6438562 half-lives = 66,438.56 ms after the reference: the first whole
    // millisecond below is 66,439.
    long expiry = edges.expiryMillis(settings);
    assertThat(expiry).isEqualTo(1_000 + 66_439);
    ItemEdges before = edges.copy();
    before.decayTo(expiry - 1, settings);
    before.prune(settings);
    assertThat(before.neighbors).containsExactly("b");
    edges.decayTo(expiry, settings);
    edges.prune(settings);
    assertThat(edges.isEmpty()).isTrue();
  }

  @Test
  void aListWhoseEdgesAllDecayEndsEmpty() {
    GraphSettings settings = GraphSettings.defaults();
    ItemEdges edges = new ItemEdges();
    long day = 24L * 60 * 60 * 1000;
    edges.add("b", 1, 0, settings);
    edges.add("c", 2, day, settings);
    edges.add("b", 1, 3 * day, settings);
    edges.prune(settings);
    assertThat(edges.size()).isEqualTo(2);
    // The graph operator's timer: fire at the expiry, decay, prune; until the list is empty.
    int timers = 0;
    while (!edges.isEmpty()) {
      long at = edges.expiryMillis(settings);
      edges.decayTo(at, settings);
      edges.prune(settings);
      timers++;
    }
    // One timer suffices: it is set by the strongest edge.
    assertThat(timers).isEqualTo(1);
    assertThat(edges.neighbors).isEmpty();
    assertThat(edges.weights).isEmpty();
  }

  @Test
  void theSameEventsInAnyOrderGiveTheSameList() {
    GraphSettings settings = TEN_SECONDS.withMaxNeighbors(3).withMinWeight(0.05);
    Random random = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      List<long[]> events = new ArrayList<>(); // neighbor, weight, time
      for (int e = 0; e < 12; e++) {
        events.add(new long[] {random.nextInt(5), 1 + random.nextInt(3), random.nextInt(40_000)});
      }
      ItemEdges first = replay(events, settings);
      Collections.shuffle(events, random);
      ItemEdges shuffled = replay(events, settings);
      assertThat(shuffled.referenceMillis).isEqualTo(first.referenceMillis);
      assertThat(shuffled.neighbors).containsExactly(first.neighbors);
      for (int n = 0; n < first.size(); n++) {
        assertThat(shuffled.weights[n]).isCloseTo(first.weights[n], within(1e-12));
      }
    }
  }

  /**
   * Pruned once, after every event: pruning on the way could drop a weak edge in one order that a
   * later event would have revived in another.
   */
  private static ItemEdges replay(List<long[]> events, GraphSettings settings) {
    ItemEdges edges = new ItemEdges();
    for (long[] e : events) {
      edges.add("n" + e[0], e[1], e[2], settings);
    }
    edges.prune(settings);
    return edges;
  }

  @Test
  void rejectsWeightsThatAreNotPositive() {
    ItemEdges edges = new ItemEdges();
    assertThatThrownBy(() -> edges.add("b", 0, 0, TEN_SECONDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> edges.add("b", Double.NaN, 0, TEN_SECONDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(edges.isEmpty()).isTrue();
  }

  @Test
  void settingsAreValidated() {
    GraphSettings d = GraphSettings.defaults();
    assertThat(d.windowMillis()).isEqualTo(86_400_000L);
    assertThat(d.halfLifeMillis()).isEqualTo(30 * 86_400_000L);
    assertThat(d.minWeight()).isEqualTo(0.01);
    assertThat(d.maxNeighbors()).isEqualTo(50);
    assertThat(d.recentItems()).isEqualTo(5);
    assertThat(d.gapExponent()).isEqualTo(2.0);
    assertThatThrownBy(() -> d.withWindowMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withHalfLifeMillis(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMinWeight(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxNeighbors(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRecentItems(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withGapExponent(-1)).isInstanceOf(IllegalArgumentException.class);
    // Whole half-lives are exact: 2^-3.
    assertThat(TEN_SECONDS.decay(30_000)).isEqualTo(0.125);
    // Gap weights: 1 / g^2 by default, 1 / g with exponent 1, 1 with 0.
    assertThat(d.gapWeight(1)).isEqualTo(1.0);
    assertThat(d.gapWeight(4)).isEqualTo(0.0625);
    assertThat(d.withGapExponent(1).gapWeight(4)).isEqualTo(0.25);
    assertThat(d.withGapExponent(0).gapWeight(4)).isEqualTo(1.0);
  }
}
