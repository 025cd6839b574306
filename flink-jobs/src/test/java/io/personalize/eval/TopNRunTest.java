package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.model.EventKind;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.UserSample;
import io.personalize.model.features.FeatureSpace;
import io.personalize.recommend.RecommenderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The top-N protocols on tiny hand-built logs, scored with the popularity recommender, whose lists
 * can be worked out by hand: every event at one time, so popularity is the plain event count (ties
 * by id), and events keep file order.
 */
class TopNRunTest {
  private static final long T = 1_000_000L;

  static EvaluationConfig config(Protocol protocol, RecommenderKind... kinds) {
    return new EvaluationConfig(
        protocol,
        Target.LIKE,
        4,
        0.2,
        0.1,
        ModelConfig.defaults(ModelKind.HYBRID, Loss.LOGISTIC, false),
        EnumSet.of(Mode.GLOBAL),
        new FeatureSpace(FeatureSpace.MOVIELENS_GENRES, 16),
        TopNSettings.defaults().withRecommenders(List.of(kinds)),
        UserSample.DEFAULT_MAX_USERS);
  }

  private static Interaction click(String user, String item) {
    return Interaction.inSession(user, item, EventKind.CLICK, T);
  }

  private static Map<String, Double> popularity(Summary summary) {
    return summary.recommenders().get("popularity").metrics();
  }

  /**
   * Held out (each user's last event in file order): u1 c, u2 d, u3 c. Training counts: a 2, b 2, c
   * 1; d is never learned. Lists leave the user's items out: u1 (a, b) gets [c], rank 1; u2 (a, c)
   * gets [b], d is unknown: a miss; u3 (b) gets [a, c], rank 2.
   */
  @Test
  void leaveLastOutScoresTheHeldOutItemByHand() {
    EventLog log =
        EventLog.of(
            new Dataset(
                "hand",
                "yoochoose",
                List.of(
                    click("u1", "a"),
                    click("u1", "b"),
                    click("u2", "a"),
                    click("u2", "c"),
                    click("u3", "b"),
                    click("u1", "c"),
                    click("u2", "d"),
                    click("u3", "c")),
                Map.of(),
                Dataset.IMPLICIT));
    Summary summary =
        Evaluator.evaluate(
            log, config(Protocol.LEAVE_LAST_OUT, RecommenderKind.POPULARITY), Progress.silent());

    Map<String, Double> m = popularity(summary);
    double rank2 = 1 / (Math.log(3) / Math.log(2)); // nDCG of rank 2: 1 / log2(3)
    assertThat(m.get("hr@10-full")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.get("ndcg@10-full")).isCloseTo((1 + rank2) / 3, within(1e-12));
    // Sampled: u1 ranks c among {c} (nothing else unseen), u3 c among {c, a}: the same ranks.
    assertThat(m.get("hr@10")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.get("ndcg@10")).isCloseTo((1 + rank2) / 3, within(1e-12));
    assertThat(m.get("mrr@10")).isCloseTo((1 + 0.5) / 3, within(1e-12));
    // Lists [c], [b], [a, c] cover every known item (a, b, c).
    assertThat(m.get("coverage@10")).isEqualTo(1.0);
    // No genres: diversity is undefined, not zero.
    assertThat(m.get("ild@10")).isNaN();
    assertThat(m).doesNotContainKeys("hr@20", "mrr@20");
    // Groups by training count: u3 (1 event) in group 1, u1 and u2 (2) in group 7.
    RecommenderResult.Group least = summary.recommenders().get("popularity").groups().get(0);
    RecommenderResult.Group most = summary.recommenders().get("popularity").groups().get(6);
    assertThat(least.users()).isEqualTo(1);
    assertThat(least.metrics().get("hr@10")).isEqualTo(1.0);
    assertThat(least.metrics().get("mrr@10")).isEqualTo(0.5);
    assertThat(most.users()).isEqualTo(2);
    assertThat(most.events()).isEqualTo(2);
    assertThat(most.metrics().get("hr@10")).isEqualTo(0.5);
  }

  /**
   * In the job's order: check the current list, learn, recompute. Lists after each event: (1) u1 []
   * (a is u1's own); (2) u2 [a]; (3) u2 a: rank 1, then []; (4) u3 [a, b]; (5) u3 b: rank 2; (6) u1
   * c: u1's list is still the empty one of event 1, a miss. Events 1, 2 and 4 find no list.
   */
  @Test
  void prequentialTopNChecksTheListBeforeLearningByHand() {
    EventLog log =
        EventLog.of(
            new Dataset(
                "hand",
                "yoochoose",
                List.of(
                    click("u1", "a"),
                    click("u2", "b"),
                    click("u2", "a"),
                    click("u3", "c"),
                    click("u3", "b"),
                    click("u1", "c")),
                Map.of(),
                Dataset.IMPLICIT));
    Summary summary =
        Evaluator.evaluate(
            log, config(Protocol.PREQUENTIAL_TOPN, RecommenderKind.POPULARITY), Progress.silent());

    Map<String, Double> m = popularity(summary);
    assertThat(m).containsOnlyKeys("hr@10", "mrr@10");
    assertThat(m.get("hr@10")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.get("mrr@10")).isCloseTo((1 + 0.5 + 0) / 3, within(1e-12));
    // Every user has 2 events: one group holds them all.
    RecommenderResult.Group first = summary.recommenders().get("popularity").groups().get(0);
    assertThat(first.users()).isEqualTo(3);
    assertThat(first.events()).isEqualTo(3);
  }

  /**
   * Training sessions s1 (a, b), s2 (a, b), s3 (a, c): popularity a 3, b 2, c 1. Test session s4
   * (a, b): after a, the list is [a, b, c] (the session's own items stay candidates), b at rank 2.
   */
  @Test
  void sessionPredictsTheNextItemOfEachPrefixByHand() {
    List<Interaction> events =
        new ArrayList<>(
            List.of(
                click("s1", "a"),
                click("s1", "b"),
                click("s2", "a"),
                click("s2", "b"),
                click("s3", "a"),
                click("s3", "c")));
    int testStart = events.size();
    events.addAll(List.of(click("s4", "a"), click("s4", "b")));
    EventLog log =
        EventLog.of(
            new Dataset("hand", "yoochoose", events, Map.of(), Dataset.IMPLICIT, testStart));
    Summary summary =
        Evaluator.evaluate(
            log, config(Protocol.SESSION, RecommenderKind.POPULARITY), Progress.silent());

    Map<String, Double> m = popularity(summary);
    assertThat(m).containsOnlyKeys("hr@20", "mrr@20");
    assertThat(m.get("hr@20")).isEqualTo(1.0);
    assertThat(m.get("mrr@20")).isEqualTo(0.5);
    assertThat(summary.recommenders().get("popularity").groups().get(0).metrics())
        .containsOnlyKeys("hr@20", "mrr@20");
  }

  @Test
  void sessionNeedsATestPart() {
    EventLog log =
        EventLog.of(
            new Dataset(
                "hand",
                "yoochoose",
                List.of(click("s1", "a"), click("s1", "b")),
                Map.of(),
                Dataset.IMPLICIT));
    assertThatThrownBy(
            () ->
                Evaluator.evaluate(
                    log, config(Protocol.SESSION, RecommenderKind.POPULARITY), Progress.silent()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test part");
  }

  /** Known items 0..5, item 1 and 4 excluded, target 2: the others are 0, 3 and 5. */
  @Test
  void sampledItemsAreDistinctAllowedAndSeeded() {
    int[] all = TopNRun.sampledUniverse(2, 6, i -> i == 1 || i == 4, 100, 7);
    assertThat(all[0]).isEqualTo(2);
    int[] rest = Arrays.copyOfRange(all, 1, all.length);
    Arrays.sort(rest);
    assertThat(rest).containsExactly(0, 3, 5);

    int[] two = TopNRun.sampledUniverse(2, 6, i -> i == 1 || i == 4, 2, 7);
    assertThat(two).hasSize(3).startsWith(2).doesNotHaveDuplicates();
    assertThat(TopNRun.sampledUniverse(2, 6, i -> i == 1 || i == 4, 2, 7)).isEqualTo(two);
  }
}
