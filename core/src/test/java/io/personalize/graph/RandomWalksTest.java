package io.personalize.graph;

import static io.personalize.graph.CoInteractionGraph.NO_ITEM;
import static io.personalize.graph.CoInteractionGraphTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.personalize.graph.WalkSettings.Visits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Pixie-style walks: by hand on tiny graphs, reproducible, sampled against expected. */
class RandomWalksTest {
  private static final GraphSettings GRAPH = GraphSettings.defaults();

  /** Equal start weights, no popularity correction, unless a test says otherwise. */
  private static final WalkSettings PLAIN =
      new WalkSettings(Visits.EXPECTED, 12, 0.5, 2, 0, Double.POSITIVE_INFINITY);

  private static CoInteractionGraph graph(Object[]... lists) {
    CoInteractionGraph graph = new CoInteractionGraph(GRAPH);
    for (Object[] l : lists) {
      Object[] rest = new Object[l.length - 1];
      System.arraycopy(l, 1, rest, 0, rest.length);
      graph.replace((String) l[0], list(0, rest));
    }
    return graph;
  }

  /** A -> B 1, A -> C 3, B -> C 1, C -> A 1. */
  private static CoInteractionGraph triangle() {
    return graph(
        new Object[] {"A", "B", 1, "C", 3}, new Object[] {"B", "C", 1}, new Object[] {"C", "A", 1});
  }

  /** Asserts the items in order and their scores within rounding: item, score, item, score... */
  static void assertCandidates(List<Candidate> actual, Object... itemsAndScores) {
    assertThat(actual).hasSize(itemsAndScores.length / 2);
    for (int n = 0; n < actual.size(); n++) {
      assertThat(actual.get(n).item()).as("item %d", n).isEqualTo(itemsAndScores[2 * n]);
      double score = ((Number) itemsAndScores[2 * n + 1]).doubleValue();
      assertThat(actual.get(n).score())
          .as("score of %s", actual.get(n).item())
          .isCloseTo(score, within(1e-12));
    }
  }

  private static List<Candidate> run(
      CoInteractionGraph graph, WalkSettings settings, String[] recent, Set<String> exclude) {
    return new RandomWalks(graph, settings).candidates(recent, exclude::contains, 10, 42);
  }

  @Test
  void expectedVisitsOnATriangleByHand() {
    // From A, restart 0.5, at most 2 steps. Step 1: B 1/4, C 3/4. Step 2 (the walk goes on with
    // probability 0.5): B's 1/4 -> C, C's 3/4 -> A: A 0.375, C 0.125. One walk visits A 0.375,
    // B 0.25, C 0.875 times, 1.5 steps in all; 12 steps are 8 walks: A 3, B 2, C 7. The start
    // item A also counts one visit per walk start (step 0): A 3 + 8 = 11.
    List<Candidate> raw = run(triangle(), PLAIN, new String[] {"A"}, Set.of());
    assertThat(raw).extracting(Candidate::item).containsExactly("A", "C", "B");
    assertThat(raw.get(0).score()).isCloseTo(11, within(1e-12));
    assertThat(raw.get(1).score()).isCloseTo(7, within(1e-12));
    assertThat(raw.get(2).score()).isCloseTo(2, within(1e-12));
    // Weighted in-degrees: A 1 (from C), B 1 (from A), C 4 (A 3, B 1). Alpha 1: C 7 / 4 = 1.75
    // falls behind A 11 and B 2.
    List<Candidate> corrected =
        run(triangle(), PLAIN.withPopularityExponent(1), new String[] {"A"}, Set.of());
    assertThat(corrected).extracting(Candidate::item).containsExactly("A", "B", "C");
    assertThat(corrected.get(2).score()).isCloseTo(1.75, within(1e-12));
    // Seen items excluded (the job's default): the walks' items alone, as before.
    assertCandidates(run(triangle(), PLAIN, new String[] {"A"}, Set.of("A")), "C", 7, "B", 2);
  }

  @Test
  void sampledVisitsConvergeToTheExpectedOnes() {
    WalkSettings many = PLAIN.withSteps(240_000).withVisits(Visits.SAMPLED);
    List<Candidate> sampled = run(triangle(), many, new String[] {"A"}, Set.of());
    // Expected: 240,000 * (11, 7, 2) / 12 = 220,000, 140,000, 40,000 (A: 160,000 walk starts).
    assertThat(sampled).extracting(Candidate::item).containsExactly("A", "C", "B");
    assertThat(sampled.get(0).score()).isCloseTo(220_000, within(2_200.0));
    assertThat(sampled.get(1).score()).isCloseTo(140_000, within(1_400.0));
    assertThat(sampled.get(2).score()).isCloseTo(40_000, within(400.0));
  }

  @Test
  void theBoostFavoursItemsReachedFromSeveralStartItems() {
    // q1 -> w; q2 -> z; q3 -> z; w and z have no out-edges, so every walk is one step.
    CoInteractionGraph graph =
        graph(
            new Object[] {"q1", "w", 1}, new Object[] {"q2", "z", 1}, new Object[] {"q3", "z", 1});
    // Recent items oldest first: q1 is the latest. Recency half-life 1 position: weights q1 1,
    // q2 0.5, q3 0.25; 14 steps: 8, 4, 2.
    String[] recent = {"q3", "q2", "q1"};
    for (Visits visits : Visits.values()) {
      WalkSettings settings = PLAIN.withSteps(14).withRecencyHalfLife(1).withVisits(visits);
      List<Candidate> top = run(graph, settings, recent, Set.of(recent));
      // w: 8 visits from q1: (sqrt 8)^2 = 8. z: 4 from q2 and 2 from q3, 6 in all, yet
      // (sqrt 4 + sqrt 2)^2 = 6 + 4 sqrt 2 = 11.657.
      assertThat(top).extracting(Candidate::item).as("%s", visits).containsExactly("z", "w");
      assertThat(top.get(0).score()).isCloseTo(6 + 4 * Math.sqrt(2), within(1e-12));
      assertThat(top.get(1).score()).isCloseTo(8, within(1e-12));
    }
    assertThat(RandomWalks.budgets(new double[] {1, 0.5, 0.25}, 14)).containsExactly(8, 4, 2);
  }

  @Test
  void thePopularityCorrectionDemotesAHub() {
    // q leads to the hub h (3) and to x (1); h is also where a and b lead: in-weights h 10, x 1.
    CoInteractionGraph graph =
        graph(
            new Object[] {"q", "h", 3, "x", 1},
            new Object[] {"a", "h", 3},
            new Object[] {"b", "h", 4});
    WalkSettings oneStep = PLAIN.withSteps(8).withRestartProbability(1);
    String[] recent = {"q"};
    Set<String> seen = Set.of(recent);
    // 8 one-step walks from q: h 6, x 2 expected.
    assertCandidates(run(graph, oneStep, recent, seen), "h", 6, "x", 2);
    // Alpha 1: h 6 / 10 = 0.6 < x 2 / 1.
    assertCandidates(run(graph, oneStep.withPopularityExponent(1), recent, seen), "x", 2, "h", 0.6);
    // Alpha 0.5: h 6 / sqrt 10 = 1.897, just behind x.
    List<Candidate> half = run(graph, oneStep.withPopularityExponent(0.5), recent, seen);
    assertThat(half).extracting(Candidate::item).containsExactly("x", "h");
    assertThat(half.get(1).score()).isCloseTo(6 / Math.sqrt(10), within(1e-12));
    // Sampled counts show the same: raw, the hub leads; alpha 1, it does not.
    WalkSettings sampled = oneStep.withSteps(2_000).withVisits(Visits.SAMPLED);
    assertThat(run(graph, sampled, recent, seen))
        .extracting(Candidate::item)
        .containsExactly("h", "x");
    assertThat(run(graph, sampled.withPopularityExponent(1), recent, seen))
        .extracting(Candidate::item)
        .containsExactly("x", "h");
  }

  @Test
  void excludedItemsAreWalkedThroughButNeverReturned() {
    // q -> e -> t; walks of exactly two steps (no restart): 4 walks, e and t 4 visits each, and
    // q 4 walk starts.
    CoInteractionGraph graph = graph(new Object[] {"q", "e", 1}, new Object[] {"e", "t", 1});
    WalkSettings twoSteps = PLAIN.withSteps(8).withRestartProbability(0);
    for (Visits visits : Visits.values()) {
      WalkSettings settings = twoSteps.withVisits(visits);
      assertCandidates(run(graph, settings, new String[] {"q"}, Set.of()), "e", 4, "q", 4, "t", 4);
      assertCandidates(run(graph, settings, new String[] {"q"}, Set.of("e", "q")), "t", 4);
    }
  }

  @Test
  void aUserWithNoWalkableItemStartsAtNoItem() {
    // New users' first items: a twice as often as b. c has no out-edges.
    CoInteractionGraph graph =
        graph(new Object[] {NO_ITEM, "a", 2, "b", 1}, new Object[] {"a", "c", 1});
    WalkSettings oneStep = PLAIN.withSteps(3).withRestartProbability(1);
    assertCandidates(run(graph, oneStep, new String[0], Set.of()), "a", 2, "b", 1);
    // Only items no one followed yet (c, or one the graph does not know): as a new user.
    assertCandidates(run(graph, oneStep, new String[] {"c", "unknown"}, Set.of()), "a", 2, "b", 1);
    // Without a NO_ITEM list, nothing.
    CoInteractionGraph noNewUsers = graph(new Object[] {"a", "c", 1});
    assertThat(run(noNewUsers, oneStep, new String[0], Set.of())).isEmpty();
    // NO_ITEM is never a candidate, even when walks reach it.
    CoInteractionGraph loop = graph(new Object[] {"a", NO_ITEM, 1, "b", 1});
    assertThat(run(loop, oneStep, new String[] {"a"}, Set.of("a")))
        .extracting(Candidate::item)
        .containsExactly("b");
  }

  @Test
  void aStartItemWithNoOutEdgesGivesItsStepsToTheOthers() {
    CoInteractionGraph graph = graph(new Object[] {"q", "x", 1});
    WalkSettings oneStep = PLAIN.withSteps(6).withRestartProbability(1);
    // "dead" (no out-edges) and "q" weigh alike, but all 6 steps start from q.
    // q: 6 walk starts; dead: none.
    assertCandidates(run(graph, oneStep, new String[] {"q", "dead"}, Set.of()), "q", 6, "x", 6);
  }

  @Test
  void theListIsCutAtCountWithTiesById() {
    CoInteractionGraph graph = graph(new Object[] {"q", "d", 1, "b", 1, "c", 1, "a", 2});
    WalkSettings oneStep = PLAIN.withSteps(10).withRestartProbability(1);
    RandomWalks walks = new RandomWalks(graph, oneStep);
    assertCandidates(
        walks.candidates(new String[] {"q"}, "q"::equals, 3, 1), "a", 4, "b", 2, "c", 2);
    assertThat(walks.candidates(new String[] {"q"}, item -> false, 0, 1)).isEmpty();
  }

  @Test
  void candidatesByIndexAreTheCandidatesByIdLookedUpOncePerSlotAndAgainWhenASlotChangesItem() {
    CoInteractionGraph graph = graph(new Object[] {"q", "a", 1, "b", 2});
    RandomWalks walks = new RandomWalks(graph, PLAIN);
    List<String> known = new ArrayList<>(List.of("unused"));
    int[] lookups = {0};
    ToIntFunction<String> index =
        id -> {
          lookups[0]++;
          if (!known.contains(id)) {
            known.add(id);
          }
          return known.indexOf(id);
        };
    IntPredicate excludeQ = item -> known.get(item).equals("q");
    String[] fromQ = {"q"};
    List<Candidate> byIndex = walks.candidates(fromQ, index, excludeQ, 10, 1);
    assertThat(byIndex).extracting(Candidate::item).containsExactly("b", "a");
    assertThat(byIndex)
        .extracting(Candidate::score)
        .containsExactlyElementsOf(
            walks.candidates(fromQ, "q"::equals, 10, 1).stream().map(Candidate::score).toList());
    assertThat(byIndex)
        .extracting(Candidate::index)
        .containsExactly(known.indexOf("b"), known.indexOf("a"));
    int first = lookups[0];
    assertThat(walks.candidates(fromQ, index, excludeQ, 10, 1)).isEqualTo(byIndex);
    assertThat(lookups[0]).as("no lookup for a slot already looked up").isEqualTo(first);

    // q's list goes: q, a and b give their slots back, and c and d take them.
    graph.remove("q");
    graph.replace("r", list(0, "c", 1, "d", 2));
    List<Candidate> fromR = walks.candidates(new String[] {"r"}, index, item -> false, 10, 1);
    assertThat(fromR).extracting(Candidate::item).containsExactly("r", "d", "c");
    assertThat(fromR)
        .extracting(Candidate::index)
        .containsExactly(known.indexOf("r"), known.indexOf("d"), known.indexOf("c"));
  }

  @Test
  void anItemTheIndexDidNotKnowIsAskedAgainAndGetsItsIndexOnceKnown() {
    CoInteractionGraph graph = graph(new Object[] {"q", "a", 1, "b", 2});
    RandomWalks walks = new RandomWalks(graph, PLAIN);
    List<String> known = new ArrayList<>(List.of("q", "a"));
    ToIntFunction<String> index = known::indexOf; // -1 for b until it is added
    IntPredicate unknownOrQ = item -> item <= 0;
    assertThat(walks.candidates(new String[] {"q"}, index, unknownOrQ, 10, 1))
        .extracting(Candidate::item)
        .containsExactly("a");
    known.add("b");
    assertThat(walks.candidates(new String[] {"q"}, index, unknownOrQ, 10, 1))
        .extracting(Candidate::item, Candidate::index)
        .containsExactly(tuple("b", 2), tuple("a", 1));
  }

  @Test
  void anotherIndexIsAskedAfreshNotAnsweredFromTheFirstOnesLookups() {
    CoInteractionGraph graph = graph(new Object[] {"q", "a", 1, "b", 2});
    RandomWalks walks = new RandomWalks(graph, PLAIN);
    List<String> one = List.of("q", "a", "b");
    List<String> two = List.of("x", "b", "a", "q");
    walks.candidates(new String[] {"q"}, one::indexOf, item -> false, 10, 1);
    ToIntFunction<String> second = two::indexOf;
    assertThat(walks.candidates(new String[] {"q"}, second, item -> false, 10, 1))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.index()).isEqualTo(two.indexOf(c.item())));
  }

  @Test
  void slotIndicesLookedUpBeforeTheGraphGrewStayRight() {
    CoInteractionGraph graph = graph(new Object[] {"q", "a", 1, "b", 2});
    RandomWalks walks = new RandomWalks(graph, PLAIN);
    List<String> known = new ArrayList<>(List.of("pad0", "pad1", "q", "a", "b"));
    ToIntFunction<String> index =
        id -> {
          if (!known.contains(id)) {
            known.add(id);
          }
          return known.indexOf(id);
        };
    walks.candidates(new String[] {"q"}, index, item -> false, 10, 1);
    for (int n = 0; n < 40; n++) { // more slots than the walks' arrays had
      graph.replace("z" + n, list(0, "q", 1));
    }
    graph.replace("q", list(0, "a", 1, "b", 2, "z39", 3));
    assertThat(walks.candidates(new String[] {"q"}, index, item -> false, 10, 1))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.index()).isEqualTo(known.indexOf(c.item())));
  }

  @Test
  void startItemsCountAVisitPerWalkStartSoRecentItemsRankWhenNotExcluded() {
    // q1 -> x, q2 -> x; one-step walks (restart 1), so sampled counts equal the expected ones.
    CoInteractionGraph graph = graph(new Object[] {"q1", "x", 1}, new Object[] {"q2", "x", 1});
    String[] recent = {"q2", "q1"}; // q1 the latest
    for (Visits visits : Visits.values()) {
      // Recency half-life 1: weights q1 1, q2 0.5; 12 steps: q1 8 walks, q2 4.
      WalkSettings settings =
          PLAIN.withSteps(12).withRestartProbability(1).withRecencyHalfLife(1).withVisits(visits);
      // x: (sqrt 8 + sqrt 4)^2 = 12 + 8 sqrt 2 = 23.314; q1: 8 walk starts; q2: 4.
      assertCandidates(
          run(graph, settings, recent, Set.of()), "x", 12 + 8 * Math.sqrt(2), "q1", 8, "q2", 4);
      // Alpha 1: x's in-weight 2, q1's and q2's none (the floor, minWeight).
      double floor = GRAPH.minWeight();
      assertCandidates(
          run(graph, settings.withPopularityExponent(1), recent, Set.of()),
          "q1",
          8 / floor,
          "q2",
          4 / floor,
          "x",
          (12 + 8 * Math.sqrt(2)) / 2);
      assertCandidates(run(graph, settings, recent, Set.of(recent)), "x", 12 + 8 * Math.sqrt(2));
    }
  }

  /** A graph of {@code items} items with up to {@code degree} weighted out-edges each. */
  static CoInteractionGraph randomGraph(int items, int degree, long seed, List<String> order) {
    Random random = new Random(seed);
    List<ItemEdges> lists = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      ItemEdges edges = new ItemEdges();
      for (int n = 0; n < degree; n++) {
        // Popular items (low ids) are more often neighbors: a skewed graph, like real ones.
        int to = (int) (items * Math.pow(random.nextDouble(), 2));
        if (to != i) {
          edges.add("i" + to, 1 + random.nextInt(5), 0, GRAPH);
        }
      }
      edges.prune(GRAPH);
      lists.add(edges);
    }
    CoInteractionGraph graph = new CoInteractionGraph(GRAPH);
    for (String item : order) {
      graph.replace(item, lists.get(Integer.parseInt(item.substring(1))));
    }
    return graph;
  }

  private static List<String> ids(int items) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      ids.add("i" + i);
    }
    return ids;
  }

  @Test
  void sampledWalksAreReproducibleUnderASeed() {
    List<String> order = ids(300);
    CoInteractionGraph graph = randomGraph(300, 20, 5, order);
    // The same lists given in another order: other slots, the same graph.
    List<String> shuffled = new ArrayList<>(order);
    Collections.shuffle(shuffled, new Random(6));
    CoInteractionGraph same = randomGraph(300, 20, 5, shuffled);
    WalkSettings settings = WalkSettings.defaults().withVisits(Visits.SAMPLED);
    String[] recent = {"i7", "i150", "i3", "i299"};
    Set<String> exclude = Set.of(recent);
    List<Candidate> first =
        new RandomWalks(graph, settings).candidates(recent, exclude::contains, 20, 7);
    List<Candidate> again =
        new RandomWalks(same, settings).candidates(recent, exclude::contains, 20, 7);
    List<Candidate> otherSeed =
        new RandomWalks(graph, settings).candidates(recent, exclude::contains, 20, 8);
    assertThat(first).hasSize(20).isEqualTo(again);
    assertThat(otherSeed).hasSize(20).isNotEqualTo(first);
    assertThat(first).extracting(Candidate::item).doesNotContainAnyElementsOf(exclude);
    // One instance, queried again (scratch arrays reused): the same.
    RandomWalks walks = new RandomWalks(graph, settings);
    walks.candidates(new String[] {"i1"}, item -> false, 5, 99);
    assertThat(walks.candidates(recent, exclude::contains, 20, 7)).isEqualTo(first);
  }
}
