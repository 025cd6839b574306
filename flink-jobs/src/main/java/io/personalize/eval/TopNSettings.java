package io.personalize.eval;

import io.personalize.graph.GraphSettings;
import io.personalize.graph.WalkSettings;
import io.personalize.rank.NegativeSampling;
import io.personalize.rank.SignalWeights;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommendationDefaults;
import io.personalize.recommend.RecommenderKind;
import java.util.List;

/**
 * The recommending half's settings for the top-N protocols: the job's own (the command line reads
 * them from the job's options), plus which recommenders to score side by side and how many items
 * the sampled metrics rank the held-out item among.
 *
 * @param list the list settings; its kind is replaced by each of {@code recommenders} in turn
 * @param recommenders the recommenders scored side by side, in report order
 * @param sampledItems leave-last-out: items ranked with the held-out item for the sampled metrics
 * @param epochs leave-last-out: passes of the ranking model over the training events (the stream
 *     protocols make one)
 */
public record TopNSettings(
    GraphSettings graph,
    WalkSettings walks,
    ListSettings list,
    SignalWeights signals,
    NegativeSampling sampling,
    int negatives,
    int seenItems,
    int recentItems,
    long intervalMillis,
    long popularityHalfLifeMillis,
    int popularityTop,
    List<RecommenderKind> recommenders,
    int sampledItems,
    int epochs) {

  public TopNSettings {
    recommenders = List.copyOf(recommenders);
    if (recommenders.isEmpty()) {
      throw new IllegalArgumentException("no recommender to score");
    }
    if (sampledItems < 1) {
      throw new IllegalArgumentException("sampled items must be >= 1, was " + sampledItems);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("ranking epochs must be >= 1, was " + epochs);
    }
  }

  /** The job's default recent items per user ({@code users.recent-items}). */
  public static final int DEFAULT_RECENT_ITEMS = 20;

  /** The evaluator's default ranking epochs of leave-last-out ({@code --ranking-epochs}). */
  public static final int DEFAULT_EPOCHS = 10;

  /**
   * The job's defaults (the core records' and {@link RecommendationDefaults}), every recommender,
   * 100 sampled items, {@link #DEFAULT_EPOCHS}. The command line reads the same from the job's
   * options.
   */
  public static TopNSettings defaults() {
    return new TopNSettings(
        GraphSettings.defaults(),
        WalkSettings.defaults(),
        RecommendationDefaults.listSettings(),
        SignalWeights.defaults(),
        RecommendationDefaults.NEGATIVE_SAMPLING,
        RecommendationDefaults.NEGATIVES,
        RecommendationDefaults.SEEN_ITEMS,
        DEFAULT_RECENT_ITEMS,
        RecommendationDefaults.INTERVAL.toMillis(),
        RecommendationDefaults.POPULARITY_HALF_LIFE.toMillis(),
        RecommendationDefaults.POPULARITY_TOP,
        List.of(RecommenderKind.values()),
        100,
        DEFAULT_EPOCHS);
  }

  /** These settings with other recommenders. */
  public TopNSettings withRecommenders(List<RecommenderKind> value) {
    return new TopNSettings(
        graph,
        walks,
        list,
        signals,
        sampling,
        negatives,
        seenItems,
        recentItems,
        intervalMillis,
        popularityHalfLifeMillis,
        popularityTop,
        value,
        sampledItems,
        epochs);
  }

  /** The list settings of one recommender, at {@code length} items. */
  public ListSettings listOf(RecommenderKind kind, int length) {
    ListSettings of = list.withKind(kind);
    return length == of.length() ? of : of.withLength(length);
  }
}
