package io.personalize.recommend;

import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.SelfTuning;
import io.personalize.rank.NegativeSampling;
import java.time.Duration;

/**
 * The defaults of the recommendation settings that have no record of their own, tuned on ml-100k
 * and the yoochoose sample only (docs/recommendations.md has the grids and the numbers). The item
 * graph's and the walks' are {@code GraphSettings.defaults()} and {@code WalkSettings.defaults()}.
 *
 * <p>Retuned with the evaluator's top-N protocols: {@link #CANDIDATES} 20 (200 let the ranking
 * model pull popular items the walks ranked low into the list: ml-100k prequential-topn HR@10 0.175
 * at 20, 0.149 at 50, 0.123 at 200); {@link #MMR_BETA} 0.35, where MMR adds 0.05 intra-list
 * diversity@10 to the ranked lists for 3.6% of their full-catalog nDCG@10 (ml-100k leave-last-out;
 * 5.4% of the sampled nDCG@10); {@link #POPULARITY_HALF_LIFE} 30 days (the popularity recommender's
 * ml-100k leave-last-out HR@10 0.425 against 0.396 at 7 days).
 */
public final class RecommendationDefaults {
  private RecommendationDefaults() {}

  public static final RecommenderKind RECOMMENDER = RecommenderKind.WALKS_RANK_MMR;
  public static final int LENGTH = 10;
  public static final int CANDIDATES = 20;
  public static final double MMR_BETA = 0.35;
  public static final int MMR_POOL = 30;
  public static final int SEEN_ITEMS = 1000;
  public static final Duration INTERVAL = Duration.ZERO;
  public static final Duration PUBLISH_INTERVAL = Duration.ofMillis(500);
  public static final Duration POPULARITY_HALF_LIFE = Duration.ofDays(30);
  public static final int POPULARITY_TOP = 1000;
  // 100 until 2026-12-05: ten times fewer deltas for each recommendation subtask to apply and
  // five times fewer walk expansions recomputed, the lists' HR@10 unchanged on the ml-100k demo,
  // and an edge still late by at most graph-updates.every (docs/performance.md).
  public static final int GRAPH_UPDATES_EVERY_CHANGES = 1000;
  public static final int NEGATIVES = 4;
  public static final NegativeSampling NEGATIVE_SAMPLING = NegativeSampling.mixed(0.5);

  /**
   * The "will interact" model that goes with a rating model: the same family, factors, groups, seed
   * and share of users that keep every candidate, with the logistic loss and its own tuned step
   * sizes.
   */
  public static ModelConfig rankingModel(ModelConfig ratingModel) {
    // The ranking model learns sampled examples per event, not one rating: it keeps its tuned
    // steps and candidates, without learning settings or a global-row candidate. Its blocks are
    // most of the recommendation task's state, so it samples the users that keep every candidate
    // as the rating model does (docs/performance.md).
    return ModelConfig.defaultsWithoutLearning(ratingModel.kind(), Loss.LOGISTIC, true).toBuilder()
        .factors(ratingModel.factors())
        .groups(ratingModel.groups())
        .seed(ratingModel.seed())
        .regroupEvery(ratingModel.regroupEvery())
        .tuning(SelfTuning.off().withCandidateShare(ratingModel.tuning().candidateShare()))
        .build();
  }

  /** The list settings at these defaults. */
  public static ListSettings listSettings() {
    return new ListSettings(RECOMMENDER, LENGTH, CANDIDATES, MMR_BETA, MMR_POOL, true);
  }
}
