package io.personalize.eval;

import io.personalize.metrics.Auc;
import io.personalize.metrics.LogLossAccumulator;
import io.personalize.metrics.RankingAccumulator;
import io.personalize.metrics.RegressionAccumulator;
import io.personalize.metrics.UserAveragedAuc;
import io.personalize.model.RatingScale;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a mode's predictions into {@link Metrics}, per group and overall. Rating metrics need the
 * rating target, log loss the like target (a probability); AUC and the per-user metrics use the
 * like-signal (value >= threshold) as the label and the prediction as the score, so they exist for
 * both targets.
 */
final class MetricsCalculator {
  private final EventLog log;
  private final Target target;
  private final double likeThreshold;
  private final int[] userGroup;
  private final int groups;
  private final boolean ranking;
  private final RatingScale scale;

  /**
   * @param userGroup reporting group (1..groups) of each user
   * @param ranking whether to compute MAP, MRR and nDCG over each user's scored events
   */
  MetricsCalculator(
      EventLog log,
      Target target,
      double likeThreshold,
      RatingScale scale,
      int[] userGroup,
      int groups,
      boolean ranking) {
    this.scale = scale;
    this.log = log;
    this.target = target;
    this.likeThreshold = likeThreshold;
    this.userGroup = userGroup;
    this.groups = groups;
    this.ranking = ranking;
  }

  double label(int event) {
    return target == Target.RATING ? log.value[event] : likes(event) ? 1 : 0;
  }

  boolean likes(int event) {
    return log.value[event] >= likeThreshold;
  }

  ModeResult compute(String mode, PredictionLog predictions) {
    // Group the scored events by user, keeping their order.
    int users = log.users();
    int[] start = new int[users + 1];
    for (int k = 0; k < predictions.size(); k++) {
      start[log.user[predictions.event(k)] + 1]++;
    }
    for (int u = 0; u < users; u++) {
      start[u + 1] += start[u];
    }
    int[] fill = start.clone();
    int[] byUser = new int[predictions.size()];
    for (int k = 0; k < predictions.size(); k++) {
      byUser[fill[log.user[predictions.event(k)]]++] = k;
    }

    List<Metrics> perGroup = new ArrayList<>();
    for (int g = 1; g <= groups; g++) {
      perGroup.add(metrics(g, predictions, start, byUser));
    }
    return new ModeResult(mode, metrics(0, predictions, start, byUser), perGroup);
  }

  private Metrics metrics(int group, PredictionLog predictions, int[] start, int[] byUser) {
    RegressionAccumulator regression = new RegressionAccumulator();
    LogLossAccumulator logLoss = new LogLossAccumulator();
    UserAveragedAuc userAuc = new UserAveragedAuc();
    RankingAccumulator rankingMetrics = new RankingAccumulator(10);
    List<double[]> scoreParts = new ArrayList<>();
    List<boolean[]> labelParts = new ArrayList<>();
    long users = 0;
    long events = 0;
    for (int u = 0; u < log.users(); u++) {
      int n = start[u + 1] - start[u];
      if (n == 0 || (group != 0 && userGroup[u] != group)) {
        continue;
      }
      users++;
      events += n;
      double[] scores = new double[n];
      boolean[] liked = new boolean[n];
      for (int j = 0; j < n; j++) {
        int k = byUser[start[u] + j];
        int event = predictions.event(k);
        double prediction = scale.clamp(predictions.prediction(k));
        scores[j] = prediction;
        liked[j] = likes(event);
        if (target == Target.RATING) {
          regression.add(prediction, log.value[event]);
        } else {
          logLoss.add(prediction, liked[j]);
        }
      }
      userAuc.add(scores, liked);
      if (ranking) {
        rankingMetrics.add(scores, liked);
      }
      scoreParts.add(scores);
      labelParts.add(liked);
    }
    double[] allScores = new double[(int) events];
    boolean[] allLabels = new boolean[(int) events];
    int at = 0;
    for (int p = 0; p < scoreParts.size(); p++) {
      System.arraycopy(scoreParts.get(p), 0, allScores, at, scoreParts.get(p).length);
      System.arraycopy(labelParts.get(p), 0, allLabels, at, labelParts.get(p).length);
      at += scoreParts.get(p).length;
    }
    boolean rating = target == Target.RATING;
    return new Metrics(
        group,
        users,
        events,
        rating ? finite(regression.rmse()) : null,
        rating ? finite(regression.mae()) : null,
        rating ? null : finite(logLoss.logLoss()),
        finite(Auc.of(allScores, allLabels)),
        finite(userAuc.mean()),
        ranking ? finite(rankingMetrics.map()) : null,
        ranking ? finite(rankingMetrics.mrr()) : null,
        ranking ? finite(rankingMetrics.ndcg()) : null);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
