package io.personalize.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The graph: lists by item, in-degrees kept as lists change, slots given back. */
class CoInteractionGraphTest {
  private static final GraphSettings TEN_SECONDS = ItemEdgesTest.TEN_SECONDS.withMaxNeighbors(50);

  static ItemEdges list(long referenceMillis, Object... neighborsAndWeights) {
    ItemEdges edges = new ItemEdges();
    int d = neighborsAndWeights.length / 2;
    edges.neighbors = new String[d];
    edges.weights = new double[d];
    for (int n = 0; n < d; n++) {
      edges.neighbors[n] = (String) neighborsAndWeights[2 * n];
      edges.weights[n] = ((Number) neighborsAndWeights[2 * n + 1]).doubleValue();
    }
    edges.referenceMillis = referenceMillis;
    return edges;
  }

  @Test
  void addKeepsListsAndInDegrees() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    graph.add("a", "c", 1, 0);
    graph.add("b", "c", 1, 10_000);
    ItemEdges a = graph.add("a", "b", 2, 0);
    assertThat(a.neighbors).containsExactly("b", "c"); // pruned: strongest first
    assertThat(graph.neighbors("a").weights).containsExactly(2.0, 1.0);
    assertThat(graph.items()).containsExactlyInAnyOrder("a", "b");
    assertThat(graph.size()).isEqualTo(2);
    assertThat(graph.edgeCount()).isEqualTo(3);
    assertThat(graph.neighbors("c")).isNull();
    assertThat(graph.latestMillis()).isEqualTo(10_000);
    // c: from a (1 at 0 s) and b (1 at 10 s); at the latest time, 10 s: 0.5 + 1.
    assertThat(graph.inDegree("c")).isEqualTo(2);
    assertThat(graph.weightedInDegree("c")).isEqualTo(1.5);
    // b: from a, 2 at 0 s: 1 at 10 s.
    assertThat(graph.inDegree("b")).isEqualTo(1);
    assertThat(graph.weightedInDegree("b")).isEqualTo(1.0);
    assertThat(graph.inDegree("a")).isZero();
    assertThat(graph.weightedInDegree("nobody")).isZero();
  }

  @Test
  void addReturnsAnEmptyListWhenPruningLeavesNothing() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    graph.add("a", "b", 1, 0);
    // 30 s later, b's edge weighs 1 * 2^-3 = 0.125 < 0.25, and a pair to c lighter still.
    ItemEdges a = graph.add("a", "c", 0.2, 30_000);
    assertThat(a.isEmpty()).isTrue();
    assertThat(graph.neighbors("a")).isNull();
    assertThat(graph.inDegree("b")).isZero();
    assertThat(graph.inDegree("c")).isZero();
    assertThat(graph.size()).isZero();
    // Every slot given back.
    assertThat(graph.slotOf("a")).isEqualTo(-1);
    assertThat(graph.slotOf("b")).isEqualTo(-1);
    assertThat(graph.slotOf("c")).isEqualTo(-1);
  }

  @Test
  void expireRemovesListsAtTheirExpiryAsTheOperatorsTimersDo() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    // Min weight 0.25: a unit edge is below it from two half-lives and 1 ms on.
    graph.add("a", "b", 1, 0); // a expires at 20.001 s
    graph.add("c", "a", 1, 5_000); // c at 25.001 s
    assertThat(graph.expire(20_000)).isEmpty();
    assertThat(graph.expire(20_001)).containsExactly("a");
    assertThat(graph.neighbors("a")).isNull();
    assertThat(graph.inDegree("b")).isZero();
    assertThat(graph.slotOf("b")).isEqualTo(-1); // nothing refers to b any more
    // c gains d at 10 s: c -> a 0.707, c -> d 1; its expiry moves to 30.001 s. The timer set at
    // 25.001 s fires, finds the list stronger, and moves.
    graph.add("c", "d", 1, 10_000);
    assertThat(graph.expire(30_000)).isEmpty();
    assertThat(graph.neighbors("c").neighbors).containsExactly("d", "a");
    assertThat(graph.expire(30_001)).containsExactly("c");
    assertThat(graph.size()).isZero();
    assertThat(graph.edgeCount()).isZero();
    // Every slot was given back; a new list gets a new timer.
    assertThat(graph.slotOf("a")).isEqualTo(-1);
    graph.add("a", "b", 1, 40_000);
    assertThat(graph.expire(60_000)).isEmpty();
    assertThat(graph.expire(Long.MAX_VALUE)).containsExactly("a");
  }

  @Test
  void aRemovedListsTimerFiresForNothing() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    graph.add("a", "b", 1, 0);
    graph.add("b", "a", 1, 0);
    graph.remove("a"); // a keeps its slot (b -> a), and its timer goes stale
    assertThat(graph.expire(20_001)).containsExactly("b");
    graph.add("a", "c", 1, 30_000); // expires at 50.001 s
    assertThat(graph.expire(50_000)).isEmpty();
    assertThat(graph.expire(50_001)).containsExactly("a");
  }

  @Test
  void replacedListsHaveNoTimers() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    graph.replace("a", list(0, "b", 1));
    assertThat(graph.expire(Long.MAX_VALUE)).isEmpty();
    assertThat(graph.neighbors("a").neighbors).containsExactly("b");
  }

  @Test
  void replaceAndRemoveUpdateInDegrees() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    graph.replace("a", list(0, "b", 2, "c", 1));
    graph.replace("b", list(0, "c", 3));
    assertThat(graph.weightedInDegree("c")).isEqualTo(4.0);
    assertThat(graph.inDegree("c")).isEqualTo(2);
    // a's new list drops c and adds d.
    graph.replace("a", list(0, "b", 1, "d", 1));
    assertThat(graph.inDegree("c")).isEqualTo(1);
    assertThat(graph.weightedInDegree("c")).isEqualTo(3.0);
    assertThat(graph.weightedInDegree("b")).isEqualTo(1.0);
    assertThat(graph.weightedInDegree("d")).isEqualTo(1.0);
    assertThat(graph.edgeCount()).isEqualTo(3);
    // Replacing by an empty list or null removes.
    graph.replace("b", new ItemEdges());
    assertThat(graph.inDegree("c")).isZero();
    assertThat(graph.weightedInDegree("c")).isZero();
    graph.replace("a", null);
    assertThat(graph.items()).isEmpty();
    assertThat(graph.edgeCount()).isZero();
    assertThat(graph.inDegree("b")).isZero();
  }

  @Test
  void theGraphKeepsACopyOfAReplacedList() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    ItemEdges mine = list(0, "b", 2);
    graph.replace("a", mine);
    mine.weights[0] = 100;
    assertThat(graph.neighbors("a").weights).containsExactly(2.0);
    assertThat(graph.weightedInDegree("b")).isEqualTo(2.0);
  }

  @Test
  void rejectsMalformedLists() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    ItemEdges mismatched = list(0, "b", 1);
    mismatched.weights = new double[0];
    assertThatThrownBy(() -> graph.replace("a", mismatched))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> graph.replace("a", list(0, "b", -1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(graph.size()).isZero();
  }

  @Test
  void itemsWithNoEdgesLeftGiveTheirSlotsBack() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    for (int i = 0; i < 1_000; i++) {
      graph.add("from" + i, "to" + i, 1, i);
      graph.remove("from" + i);
    }
    assertThat(graph.size()).isZero();
    // Two slots, reused 1,000 times.
    assertThat(graph.slotCapacity()).isEqualTo(2);
    assertThat(graph.slotOf("to999")).isEqualTo(-1);
  }

  @Test
  void weightedInDegreesStayExactAcrossManyHalfLives() {
    CoInteractionGraph graph = new CoInteractionGraph(TEN_SECONDS);
    graph.add("a", "c", 1, 0);
    // 40 half-lives later the epoch moves (every 32): c's sum is rescaled, 2^-40 exactly.
    graph.add("b", "d", 1, 400_000);
    assertThat(graph.weightedInDegree("c")).isEqualTo(Math.pow(2, -40));
    assertThat(graph.weightedInDegree("d")).isEqualTo(1.0);
  }

  /**
   * Property: however lists are added, replaced and removed over many half-lives, each item's in-
   * degree and weighted in-degree equal a direct sum over the current lists.
   */
  @Test
  void inDegreesEqualADirectSumOverTheLists() {
    GraphSettings settings = TEN_SECONDS.withMaxNeighbors(4).withMinWeight(0.01);
    CoInteractionGraph graph = new CoInteractionGraph(settings);
    Random random = new Random(11);
    long time = 0;
    for (int n = 0; n < 20_000; n++) {
      time += random.nextInt(2_000);
      String from = "i" + random.nextInt(40);
      int action = random.nextInt(10);
      if (action == 0) {
        graph.remove(from);
      } else if (action == 1) {
        graph.replace(from, list(time - random.nextInt(5_000), "i" + random.nextInt(40), 0.5));
      } else {
        graph.add(from, "i" + random.nextInt(40), 1 + random.nextInt(3), time);
      }
      if (n % 1_000 == 999) {
        assertInDegreesMatch(graph, settings);
      }
    }
    assertThat(graph.latestMillis()).isGreaterThan(1_000 * settings.halfLifeMillis());
  }

  private static void assertInDegreesMatch(CoInteractionGraph graph, GraphSettings settings) {
    Map<String, Integer> degree = new HashMap<>();
    Map<String, Double> weighted = new HashMap<>();
    long edges = 0;
    for (String item : graph.items()) {
      ItemEdges list = graph.neighbors(item);
      double decay = settings.decay(graph.latestMillis() - list.referenceMillis);
      for (int n = 0; n < list.size(); n++) {
        degree.merge(list.neighbors[n], 1, Integer::sum);
        weighted.merge(list.neighbors[n], list.weights[n] * decay, Double::sum);
        edges++;
      }
    }
    assertThat(graph.edgeCount()).isEqualTo(edges);
    for (int i = 0; i < 40; i++) {
      String item = "i" + i;
      assertThat(graph.inDegree(item)).as(item).isEqualTo(degree.getOrDefault(item, 0));
      double expected = weighted.getOrDefault(item, 0.0);
      assertThat(graph.weightedInDegree(item))
          .as(item)
          .isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
    }
  }
}
