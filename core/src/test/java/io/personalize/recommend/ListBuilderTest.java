package io.personalize.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.GraphSettings;
import io.personalize.graph.RandomWalks;
import io.personalize.graph.WalkSettings;
import io.personalize.graph.WalkSettings.Visits;
import io.personalize.rank.PopularityTracker;
import java.util.List;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Each recommender on a five-item catalog worked by hand. Items A..E are indices 0..4; popularity
 * counts are D 5, E 4, A 3, B 2, C 1; the graph has A -> B (weight 1) and A -> C (weight 3), and B
 * and C have no out-edges, so every walk from A takes one step: with 12 expected steps (no
 * popularity correction) B gets 12 * 1/4 = 3 visits and C 12 * 3/4 = 9, which are their scores.
 */
class ListBuilderTest {
  private static final List<String> IDS = List.of("A", "B", "C", "D", "E");
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static final int D = 3;
  private static final int E = 4;
  private static final WalkSettings WALKS =
      new WalkSettings(Visits.EXPECTED, 12, 0.5, 2, 0, Double.POSITIVE_INFINITY);
  private static final ItemIndex INDEX =
      new ItemIndex() {
        @Override
        public int size() {
          return IDS.size();
        }

        @Override
        public String id(int item) {
          return IDS.get(item);
        }

        @Override
        public int indexOf(String id) {
          return IDS.indexOf(id);
        }
      };

  private final CoInteractionGraph graph = new CoInteractionGraph(GraphSettings.defaults());
  private final PopularityTracker popularity = PopularityTracker.counting(10, IDS::get);

  ListBuilderTest() {
    graph.add("A", "B", 1, 0);
    graph.add("A", "C", 3, 0);
    int[] counts = {3, 2, 1, 5, 4};
    for (int item = 0; item < counts.length; item++) {
      for (int n = 0; n < counts[item]; n++) {
        popularity.add(item, 0);
      }
    }
  }

  private static ListSettings settings(RecommenderKind kind, int length) {
    return new ListSettings(kind, length, 50, 0.5, 4, true);
  }

  private RecommendedList build(
      ListSettings settings, String[] recent, IntToDoubleFunction relevance, int[] universe) {
    ListBuilder builder = new ListBuilder(settings, new RandomWalks(graph, WALKS), INDEX);
    Set<Integer> seen = Set.of(A);
    return builder.build(
        new ListRequest(
            recent,
            seen::contains,
            relevance,
            popularity,
            0,
            (a, b) -> (a == B && b == C) || (a == C && b == B) ? 1 : 0,
            universe,
            7));
  }

  private static void assertList(RecommendedList list, Object... itemsAndSources) {
    assertThat(list.size()).isEqualTo(itemsAndSources.length / 2);
    for (int n = 0; n < list.size(); n++) {
      assertThat(IDS.get(list.items()[n])).as("item %d", n).isEqualTo(itemsAndSources[2 * n]);
      assertThat(list.sources()[n]).as("source %d", n).isEqualTo(itemsAndSources[2 * n + 1]);
    }
  }

  private static double relevance(int item) {
    // A 9 (but seen), B 2, C 1, D 5, E 0.
    return new double[] {9, 2, 1, 5, 0}[item];
  }

  @Test
  void popularityFillsTheListWithTheMostPopularUnseenItems() {
    RecommendedList list =
        build(settings(RecommenderKind.POPULARITY, 3), new String[] {"A"}, null, null);
    assertList(
        list, "D", ItemSource.POPULARITY, "E", ItemSource.POPULARITY, "B", ItemSource.POPULARITY);
    assertThat(list.scores()).containsExactly(5, 4, 2);
  }

  @Test
  void walksRankByWalkScoreThenPopularityFills() {
    RecommendedList list =
        build(settings(RecommenderKind.WALKS, 3), new String[] {"A"}, null, null);
    assertList(list, "C", ItemSource.WALKS, "B", ItemSource.WALKS, "D", ItemSource.POPULARITY);
    assertThat(list.scores()).containsExactly(new double[] {9, 3, 5}, within(1e-12));
  }

  @Test
  void walksPlusRankOrdersTheCandidatesByRelevance() {
    RecommendedList list =
        build(
            settings(RecommenderKind.WALKS_RANK, 3),
            new String[] {"A"},
            ListBuilderTest::relevance,
            null);
    // D has the best relevance but the walks never reach it: it only fills.
    assertList(list, "B", ItemSource.WALKS, "C", ItemSource.WALKS, "D", ItemSource.POPULARITY);
    assertThat(list.scores()).containsExactly(2, 1, 5);
  }

  @Test
  void personalRanksTheWholeCatalogButTheSeenItems() {
    RecommendedList list =
        build(
            settings(RecommenderKind.PERSONAL, 3),
            new String[] {"A"},
            ListBuilderTest::relevance,
            null);
    assertList(list, "D", ItemSource.MODEL, "B", ItemSource.MODEL, "C", ItemSource.MODEL);
  }

  @Test
  void seenItemsStayWhenConfigured() {
    ListSettings keepSeen = new ListSettings(RecommenderKind.PERSONAL, 2, 50, 0.5, 4, false);
    RecommendedList list = build(keepSeen, new String[] {"A"}, ListBuilderTest::relevance, null);
    assertList(list, "A", ItemSource.MODEL, "D", ItemSource.MODEL);
  }

  @Test
  void aUniverseLimitsTheListToItsItems() {
    RecommendedList list =
        build(
            settings(RecommenderKind.PERSONAL, 3),
            new String[] {"A"},
            ListBuilderTest::relevance,
            new int[] {B, C, E});
    assertList(list, "B", ItemSource.MODEL, "C", ItemSource.MODEL, "E", ItemSource.MODEL);
    // Walks find C and B; the fill takes the most popular remaining item of the universe, E.
    RecommendedList walks =
        build(settings(RecommenderKind.WALKS, 3), new String[] {"A"}, null, new int[] {B, E, C});
    assertList(walks, "C", ItemSource.WALKS, "B", ItemSource.WALKS, "E", ItemSource.POPULARITY);
  }

  @Test
  void mmrTradesTheSecondOfTwoSimilarItemsForADissimilarOne() {
    // A -> B, C, D, E with equal weights: all four are candidates. Relevance B 1.0, C 0.8, D 0.6,
    // E 0.4 scales to 1, 2/3, 1/3, 0; only B and C are similar (1). With beta 0.5:
    // pick 1: B (0.5). Pick 2: C 0.5 * 2/3 - 0.5 * 1 = -0.167, D 0.167, E 0 -> D.
    // Pick 3: C -0.167, E 0 -> E. Ranking alone would give B, C, D.
    graph.add("A", "D", 3, 0);
    graph.add("A", "B", 2, 0);
    graph.add("A", "E", 3, 0);
    IntToDoubleFunction rel = item -> new double[] {0, 1.0, 0.8, 0.6, 0.4}[item];
    RecommendedList ranked =
        build(settings(RecommenderKind.WALKS_RANK, 3), new String[] {"A"}, rel, null);
    assertList(ranked, "B", ItemSource.WALKS, "C", ItemSource.WALKS, "D", ItemSource.WALKS);
    RecommendedList diverse =
        build(settings(RecommenderKind.WALKS_RANK_MMR, 3), new String[] {"A"}, rel, null);
    assertList(diverse, "B", ItemSource.WALKS, "D", ItemSource.WALKS, "E", ItemSource.WALKS);
    assertThat(diverse.scores()).containsExactly(1.0, 0.6, 0.4);
  }

  @Test
  void aNewUserGetsWhatNewUsersTouchFirst() {
    graph.add(CoInteractionGraph.NO_ITEM, "E", 1, 0);
    RecommendedList list = build(settings(RecommenderKind.WALKS, 2), new String[0], null, null);
    assertList(list, "E", ItemSource.NEW_USERS, "D", ItemSource.POPULARITY);
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new ListSettings(RecommenderKind.WALKS, 10, 5, 0.5, 10, true))
        .hasMessageContaining("candidates");
    assertThatThrownBy(() -> new ListSettings(RecommenderKind.WALKS, 10, 50, 1.5, 10, true))
        .hasMessageContaining("beta");
    assertThatThrownBy(() -> new ListBuilder(settings(RecommenderKind.WALKS, 3), null, INDEX))
        .hasMessageContaining("walks");
    assertThat(RecommenderKind.parse("Walks+Rank+MMR")).isEqualTo(RecommenderKind.WALKS_RANK_MMR);
    assertThatThrownBy(() -> RecommenderKind.parse("knn")).hasMessageContaining("walks+rank");
  }
}
