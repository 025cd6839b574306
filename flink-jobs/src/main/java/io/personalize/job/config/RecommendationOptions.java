package io.personalize.job.config;

import static io.personalize.job.config.PersonalizeOptions.PREFIX;
import static org.apache.flink.configuration.ConfigOptions.key;

import io.personalize.connectors.config.Setting;
import io.personalize.graph.GraphSettings;
import io.personalize.graph.WalkSettings;
import io.personalize.rank.NegativeSampling;
import io.personalize.rank.SignalWeights;
import io.personalize.recommend.RecommendationDefaults;
import io.personalize.recommend.RecommenderKind;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The settings of the recommending half of the engine: the item graph, the random walks, the
 * ranking model and the lists. The job and the evaluator share every one of them. Defaults come
 * from the core records ({@link GraphSettings#defaults}, {@link WalkSettings#defaults}, {@link
 * RecommendationDefaults}), where docs/recommendations.md says how each was chosen.
 */
public final class RecommendationOptions {
  private RecommendationOptions() {}

  private static final GraphSettings GRAPH = GraphSettings.defaults();
  private static final WalkSettings WALKS = WalkSettings.defaults();

  // ---- Lists

  public static final ConfigOption<Boolean> ENABLED =
      key(PREFIX + "recommend.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Build the item graph, learn the ranking model and keep every user's list of"
                  + " recommendations.");

  public static final ConfigOption<String> RECOMMENDER =
      key(PREFIX + "recommend.recommender")
          .stringType()
          .defaultValue(RecommendationDefaults.RECOMMENDER.label())
          .withDescription(
              "How lists are made: popularity, walks, personal (the ranking model over the whole"
                  + " catalog), walks+rank or walks+rank+mmr.");

  public static final ConfigOption<Integer> LENGTH =
      key(PREFIX + "recommend.length")
          .intType()
          .defaultValue(RecommendationDefaults.LENGTH)
          .withDescription("K, items per list.");

  public static final ConfigOption<Integer> CANDIDATES =
      key(PREFIX + "recommend.candidates")
          .intType()
          .defaultValue(RecommendationDefaults.CANDIDATES)
          .withDescription("Walk candidates the ranking model scores per list.");

  public static final ConfigOption<Double> MMR_BETA =
      key(PREFIX + "recommend.mmr-beta")
          .doubleType()
          .defaultValue(RecommendationDefaults.MMR_BETA)
          .withDescription(
              "Weight of diversity in Maximal Marginal Relevance: (1 - beta) * relevance - beta"
                  + " * max similarity to the items already picked.");

  public static final ConfigOption<Integer> MMR_POOL =
      key(PREFIX + "recommend.mmr-pool")
          .intType()
          .defaultValue(RecommendationDefaults.MMR_POOL)
          .withDescription("Best-ranked candidates MMR picks a list from.");

  public static final ConfigOption<Boolean> EXCLUDE_SEEN =
      key(PREFIX + "recommend.exclude-seen")
          .booleanType()
          .defaultValue(true)
          .withDescription("Leave out items the user already interacted with.");

  public static final ConfigOption<Integer> SEEN_ITEMS =
      key(PREFIX + "recommend.seen-items")
          .intType()
          .defaultValue(RecommendationDefaults.SEEN_ITEMS)
          .withDescription(
              "Latest distinct items remembered per user to leave out of lists (and out of the"
                  + " ranking model's negatives).");

  public static final ConfigOption<Duration> INTERVAL =
      key(PREFIX + "recommend.interval")
          .durationType()
          .defaultValue(RecommendationDefaults.INTERVAL)
          .withDescription(
              "A user's list is recomputed on the user's events at most once per this much event"
                  + " time (0: after every event).");

  public static final ConfigOption<Duration> PUBLISH_INTERVAL =
      key(PREFIX + "recommend.publish-interval")
          .durationType()
          .defaultValue(RecommendationDefaults.PUBLISH_INTERVAL)
          .withDescription(
              "A user's list is made and goes to the recommendations topic and queryable state"
                  + " at most once per this much processing time; a list due sooner is made at the"
                  + " end of the interval from the user's state then (0: every due list at once)."
                  + " Also the least time between two global fallback lists (key \"\"). The job"
                  + " only: the evaluator makes a list whenever one is due.");

  public static final ConfigOption<Duration> POPULARITY_HALF_LIFE =
      key(PREFIX + "recommend.popularity-half-life")
          .durationType()
          .defaultValue(RecommendationDefaults.POPULARITY_HALF_LIFE)
          .withDescription(
              "Recent popularity (the fallback) counts an event half after this long.");

  public static final ConfigOption<Integer> POPULARITY_TOP =
      key(PREFIX + "recommend.popularity-top")
          .intType()
          .defaultValue(RecommendationDefaults.POPULARITY_TOP)
          .withDescription("Most popular items kept to fill lists.");

  // ---- Item graph

  public static final ConfigOption<Duration> GRAPH_WINDOW =
      key(PREFIX + "graph.window")
          .durationType()
          .defaultValue(Duration.ofMillis(GRAPH.windowMillis()))
          .withDescription(
              "Two interactions of one user this close in event time make an edge from the"
                  + " earlier item to the later.");

  public static final ConfigOption<Duration> GRAPH_HALF_LIFE =
      key(PREFIX + "graph.half-life")
          .durationType()
          .defaultValue(Duration.ofMillis(GRAPH.halfLifeMillis()))
          .withDescription("Edge weights halve after this much event time (freshness).");

  public static final ConfigOption<Double> GRAPH_MIN_WEIGHT =
      key(PREFIX + "graph.min-weight")
          .doubleType()
          .defaultValue(GRAPH.minWeight())
          .withDescription("Edges whose decayed weight falls below this are pruned.");

  public static final ConfigOption<Integer> GRAPH_MAX_NEIGHBORS =
      key(PREFIX + "graph.max-neighbors")
          .intType()
          .defaultValue(GRAPH.maxNeighbors())
          .withDescription("Out-edges kept per item, strongest first.");

  public static final ConfigOption<Integer> GRAPH_RECENT_ITEMS =
      key(PREFIX + "graph.recent-items")
          .intType()
          .defaultValue(GRAPH.recentItems())
          .withDescription("Latest items per user that a new interaction pairs with.");

  public static final ConfigOption<Double> GRAPH_GAP_EXPONENT =
      key(PREFIX + "graph.gap-exponent")
          .doubleType()
          .defaultValue(GRAPH.gapExponent())
          .withDescription(
              "A pair weighs its signal weight / gap^exponent, gap in positions of the user's"
                  + " sequence (0: every pair in the window alike).");

  public static final ConfigOption<Integer> GRAPH_UPDATES_EVERY_CHANGES =
      key(PREFIX + "graph-updates.every-changes")
          .intType()
          .defaultValue(RecommendationDefaults.GRAPH_UPDATES_EVERY_CHANGES)
          .withDescription("The graph publishes a delta after this many changed edge lists...");

  public static final ConfigOption<Duration> GRAPH_UPDATES_EVERY =
      key(PREFIX + "graph-updates.every")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("... or after this long (processing time), whichever comes first.");

  public static final ConfigOption<Duration> GRAPH_PAIRS_COMBINE_WITHIN =
      key(PREFIX + "graph-updates.combine-within")
          .durationType()
          .defaultValue(Duration.ofMillis(200))
          .withDescription(
              "A user-sequence subtask holds the item pairs it makes up to this long (less when a"
                  + " watermark or a checkpoint comes first) and sends them to the graph as one"
                  + " record per source item, whose list is then read and written once for all"
                  + " its pairs. The same adds in the same order: no weight changes. 0 ms: every"
                  + " pair alone. With model.neighbours, the per-user operator's partner updates"
                  + " to the item neighbourhoods are held and combined the same way.");

  public static final ConfigOption<Boolean> GRAPH_UPDATES_NEWEST_ONLY =
      key(PREFIX + "graph-updates.newest-only")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "A recommendation subtask keeps at most two waiting edge lists per item, the one"
                  + " that waits longest (it applies next) and the newest: a list that a newer"
                  + " waiting update replaces is dropped, so what waits for the watermark (and goes"
                  + " into every checkpoint) is bounded by the items, not by how far the graph runs"
                  + " ahead. An item then skips the lists in between. false: every list applies in"
                  + " turn, as the evaluator's graph does (a replay far behind its input checkpoints"
                  + " every waiting list).");

  // ---- Random walks

  public static final ConfigOption<WalkSettings.Visits> WALK_VISITS =
      key(PREFIX + "walks.visits")
          .enumType(WalkSettings.Visits.class)
          .defaultValue(WALKS.visits())
          .withDescription(
              "SAMPLED (Pixie's seeded walks) or EXPECTED (their exact expected visits, no"
                  + " sampling noise).");

  public static final ConfigOption<Integer> WALK_STEPS =
      key(PREFIX + "walks.steps")
          .intType()
          .defaultValue(WALKS.steps())
          .withDescription("Steps of all walks of one query, split over the start items.");

  public static final ConfigOption<Double> WALK_RESTART =
      key(PREFIX + "walks.restart-probability")
          .doubleType()
          .defaultValue(WALKS.restartProbability())
          .withDescription(
              "After each step a walk returns to its start item with this probability.");

  public static final ConfigOption<Integer> WALK_MAX_LENGTH =
      key(PREFIX + "walks.max-length")
          .intType()
          .defaultValue(WALKS.maxWalkLength())
          .withDescription("Longest walk before it returns to its start item.");

  public static final ConfigOption<Double> WALK_POPULARITY_EXPONENT =
      key(PREFIX + "walks.popularity-exponent")
          .doubleType()
          .defaultValue(WALKS.popularityExponent())
          .withDescription(
              "alpha: walk scores are divided by (weighted in-degree)^alpha, against the bias of"
                  + " visit counts toward popular items (0: raw counts).");

  public static final ConfigOption<Double> WALK_RECENCY_HALF_LIFE =
      key(PREFIX + "walks.recency-half-life")
          .doubleType()
          .defaultValue(WALKS.recencyHalfLife())
          .withDescription(
              "A start item's share of the steps halves every this many positions back from the"
                  + " user's latest item.");

  // ---- Ranking model

  public static final ConfigOption<Integer> RANKING_NEGATIVES =
      key(PREFIX + "ranking.negatives")
          .intType()
          .defaultValue(RecommendationDefaults.NEGATIVES)
          .withDescription("Sampled negatives per event of the \"will interact\" model.");

  public static final ConfigOption<String> RANKING_NEGATIVE_SAMPLING =
      key(PREFIX + "ranking.negative-sampling")
          .stringType()
          .defaultValue(RecommendationDefaults.NEGATIVE_SAMPLING.toString())
          .withDescription(
              "uniform, popularity (probability ~ count^0.75) or mixed[:share of popularity"
                  + " draws].");

  public static final ConfigOption<String> RANKING_SIGNAL_WEIGHTS =
      key(PREFIX + "ranking.signal-weights")
          .stringType()
          .defaultValue(SignalWeights.defaults().toString())
          .withDescription(
              "How much one event of each kind counts as a positive, KIND=WEIGHT separated by"
                  + " ',' (0 leaves a kind out).");

  /** Every recommendation setting, in documentation order. */
  public static final List<Setting<?>> ALL =
      List.of(
          Setting.of(ENABLED),
          Setting.of(RECOMMENDER, RecommendationOptions::isRecommender, "a recommender"),
          Setting.of(LENGTH, n -> n >= 1 && n <= 1000, "1..1000"),
          Setting.of(CANDIDATES, n -> n >= 1, ">= 1, >= recommend.length"),
          Setting.of(MMR_BETA, b -> b >= 0 && b <= 1, "0..1"),
          Setting.of(MMR_POOL, n -> n >= 1, ">= recommend.length"),
          Setting.of(EXCLUDE_SEEN),
          Setting.of(SEEN_ITEMS, n -> n >= 1 && n <= 100_000, "1..100000"),
          Setting.of(INTERVAL, d -> !d.isNegative(), ">= 0"),
          Setting.of(PUBLISH_INTERVAL, d -> !d.isNegative(), ">= 0"),
          Setting.of(POPULARITY_HALF_LIFE, d -> d.toMillis() >= 1, ">= 1 ms"),
          Setting.of(POPULARITY_TOP, n -> n >= 1 && n <= 1_000_000, "1..1000000"),
          Setting.of(GRAPH_WINDOW, d -> !d.isNegative(), ">= 0"),
          Setting.of(GRAPH_HALF_LIFE, d -> d.toMillis() >= 1, ">= 1 ms"),
          Setting.of(GRAPH_MIN_WEIGHT, w -> w > 0 && Double.isFinite(w), "> 0"),
          Setting.of(GRAPH_MAX_NEIGHBORS, n -> n >= 1 && n <= 10_000, "1..10000"),
          Setting.of(GRAPH_RECENT_ITEMS, n -> n >= 1 && n <= 1000, "1..1000"),
          Setting.of(GRAPH_GAP_EXPONENT, e -> e >= 0 && Double.isFinite(e), ">= 0"),
          Setting.of(GRAPH_UPDATES_EVERY_CHANGES, n -> n >= 1, ">= 1"),
          Setting.of(GRAPH_UPDATES_EVERY, d -> d.toMillis() >= 1, ">= 1 ms"),
          Setting.of(GRAPH_PAIRS_COMBINE_WITHIN, d -> !d.isNegative(), ">= 0"),
          Setting.of(GRAPH_UPDATES_NEWEST_ONLY),
          Setting.of(WALK_VISITS),
          Setting.of(WALK_STEPS, n -> n >= 1 && n <= 10_000_000, "1..10000000"),
          Setting.of(WALK_RESTART, p -> p >= 0 && p <= 1, "0..1"),
          Setting.of(WALK_MAX_LENGTH, n -> n >= 1 && n <= 1000, "1..1000"),
          Setting.of(WALK_POPULARITY_EXPONENT, a -> a >= 0 && Double.isFinite(a), ">= 0"),
          Setting.of(WALK_RECENCY_HALF_LIFE, h -> h > 0, "> 0"),
          Setting.of(RANKING_NEGATIVES, n -> n >= 0 && n <= 1000, "0..1000"),
          Setting.of(
              RANKING_NEGATIVE_SAMPLING,
              RecommendationOptions::isNegativeSampling,
              "uniform, popularity or mixed[:share]"),
          Setting.of(
              RANKING_SIGNAL_WEIGHTS,
              RecommendationOptions::isSignalWeights,
              "KIND=WEIGHT,... with kinds RATING, CLICK, VIEW, PURCHASE and weights >= 0"));

  private static boolean isRecommender(String text) {
    return parses(() -> RecommenderKind.parse(text));
  }

  private static boolean isNegativeSampling(String text) {
    return parses(() -> NegativeSampling.parse(text));
  }

  private static boolean isSignalWeights(String text) {
    return parses(() -> SignalWeights.parse(text));
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
