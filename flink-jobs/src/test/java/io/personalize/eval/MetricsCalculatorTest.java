package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.model.RatingScale;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two users on a hand-built log with known predictions; every expected number is worked out by hand
 * in the comments.
 *
 * <pre>
 * time  user  value  rating prediction (reported: clamped to 1..5)  like prediction
 *  1    A     4      3.5                                             0.8
 *  2    B     1      0.0 -> 1.0                                      0.1
 *  3    A     2      2.5                                             0.3
 *  4    B     3      3.5                                             0.7
 *  5    A     5      6.0 -> 5.0                                      0.6
 * </pre>
 *
 * A is in group 1, B in group 2, group 3 is empty. Likes (value >= 4): A's events at 1 and 5.
 */
class MetricsCalculatorTest {
  private static final double EPS = 1e-12;

  private final EventLog log =
      EventLog.of(
          new Dataset(
              "hand",
              "generated",
              List.of(
                  // file order differs from time order: the log sorts by time
                  new Interaction("A", "x", 2, 3),
                  new Interaction("A", "y", 4, 1),
                  new Interaction("B", "y", 1, 2),
                  new Interaction("A", "z", 5, 5),
                  new Interaction("B", "x", 3, 4)),
              Map.of()));
  private final double[] ratingPredictions = {3.5, 0.0, 2.5, 3.5, 6.0};
  private final double[] likePredictions = {0.8, 0.1, 0.3, 0.7, 0.6};

  private int[] userGroups() {
    int[] group = new int[log.users()];
    group[log.userIds.indexOf("A")] = 1;
    group[log.userIds.indexOf("B")] = 2;
    return group;
  }

  private static PredictionLog predictions(double[] byEvent, int... order) {
    PredictionLog predictions = new PredictionLog();
    for (int e : order) {
      predictions.add(e, byEvent[e]);
    }
    return predictions;
  }

  private ModeResult rating(boolean ranking) {
    assertThat(log.time).containsExactly(1, 2, 3, 4, 5);
    MetricsCalculator calculator =
        new MetricsCalculator(
            log, Target.RATING, 4, new RatingScale(1, 5), userGroups(), 3, ranking);
    // Predictions arrive in any order; each is matched to its event.
    return calculator.compute("m", predictions(ratingPredictions, 4, 0, 2, 1, 3));
  }

  @Test
  void ratingErrorsPerGroupAndOverallWithClamping() {
    ModeResult result = rating(false);
    assertThat(result.mode()).isEqualTo("m");
    assertThat(result.groups()).extracting(Metrics::group).containsExactly(1, 2, 3);

    // A: errors 0.5, -0.5, 0 (6.0 clamped to 5) -> RMSE sqrt(0.5/3), MAE 1/3
    Metrics a = result.groups().get(0);
    assertThat(a.users()).isEqualTo(1);
    assertThat(a.events()).isEqualTo(3);
    assertThat(a.rmse()).isCloseTo(Math.sqrt(0.5 / 3), within(EPS));
    assertThat(a.mae()).isCloseTo(1.0 / 3, within(EPS));

    // B: errors 0 (0.0 clamped to 1), -0.5 -> RMSE sqrt(0.25/2), MAE 0.25
    Metrics b = result.groups().get(1);
    assertThat(b.users()).isEqualTo(1);
    assertThat(b.events()).isEqualTo(2);
    assertThat(b.rmse()).isCloseTo(Math.sqrt(0.125), within(EPS));
    assertThat(b.mae()).isCloseTo(0.25, within(EPS));

    // All: squared errors 0.75 over 5, absolute errors 1.5 over 5.
    Metrics all = result.overall();
    assertThat(all.group()).isZero();
    assertThat(all.users()).isEqualTo(2);
    assertThat(all.events()).isEqualTo(5);
    assertThat(all.rmse()).isCloseTo(Math.sqrt(0.15), within(EPS));
    assertThat(all.mae()).isCloseTo(0.3, within(EPS));
    // Unclamped, the overall RMSE would be sqrt((0.75 + 1 + 1) / 5).
    assertThat(all.rmse()).isNotCloseTo(Math.sqrt(2.75 / 5), within(1e-3));
  }

  @Test
  void emptyGroupHasZeroCountsAndNullMetrics() {
    Metrics empty = rating(true).groups().get(2);
    assertThat(empty.group()).isEqualTo(3);
    assertThat(empty.users()).isZero();
    assertThat(empty.events()).isZero();
    assertThat(empty.rmse()).isNull();
    assertThat(empty.mae()).isNull();
    assertThat(empty.logloss()).isNull();
    assertThat(empty.auc()).isNull();
    assertThat(empty.userAuc()).isNull();
    assertThat(empty.map()).isNull();
    assertThat(empty.mrr()).isNull();
    assertThat(empty.ndcg()).isNull();
  }

  @Test
  void ratingTargetHasNoLogLossAndRanksOnClampedPredictions() {
    ModeResult result = rating(false);
    for (Metrics m : List.of(result.overall(), result.groups().get(0), result.groups().get(1))) {
      assertThat(m.logloss()).as("log loss of group %d", m.group()).isNull();
      // ranking metrics were not asked for
      assertThat(m.map()).isNull();
      assertThat(m.mrr()).isNull();
      assertThat(m.ndcg()).isNull();
    }
    // Scores (clamped) 3.5, 1, 2.5, 3.5, 5; likes are the events at times 1 (3.5) and 5 (5.0).
    // Positive 5.0 beats all 3 negatives, positive 3.5 beats 1 and 2.5 and ties 3.5: 5.5 / 6.
    assertThat(result.overall().auc()).isCloseTo(5.5 / 6, within(EPS));
    // Group 1 (A): positives 3.5 and 5.0 both above the negative 2.5.
    assertThat(result.groups().get(0).auc()).isCloseTo(1.0, within(EPS));
    // Group 2 (B) has no like: AUC undefined -> null, not NaN.
    assertThat(result.groups().get(1).auc()).isNull();
    assertThat(result.groups().get(1).userAuc()).isNull();
    // Per-user AUC: only A is defined.
    assertThat(result.overall().userAuc()).isCloseTo(1.0, within(EPS));
  }

  @Test
  void rankingMetricsWhenAsked() {
    ModeResult result = rating(true);
    // A ranks 5.0 (like), 3.5 (like), 2.5: a perfect list. B has no like and is skipped.
    for (Metrics m : List.of(result.overall(), result.groups().get(0))) {
      assertThat(m.map()).isCloseTo(1.0, within(EPS));
      assertThat(m.mrr()).isCloseTo(1.0, within(EPS));
      assertThat(m.ndcg()).isCloseTo(1.0, within(EPS));
    }
    assertThat(result.groups().get(1).map()).isNull();
  }

  @Test
  void rankingMetricsOfAnImperfectList() {
    // One user, scores 0.9 (no), 0.8 (like), 0.1 (no), 0.2 (like) -> ranked no, like, like, no.
    EventLog one =
        EventLog.of(
            new Dataset(
                "one",
                "generated",
                List.of(
                    new Interaction("u", "a", 1, 1),
                    new Interaction("u", "b", 5, 2),
                    new Interaction("u", "c", 2, 3),
                    new Interaction("u", "d", 4, 4)),
                Map.of()));
    MetricsCalculator calculator =
        new MetricsCalculator(one, Target.LIKE, 4, RatingScale.UNBOUNDED, new int[] {1}, 1, true);
    ModeResult result =
        calculator.compute("m", predictions(new double[] {0.9, 0.8, 0.1, 0.2}, 0, 1, 2, 3));
    Metrics all = result.overall();
    // AP = (1/2 + 2/3) / 2; RR = 1/2; nDCG = (1/log2 3 + 1/log2 4) / (1 + 1/log2 3)
    double log2of3 = Math.log(3) / Math.log(2);
    assertThat(all.map()).isCloseTo((0.5 + 2.0 / 3) / 2, within(EPS));
    assertThat(all.mrr()).isCloseTo(0.5, within(EPS));
    assertThat(all.ndcg()).isCloseTo((1 / log2of3 + 0.5) / (1 + 1 / log2of3), within(EPS));
    // AUC: like 0.8 beats 0.1, loses to 0.9; like 0.2 beats 0.1, loses to 0.9: 2 / 4.
    assertThat(all.auc()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void likeTargetHasLogLossAndNoRatingErrors() {
    MetricsCalculator calculator =
        new MetricsCalculator(log, Target.LIKE, 4, RatingScale.UNBOUNDED, userGroups(), 3, false);
    assertThat(calculator.label(0)).isEqualTo(1.0); // value 4 at time 1: exactly the threshold
    assertThat(calculator.label(1)).isEqualTo(0.0); // value 1
    ModeResult result = calculator.compute("m", predictions(likePredictions, 0, 1, 2, 3, 4));

    // A: likes at 0.8 and 0.6, no-like at 0.3 -> -(ln 0.8 + ln 0.6 + ln 0.7) / 3
    double a = -(Math.log(0.8) + Math.log(0.6) + Math.log(0.7));
    // B: no-likes at 0.1 and 0.7 -> -(ln 0.9 + ln 0.3) / 2
    double b = -(Math.log(0.9) + Math.log(0.3));
    assertThat(result.groups().get(0).logloss()).isCloseTo(a / 3, within(EPS));
    assertThat(result.groups().get(1).logloss()).isCloseTo(b / 2, within(EPS));
    assertThat(result.overall().logloss()).isCloseTo((a + b) / 5, within(EPS));
    for (Metrics m : List.of(result.overall(), result.groups().get(0), result.groups().get(1))) {
      assertThat(m.rmse()).isNull();
      assertThat(m.mae()).isNull();
    }
    // Likes 0.8 and 0.6 against no-likes 0.1, 0.3, 0.7: 0.6 loses to 0.7 only -> 5 / 6.
    assertThat(result.overall().auc()).isCloseTo(5.0 / 6, within(EPS));
    assertThat(result.overall().users()).isEqualTo(2);
    assertThat(result.overall().events()).isEqualTo(5);
    assertThat(result.groups().get(0).events()).isEqualTo(3);
    assertThat(result.groups().get(1).events()).isEqualTo(2);
  }

  @Test
  void usersWithoutScoredEventsAreNotCounted() {
    // Only A's events are scored (as in a split where B has no test event).
    MetricsCalculator calculator =
        new MetricsCalculator(log, Target.RATING, 4, new RatingScale(1, 5), userGroups(), 3, false);
    ModeResult result = calculator.compute("m", predictions(ratingPredictions, 0, 2));
    assertThat(result.overall().users()).isEqualTo(1);
    assertThat(result.overall().events()).isEqualTo(2);
    assertThat(result.groups().get(1).users()).isZero();
    assertThat(result.groups().get(1).rmse()).isNull();
    // errors 0.5 and -0.5
    assertThat(result.overall().rmse()).isCloseTo(0.5, within(EPS));
    assertThat(result.overall().mae()).isCloseTo(0.5, within(EPS));
  }
}
