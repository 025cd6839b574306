package io.personalize.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Walks that keep expansions between queries give exactly what walks that keep none give, while the
 * graph changes under them in every way it can: edges added, lists replaced, removed, expired, and
 * slots released and reused by other items.
 */
class VisitCacheTest {
  private static final WalkSettings WALKS = WalkSettings.defaults();

  @Test
  void aChangedNeighborRowIsExpandedAgain() {
    GraphSettings settings = GraphSettings.defaults();
    CoInteractionGraph graph = new CoInteractionGraph(settings);
    graph.add("q", "a", 1, 0);
    graph.add("q", "b", 1, 0);
    graph.add("a", "x", 1, 0);
    graph.add("b", "y", 1, 0);
    RandomWalks cached = new RandomWalks(graph, WALKS);
    String[] recent = {"q"};
    List<Candidate> before = cached.candidates(recent, Set.of("q")::contains, 10, 1);
    assertThat(cached.candidates(recent, Set.of("q")::contains, 10, 1)).isEqualTo(before);
    assertThat(cached.expansionsReused()).isEqualTo(1);
    // a's row, two steps from q, gains an edge: q's expansion must see it.
    graph.add("a", "z", 5, 0);
    List<Candidate> after = cached.candidates(recent, Set.of("q")::contains, 10, 1);
    assertThat(after).extracting(Candidate::item).contains("z");
    assertThat(after).isEqualTo(uncached(graph).candidates(recent, Set.of("q")::contains, 10, 1));
    assertThat(cached.expansionsComputed()).isEqualTo(2);
  }

  @Test
  void keptExpansionsGiveWhatFreshOnesGiveWhileTheGraphChanges() {
    GraphSettings settings = GraphSettings.defaults();
    CoInteractionGraph graph = new CoInteractionGraph(settings);
    RandomWalks cached = new RandomWalks(graph, WALKS);
    RandomWalks small = new RandomWalks(graph, WALKS, 300); // evicts all the time
    Random random = new Random(7);
    long now = 0;
    int compared = 0;
    for (int round = 0; round < 3_000; round++) {
      now += 60_000;
      int change = random.nextInt(10);
      String from = item(random);
      if (change < 7) {
        graph.add(from, item(random), 1 + random.nextInt(3), now);
      } else if (change == 7) {
        ItemEdges list = new ItemEdges();
        list.add(item(random), 2, now, settings);
        list.add(item(random), 1, now, settings);
        graph.replace(from, list);
      } else if (change == 8) {
        graph.remove(from); // its targets may lose their last in-edge: their slots are released
      } else {
        graph.expire(now);
      }
      String[] recent = {item(random), item(random), item(random), item(random)};
      Set<String> exclude = new HashSet<>(List.of(recent));
      List<Candidate> fresh = uncached(graph).candidates(recent, exclude::contains, 20, round);
      assertThat(cached.candidates(recent, exclude::contains, 20, round))
          .as("round %d", round)
          .isEqualTo(fresh);
      assertThat(small.candidates(recent, exclude::contains, 20, round))
          .as("round %d, small cache", round)
          .isEqualTo(fresh);
      compared += fresh.isEmpty() ? 0 : 1;
    }
    assertThat(compared).isGreaterThan(2_000);
    assertThat(cached.expansionsReused()).isGreaterThan(1_000);
    assertThat(cached.expansionsComputed()).isGreaterThan(1_000);
    assertThat(small.expansionsReused()).isLessThan(cached.expansionsReused());
  }

  /** 60 items, a few much more often than the rest, as in a stream. */
  private static String item(Random random) {
    return "i" + (int) (60 * Math.pow(random.nextDouble(), 2));
  }

  private static RandomWalks uncached(CoInteractionGraph graph) {
    return new RandomWalks(graph, WALKS, 0);
  }
}
