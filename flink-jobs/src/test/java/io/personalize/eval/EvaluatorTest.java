package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.model.EventKind;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every protocol with every mode it supports on one generated data set. */
class EvaluatorTest {
  private static final int USERS = 300;
  private static final int ITEMS = 400;
  private static final int EVENTS = 20_000;
  private static final List<String> STREAM_MODES = List.of("global", "local", "mtl", "adaptive");
  private static final List<String> BATCH_MODES =
      List.of("global", "local", "mtl", "adaptive", "adaptive-paper", "adaptive-paper-reverse");

  /** The protocols that learn and score ratings; the top-N ones have tests of their own. */
  private static final List<Protocol> RATING_PROTOCOLS =
      List.of(Protocol.BATCH, Protocol.USER_SPLIT, Protocol.PREQUENTIAL);

  private static EventLog log;
  private static final Map<Protocol, Summary> SUMMARIES = new EnumMap<>(Protocol.class);

  @BeforeAll
  static void evaluateEveryProtocol() {
    log = EventLog.of(SyntheticData.generate(7, USERS, ITEMS, EVENTS));
    for (Protocol protocol : RATING_PROTOCOLS) {
      SUMMARIES.put(
          protocol, Evaluator.evaluate(log, config(protocol, Target.RATING), Progress.silent()));
    }
  }

  static EvaluationConfig config(Protocol protocol, Target target) {
    ModelKind kind = target == Target.RATING ? ModelKind.HYBRID : ModelKind.LOGISTIC;
    Loss loss = target == Target.RATING ? Loss.SQUARED : Loss.LOGISTIC;
    return new EvaluationConfig(
        protocol,
        target,
        4,
        0.2,
        0.1,
        ModelConfig.defaults(kind, loss, protocol.isStream()),
        EnumSet.allOf(Mode.class));
  }

  @Test
  void summaryDescribesTheRun() {
    for (Protocol protocol : RATING_PROTOCOLS) {
      Summary summary = SUMMARIES.get(protocol);
      assertThat(summary.dataset()).isEqualTo("generated");
      assertThat(summary.protocol()).isEqualTo(protocol.label());
      assertThat(summary.model()).isEqualTo("hybrid");
      assertThat(summary.target()).isEqualTo("rating");
      assertThat(summary.events()).isEqualTo(EVENTS);
      assertThat(summary.users()).isEqualTo(USERS);
      assertThat(summary.items()).isEqualTo(log.items()).isBetween(ITEMS / 2, ITEMS);
      assertThat(summary.groups()).isEqualTo(7);
      assertThat(summary.seconds()).isPositive();
      assertThat(summary.adaptiveSelection()).hasSize(7);
      ModelConfig defaults =
          ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, protocol.isStream());
      assertThat(summary.settings()).containsEntry("epochs", defaults.epochs()).containsKey("seed");
    }
  }

  @Test
  void eachProtocolRunsEveryModeItSupports() {
    assertThat(SUMMARIES.get(Protocol.PREQUENTIAL).modes().keySet())
        .containsExactlyElementsOf(STREAM_MODES);
    assertThat(SUMMARIES.get(Protocol.BATCH).modes().keySet())
        .containsExactlyElementsOf(BATCH_MODES);
    assertThat(SUMMARIES.get(Protocol.USER_SPLIT).modes().keySet())
        .containsExactlyElementsOf(BATCH_MODES);
    for (Summary summary : SUMMARIES.values()) {
      summary.modes().forEach((name, result) -> assertThat(result.mode()).isEqualTo(name));
    }
  }

  @Test
  void groupsOneToSevenPartitionTheScoredUsersAndEvents() {
    for (Summary summary : SUMMARIES.values()) {
      for (ModeResult mode : summary.modes().values()) {
        String what = summary.protocol() + "/" + mode.mode();
        assertThat(mode.groups())
            .as(what)
            .extracting(Metrics::group)
            .containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(mode.overall().group()).as(what).isZero();
        assertThat(mode.groups().stream().mapToLong(Metrics::users).sum())
            .as(what)
            .isEqualTo(mode.overall().users());
        assertThat(mode.groups().stream().mapToLong(Metrics::events).sum())
            .as(what)
            .isEqualTo(mode.overall().events());
        // Groups are by data size: both ends are populated on heavy-tailed data.
        assertThat(mode.groups().get(0).users()).as(what).isPositive();
        assertThat(mode.groups().get(6).users()).as(what).isPositive();
      }
    }
  }

  @Test
  void prequentialPredictsEveryEventExactlyOnce() {
    for (ModeResult mode : SUMMARIES.get(Protocol.PREQUENTIAL).modes().values()) {
      assertThat(mode.overall().events()).as(mode.mode()).isEqualTo(EVENTS);
      assertThat(mode.overall().users()).as(mode.mode()).isEqualTo(USERS);
    }
  }

  @Test
  void splitProtocolsScoreExactlyTheTestPart() {
    for (ModeResult mode : SUMMARIES.get(Protocol.BATCH).modes().values()) {
      assertThat(mode.overall().events()).as(mode.mode()).isEqualTo(Math.round(EVENTS * 0.2));
    }
    long[] counts = log.countsPerUser(log.allEvents());
    long testEvents = 0;
    long testUsers = 0;
    for (long n : counts) {
      long test = Math.min(n - 1, Math.round(n * 0.2));
      testEvents += test;
      testUsers += test > 0 ? 1 : 0;
    }
    for (ModeResult mode : SUMMARIES.get(Protocol.USER_SPLIT).modes().values()) {
      assertThat(mode.overall().events()).as(mode.mode()).isEqualTo(testEvents);
      assertThat(mode.overall().users()).as(mode.mode()).isEqualTo(testUsers);
    }
  }

  @Test
  void noMetricIsNaNAndRatingMetricsArePresent() {
    for (Summary summary : SUMMARIES.values()) {
      for (ModeResult mode : summary.modes().values()) {
        String what = summary.protocol() + "/" + mode.mode();
        Metrics all = mode.overall();
        assertThat(all.rmse()).as(what).isNotNull().isBetween(0.3, 2.0);
        assertThat(all.mae()).as(what).isNotNull().isBetween(0.2, all.rmse());
        assertThat(all.auc()).as(what).isNotNull().isBetween(0.0, 1.0);
        assertThat(all.userAuc()).as(what).isNotNull().isBetween(0.0, 1.0);
        assertThat(all.logloss()).as(what).isNull();
        for (Metrics m : mode.groups()) {
          for (Double value :
              new Double[] {
                m.rmse(), m.mae(), m.logloss(), m.auc(), m.userAuc(), m.map(), m.mrr(), m.ndcg()
              }) {
            assertThat(value == null || Double.isFinite(value))
                .as("%s group %d: %s", what, m.group(), m)
                .isTrue();
          }
          if (m.events() > 0) {
            assertThat(m.rmse()).as("%s group %d", what, m.group()).isNotNull();
          }
        }
      }
    }
    // Ranking metrics only in the per-user time split.
    assertThat(SUMMARIES.get(Protocol.USER_SPLIT).modes().get("global").overall().map())
        .isNotNull();
    assertThat(SUMMARIES.get(Protocol.BATCH).modes().get("global").overall().map()).isNull();
    assertThat(SUMMARIES.get(Protocol.PREQUENTIAL).modes().get("global").overall().map()).isNull();
  }

  @Test
  void localIsWorseThanGlobalOnGeneratedData() {
    for (Summary summary : SUMMARIES.values()) {
      double global = summary.modes().get("global").overall().rmse();
      double local = summary.modes().get("local").overall().rmse();
      assertThat(local).as(summary.protocol()).isGreaterThan(global);
    }
  }

  @Test
  void globalLearnsSomethingOnGeneratedData() {
    // Predicting the mean of the ratings everywhere is the bar every protocol's global mode clears.
    double mean = 0;
    for (double v : log.value) {
      mean += v / log.events();
    }
    double sumSquares = 0;
    for (double v : log.value) {
      sumSquares += (v - mean) * (v - mean);
    }
    double constantRmse = Math.sqrt(sumSquares / log.events());
    for (Summary summary : SUMMARIES.values()) {
      assertThat(summary.modes().get("global").overall().rmse())
          .as(summary.protocol())
          .isLessThan(constantRmse);
    }
  }

  @Test
  void adaptivePaperGroupOneIsTheGlobalModel() {
    // Less data borrows more: group 1 borrows t_u = T epochs and takes no own epoch.
    for (Protocol protocol : List.of(Protocol.BATCH, Protocol.USER_SPLIT)) {
      Map<String, ModeResult> modes = SUMMARIES.get(protocol).modes();
      Metrics global = modes.get("global").groups().get(0);
      Metrics paper = modes.get("adaptive-paper").groups().get(0);
      assertThat(paper.events()).as(protocol.label()).isEqualTo(global.events()).isPositive();
      assertThat(paper.rmse()).as(protocol.label()).isCloseTo(global.rmse(), within(1e-12));
      assertThat(paper.mae()).as(protocol.label()).isCloseTo(global.mae(), within(1e-12));
      // The reverse direction gives group 1 only T / C borrowed epochs: it is not the global model.
      Metrics reverse = modes.get("adaptive-paper-reverse").groups().get(0);
      assertThat(Math.abs(reverse.rmse() - global.rmse())).as(protocol.label()).isGreaterThan(1e-9);
    }
  }

  @Test
  void sameInputsGiveTheSameResults() {
    Summary again =
        Evaluator.evaluate(log, config(Protocol.PREQUENTIAL, Target.RATING), Progress.silent());
    Summary first = SUMMARIES.get(Protocol.PREQUENTIAL);
    for (String mode : STREAM_MODES) {
      assertThat(again.modes().get(mode).overall()).isEqualTo(first.modes().get(mode).overall());
      assertThat(again.modes().get(mode).groups()).isEqualTo(first.modes().get(mode).groups());
    }
  }

  @Test
  void likeTargetReportsLogLossAndNoRatingErrors() {
    EventLog small = EventLog.of(SyntheticData.generate(5, 100, 150, 4_000));
    Summary summary =
        Evaluator.evaluate(small, config(Protocol.PREQUENTIAL, Target.LIKE), Progress.silent());
    assertThat(summary.target()).isEqualTo("like");
    assertThat(summary.model()).isEqualTo("logistic");
    assertThat(summary.modes().keySet()).containsExactlyElementsOf(STREAM_MODES);
    for (ModeResult mode : summary.modes().values()) {
      assertThat(mode.overall().rmse()).as(mode.mode()).isNull();
      assertThat(mode.overall().mae()).as(mode.mode()).isNull();
      // A coin flip scores ln 2 = 0.693; a model that learned anything does better on the whole.
      assertThat(mode.overall().logloss()).as(mode.mode()).isNotNull().isBetween(0.3, 0.9);
      assertThat(mode.overall().auc()).as(mode.mode()).isNotNull().isBetween(0.5, 1.0);
      assertThat(mode.overall().events()).isEqualTo(4_000);
    }
    assertThat(summary.modes().get("global").overall().logloss()).isLessThan(Math.log(2));
  }

  @Test
  void onlyTheRequestedModesRun() {
    EventLog small = EventLog.of(SyntheticData.generate(5, 50, 80, 1_500));
    EvaluationConfig base = config(Protocol.BATCH, Target.RATING);
    EvaluationConfig twoModes =
        new EvaluationConfig(
            Protocol.BATCH,
            Target.RATING,
            4,
            0.2,
            0.1,
            base.model(),
            EnumSet.of(Mode.GLOBAL, Mode.ADAPTIVE_PAPER));
    Summary summary = Evaluator.evaluate(small, twoModes, Progress.silent());
    assertThat(summary.modes().keySet()).containsExactly("global", "adaptive-paper");
  }

  @Test
  void rejectsInputsItCannotRun() {
    assertThatThrownBy(
            () ->
                new EvaluationConfig(
                    Protocol.PREQUENTIAL,
                    Target.RATING,
                    4,
                    0.2,
                    0.1,
                    ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true),
                    Set.of(Mode.ADAPTIVE_PAPER)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prequential");
    EventLog empty = EventLog.of(new Dataset("empty", "generated", List.of(), Map.of()));
    assertThatThrownBy(
            () ->
                Evaluator.evaluate(empty, config(Protocol.BATCH, Target.RATING), Progress.silent()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void refusesToRunARatingProtocolOnClicksOrViews() {
    // Two sessions with clicks and a view, and one rating: 3 of 4 events are not ratings.
    EventLog sessions =
        EventLog.of(
            new Dataset(
                "clicks",
                "yoochoose",
                List.of(
                    Interaction.inSession("s1", "a", EventKind.CLICK, 1),
                    Interaction.inSession("s1", "b", EventKind.CLICK, 2),
                    Interaction.inSession("s2", "a", EventKind.VIEW, 3),
                    new Interaction("u", "a", 1, 4)),
                Map.of(),
                Dataset.IMPLICIT));

    for (Protocol protocol : RATING_PROTOCOLS) {
      for (Target target : Target.values()) {
        assertThatThrownBy(
                () -> Evaluator.evaluate(sessions, config(protocol, target), Progress.silent()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "the "
                    + protocol.label()
                    + " protocol learns and scores ratings, but 3 of the 4 events of data set"
                    + " 'clicks' are not ratings (2 CLICK, 1 VIEW): a click or view has no rating"
                    + " to predict");
      }
    }
  }
}
