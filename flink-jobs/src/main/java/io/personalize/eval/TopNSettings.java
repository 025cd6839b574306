package io.personalize.eval;

import static io.personalize.job.config.PersonalizeOptions.RECENT_ITEMS;
import static io.personalize.job.config.RecommendationOptions.INTERVAL;
import static io.personalize.job.config.RecommendationOptions.POPULARITY_HALF_LIFE;
import static io.personalize.job.config.RecommendationOptions.POPULARITY_TOP;
import static io.personalize.job.config.RecommendationOptions.RANKING_NEGATIVES;
import static io.personalize.job.config.RecommendationOptions.SEEN_ITEMS;

import io.personalize.graph.GraphSettings;
import io.personalize.graph.WalkSettings;
import io.personalize.job.config.JobConfig;
import io.personalize.rank.NegativeSampling;
import io.personalize.rank.SignalWeights;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommenderKind;
import java.util.List;

/**
 * The recommending half's settings for the top-N protocols: the job's own (read from the same
 * options, {@link JobConfig}), plus which recommenders to score side by side and how many items the
 * sampled metrics rank the held-out item among.
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

  /** The job's settings in {@code job}, with these recommenders and sampled items. */
  public static TopNSettings from(
      JobConfig job, List<RecommenderKind> recommenders, int sampledItems, int epochs) {
    return new TopNSettings(
        job.graphSettings(),
        job.walkSettings(),
        job.listSettings(),
        job.signalWeights(),
        job.negativeSampling(),
        job.get(RANKING_NEGATIVES),
        job.get(SEEN_ITEMS),
        job.get(RECENT_ITEMS),
        job.millis(INTERVAL),
        job.millis(POPULARITY_HALF_LIFE),
        job.get(POPULARITY_TOP),
        recommenders,
        sampledItems,
        epochs);
  }

  /** The job's defaults, every recommender, 100 sampled items, the default ranking epochs. */
  public static TopNSettings defaults() {
    return from(
        JobConfig.defaults(),
        List.of(RecommenderKind.values()),
        100,
        io.personalize.job.config.EvaluatorOptions.RANKING_EPOCHS.defaultValue());
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
