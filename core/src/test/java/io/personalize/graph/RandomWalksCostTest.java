package io.personalize.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.graph.WalkSettings.Visits;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What one walk query costs on a graph of 2,000 items x 50 neighbors, for a user with 20 recent
 * items: printed, not asserted (timings depend on the machine); what is asserted is that the
 * queries did their work.
 */
class RandomWalksCostTest {
  private static final int ITEMS = 2_000;
  private static final int NEIGHBORS = 50;
  private static final int RECENT = 20;

  /** Every item has 50 distinct out-neighbors, popular items (low ids) drawn more often. */
  static CoInteractionGraph graph(long seed) {
    GraphSettings settings = GraphSettings.defaults();
    CoInteractionGraph graph = new CoInteractionGraph(settings);
    Random random = new Random(seed);
    for (int i = 0; i < ITEMS; i++) {
      ItemEdges edges = new ItemEdges();
      while (edges.size() < NEIGHBORS) {
        int to = (int) (ITEMS * Math.pow(random.nextDouble(), 2));
        if (to != i && edges.weightOf("i" + to) == 0) {
          edges.add("i" + to, 1 + random.nextInt(10), 0, settings);
        }
      }
      edges.prune(settings);
      graph.replace("i" + i, edges);
    }
    return graph;
  }

  @Test
  void oneQueryOnTwoThousandItemsWithFiftyNeighbors() {
    CoInteractionGraph graph = graph(1);
    assertThat(graph.edgeCount()).isEqualTo((long) ITEMS * NEIGHBORS);
    Random random = new Random(2);
    String[][] users = new String[200][RECENT];
    for (String[] user : users) {
      Set<String> distinct = new HashSet<>();
      for (int k = 0; k < RECENT; k++) {
        do {
          user[k] = "i" + random.nextInt(ITEMS);
        } while (!distinct.add(user[k]));
      }
    }
    WalkSettings sampled = WalkSettings.defaults().withVisits(Visits.SAMPLED).withSteps(2_000);
    WalkSettings expected = sampled.withVisits(Visits.EXPECTED);
    double sampledMicros = microsPerQuery(new RandomWalks(graph, sampled), users);
    double expectedMicros = microsPerQuery(new RandomWalks(graph, expected, 0), users);
    double keptMicros = microsPerQuery(new RandomWalks(graph, expected), users);
    WalkSettings threeRounds = expected.withMaxWalkLength(3);
    double threeRoundsMicros = microsPerQuery(new RandomWalks(graph, threeRounds, 0), users);
    // How far 2,000 sampled steps are from their expectation: the top 10 in common.
    int common = 0;
    for (String[] user : users) {
      Set<String> exclude = Set.of(user);
      Set<String> a =
          items(new RandomWalks(graph, sampled).candidates(user, exclude::contains, 10, 3));
      a.retainAll(
          items(new RandomWalks(graph, expected).candidates(user, exclude::contains, 10, 3)));
      common += a.size();
    }
    System.out.printf(
        Locale.ROOT,
        "walk query, %,d items x %d neighbors, %d recent items, top 10: sampled (%,d steps) %.0f"
            + " us, expected (%d rounds) %.0f us (expansions kept: %.0f us), expected (3 rounds) %.0f"
            + " us; top 10 of sampled and expected in common %.1f%n",
        ITEMS,
        NEIGHBORS,
        RECENT,
        sampled.steps(),
        sampledMicros,
        expected.maxWalkLength(),
        expectedMicros,
        keptMicros,
        threeRoundsMicros,
        common / (double) users.length);
    assertThat(common).isPositive();
  }

  private static Set<String> items(List<Candidate> candidates) {
    Set<String> items = new HashSet<>();
    candidates.forEach(c -> items.add(c.item()));
    return items;
  }

  /** Median-free and simple: the mean over 3 rounds of every user, after one warm-up round. */
  private static double microsPerQuery(RandomWalks walks, String[][] users) {
    int found = 0;
    long start = 0;
    for (int round = 0; round < 4; round++) {
      if (round == 1) {
        start = System.nanoTime();
      }
      for (int u = 0; u < users.length; u++) {
        List<Candidate> top = walks.candidates(users[u], Set.of(users[u])::contains, 10, u);
        found += top.size();
      }
    }
    double micros = (System.nanoTime() - start) / 1e3 / (3.0 * users.length);
    assertThat(found).isEqualTo(4 * users.length * 10);
    return micros;
  }
}
