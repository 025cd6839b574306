package io.personalize.graph;

import static io.personalize.graph.CoInteractionGraph.NO_ITEM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user's recent items and the pairs each new interaction makes. */
class UserSequenceTest {
  /** Window 10 s, at most 3 recent items, every pair in the window weighed alike. */
  private static final GraphSettings SETTINGS =
      GraphSettings.defaults().withWindowMillis(10_000).withRecentItems(3).withGapExponent(0);

  @Test
  void aUsersFirstItemIsLinkedFromNoItem() {
    UserSequence user = new UserSequence();
    assertThat(user.isEmpty()).isTrue();
    assertThat(user.remember("a", 0.5, 1_000, SETTINGS))
        .containsExactly(new ItemPair(NO_ITEM, "a", 0.5, 1_000));
    assertThat(user.items).containsExactly("a");
    // Only the first: the second item pairs with a, not with NO_ITEM.
    assertThat(user.remember("b", 1, 2_000, SETTINGS))
        .containsExactly(new ItemPair("a", "b", 1, 2_000));
  }

  @Test
  void pairsOnlyWithItemsWithinTheWindow() {
    UserSequence user = new UserSequence();
    user.remember("a", 1, 0, SETTINGS);
    assertThat(user.remember("b", 1, 5_000, SETTINGS))
        .containsExactly(new ItemPair("a", "b", 1, 5_000));
    // c at 12 s: a is 12 s back (outside), b 7 s (inside).
    assertThat(user.remember("c", 2, 12_000, SETTINGS))
        .containsExactly(new ItemPair("b", "c", 2, 12_000));
    // d at 15 s: b is exactly 10 s back, still inside; c 3 s.
    assertThat(user.remember("d", 1, 15_000, SETTINGS))
        .containsExactly(new ItemPair("b", "d", 1, 15_000), new ItemPair("c", "d", 1, 15_000));
    // At most 3 recent items: a, the oldest, is forgotten.
    assertThat(user.items).containsExactly("b", "c", "d");
    assertThat(user.timesMillis).containsExactly(5_000, 12_000, 15_000);
    assertThat(user.weights).containsExactly(1.0, 2.0, 1.0);
  }

  @Test
  void pairsWeighOneOverTheirGapInPositions() {
    GraphSettings byGap = SETTINGS.withGapExponent(1).withRecentItems(5);
    UserSequence user = new UserSequence();
    user.remember("a", 1, 0, byGap);
    user.remember("b", 1, 1_000, byGap);
    user.remember("c", 1, 2_000, byGap);
    // d (a purchase, 2): c is 1 position back, b 2, a 3.
    assertThat(user.remember("d", 2, 3_000, byGap))
        .containsExactly(
            new ItemPair("a", "d", 2.0 / 3, 3_000),
            new ItemPair("b", "d", 1.0, 3_000),
            new ItemPair("c", "d", 2.0, 3_000));
    // b again: it leaves its place, so c and d are 2 and 1 back, a 3.
    assertThat(user.remember("b", 1, 4_000, byGap))
        .containsExactly(
            new ItemPair("a", "b", 1.0 / 3, 4_000),
            new ItemPair("c", "b", 0.5, 4_000),
            new ItemPair("d", "b", 1.0, 4_000));
    assertThat(user.items).containsExactly("a", "c", "d", "b");
    // A late e at 2.5 s goes between c and d: c -> e 1 back; e -> d and e -> b ahead of it, 1 and
    // 2 positions, with d's weight 2 and b's 1.
    assertThat(user.remember("e", 1, 2_500, byGap))
        .containsExactly(
            new ItemPair("a", "e", 1.0 / 2, 2_500),
            new ItemPair("c", "e", 1.0, 2_500),
            new ItemPair("e", "d", 2.0, 3_000),
            new ItemPair("e", "b", 0.5, 4_000));
    assertThat(user.items).containsExactly("a", "c", "e", "d", "b");
  }

  @Test
  void aRepeatedItemMakesNoSelfEdgeAndMovesToItsLatestTime() {
    UserSequence user = new UserSequence();
    user.remember("a", 1, 0, SETTINGS);
    user.remember("b", 1, 1_000, SETTINGS);
    assertThat(user.remember("a", 2, 2_000, SETTINGS))
        .containsExactly(new ItemPair("b", "a", 2, 2_000));
    assertThat(user.items).containsExactly("b", "a");
    assertThat(user.timesMillis).containsExactly(1_000, 2_000);
    assertThat(user.weights).containsExactly(1.0, 2.0);
  }

  @Test
  void aLateEventMakesThePairsTheEventsInOrderWouldHaveMade() {
    // In order: a at 0, b at 4 s (weight 2), c at 8 s.
    List<ItemPair> inOrder = new ArrayList<>();
    UserSequence ordered = new UserSequence();
    inOrder.addAll(ordered.remember("a", 1, 0, SETTINGS));
    inOrder.addAll(ordered.remember("b", 2, 4_000, SETTINGS));
    inOrder.addAll(ordered.remember("c", 1, 8_000, SETTINGS));
    assertThat(inOrder)
        .containsExactly(
            new ItemPair(NO_ITEM, "a", 1, 0),
            new ItemPair("a", "b", 2, 4_000),
            new ItemPair("a", "c", 1, 8_000),
            new ItemPair("b", "c", 1, 8_000));
    // b arrives last: b -> c is made with c's weight and time, as in order.
    List<ItemPair> late = new ArrayList<>();
    UserSequence user = new UserSequence();
    late.addAll(user.remember("a", 1, 0, SETTINGS));
    late.addAll(user.remember("c", 1, 8_000, SETTINGS));
    late.addAll(user.remember("b", 2, 4_000, SETTINGS));
    assertThat(late).containsExactlyInAnyOrderElementsOf(inOrder);
    assertThat(user.items).containsExactly("a", "b", "c");
    assertThat(user.timesMillis).containsExactly(0, 4_000, 8_000);
  }

  @Test
  void anOlderRepeatKeepsTheLaterEvent() {
    UserSequence user = new UserSequence();
    user.remember("a", 1, 0, SETTINGS);
    user.remember("b", 1, 5_000, SETTINGS);
    // b again, but at 3 s: it pairs with a (a -> b at 3 s) and b stays at 5 s.
    assertThat(user.remember("b", 2, 3_000, SETTINGS))
        .containsExactly(new ItemPair("a", "b", 2, 3_000));
    assertThat(user.items).containsExactly("a", "b");
    assertThat(user.timesMillis).containsExactly(0, 5_000);
    assertThat(user.weights).containsExactly(1.0, 1.0);
  }

  @Test
  void equalTimesPairInArrivalOrder() {
    UserSequence user = new UserSequence();
    user.remember("a", 1, 7_000, SETTINGS);
    assertThat(user.remember("b", 1, 7_000, SETTINGS))
        .containsExactly(new ItemPair("a", "b", 1, 7_000));
    assertThat(user.items).containsExactly("a", "b");
  }
}
