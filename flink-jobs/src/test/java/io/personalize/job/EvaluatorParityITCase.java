package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.demo.Demo;
import io.personalize.eval.EvaluationConfig;
import io.personalize.eval.Evaluator;
import io.personalize.eval.EventLog;
import io.personalize.eval.Metrics;
import io.personalize.eval.ModeResult;
import io.personalize.eval.Progress;
import io.personalize.eval.Protocol;
import io.personalize.eval.Summary;
import io.personalize.eval.Target;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.model.Mode;
import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink job and the evaluator run the same per-event code, so on the same events at parallelism
 * 1 their prequential numbers must agree, mode by mode and group by group. The job runs its real
 * path, as the demo runs it: the events replayed into an in-process Kafka broker, a MiniCluster
 * with RocksDB, the pipeline settings of every entry point, metrics read back from the metrics
 * topic, and the busiest user's profile and model looked up with the queryable-state client. The
 * remaining differences are the job's staleness (a replica lags the master by up to one checkpoint,
 * and its popularity counts with it) and the order in which items first appear to the replica; the
 * tolerances are the measured differences with a margin (docs/architecture.md has the
 * measurements). The replay is paced at {@link DemoSettings#PARITY_REPLAY_RATE}, so that the lag,
 * counted in events, does not grow with the machine's speed.
 */
class EvaluatorParityITCase {
  /**
   * How much worse than the evaluator the job may be, per mode, over all users and in any group
   * with at least 5,000 events: the measured differences with a margin. Global differs only where
   * the job scored an event before its item's metadata had arrived (the two topics are read side by
   * side). The personal modes read a replica up to one checkpoint and one watermark interval behind
   * the master, which costs more on the dense generated data than on ml-100k; mtl's anchor, the
   * user's global row stepped on that replica, drifts furthest. The job is never better than the
   * evaluator by more than {@link #NEVER_BETTER} overall ({@link #NEVER_BETTER_GROUP} in a group,
   * where staleness of the popularity counts moves a few thousand predictions either way): more
   * would mean it scored events with parameters that had learned them (that leak once gave 0.900
   * against 0.933).
   *
   * <p>ml-100k runs with recommendations off (since 2026-12-03), where the replay is fastest and
   * the differences move most with the machine's load: on a loaded machine overall at most +0.0005,
   * groups -0.0007 to +0.0014; on a quiet one (a clean-clone run) group 7 (10 users, 5,511 events)
   * up to +0.0033 (local) and +0.0040 (adaptive). The bounds are those measured with
   * recommendations on (up to +0.0063 in group 7), which cover both. The generated data runs with
   * them on: off, a quiet run measured local +0.0058 overall and adaptive +0.0103 in group 7.
   *
   * <p>Since half the users carry every adaptive candidate ({@code model.candidate-share} 0.5),
   * each of the job's two per-user subtasks chooses group 7's setting from about 2-3 sampled users
   * (the evaluator from about 5): on a quiet machine adaptive's group 7 measured +0.0081 (0.8795
   * against 0.8714) and overall +0.0010. The adaptive group bound is 0.0110 since.
   *
   * <p>Adaptive's group 2 (7,799 events) measured -0.0000, -0.0006 and -0.0010046 in three runs on
   * 2026-12-05 (the last a clean-clone run, just past the -0.0010 bound then): the two subtasks'
   * selectors choose from their own halves of the evidence, which moves a group either way. The
   * bound for "never better" in a group is 0.0015 since; a leak moves it by tens of thousandths.
   */
  private record Tolerance(double overall, double group) {}

  private static final double NEVER_BETTER = 0.0005;

  private static final double NEVER_BETTER_GROUP = 0.0015;

  private static final Map<Mode, Tolerance> ML100K =
      Map.of(
          Mode.GLOBAL, new Tolerance(0.0010, 0.0015),
          Mode.LOCAL, new Tolerance(0.0010, 0.0055),
          Mode.MTL, new Tolerance(0.0020, 0.0080),
          Mode.ADAPTIVE, new Tolerance(0.0025, 0.0110));

  private static final Map<Mode, Tolerance> GENERATED =
      Map.of(
          Mode.GLOBAL, new Tolerance(0.0010, 0.0015),
          Mode.LOCAL, new Tolerance(0.0050, 0.0080),
          Mode.MTL, new Tolerance(0.0110, 0.0120),
          Mode.ADAPTIVE, new Tolerance(0.0110, 0.0120));

  @Test
  void jobMatchesTheEvaluatorOnMovieLens(@TempDir Path dir) throws Exception {
    Dataset dataset = MovieLensReader.read(SharedDataSets.require("ml-100k"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Demo.Result job = compare(dataset, dir, console, ML100K, false, true);

    assertTheBusiestUserIsLookedUp(job, dataset, dir, console.toString());
  }

  @Test
  void jobMatchesTheEvaluatorOnGeneratedData(@TempDir Path dir) throws Exception {
    // With recommendations on, so that one run covers both halves. Before the replay was paced
    // (DemoSettings.PARITY_REPLAY_RATE), they were on to slow the replay down: without them, a
    // clean-clone run of 2026-12-03 measured local +0.0058 overall and adaptive +0.0103 in group 7.
    compare(
        SyntheticData.generate(7, 400, 600, 30_000),
        dir,
        new ByteArrayOutputStream(),
        GENERATED,
        true,
        false);
  }

  /**
   * What the demo prints and keeps of the busiest user, through queryable state: the profile with
   * all of the user's events and the personal model.
   */
  private static void assertTheBusiestUserIsLookedUp(
      Demo.Result job, Dataset dataset, Path dir, String console) throws Exception {
    assertThat(job.profile()).isPresent();
    assertThat(job.profile().get().events)
        .isEqualTo(
            dataset.interactions().stream().filter(i -> i.userId().equals(job.user())).count())
        .isEqualTo(737);
    assertThat(job.profile().get().checkpointVersion).isPositive();
    assertThat(job.model()).isPresent();
    assertThat(job.model().get().factors).hasSize(32);
    assertThat(Files.size(dir.resolve("summary.json"))).isPositive();
    assertThat(console).contains("queryable state of the most active user");
  }

  /**
   * Runs the demo and the evaluator on {@code dataset} and compares them. Recommendations change
   * none of the rating half's numbers, only how fast the replay goes: off, ml-100k takes 25-40 s
   * instead of 119 s (ListsParityITCase checks the lists against the evaluator). With {@code
   * neighbours}, adaptive is corrected by its item neighbourhoods in both (ml-100k since
   * 2026-12-06: the job's adaptive +0.0008 overall and group 1 +0.0011 at parallelism 1 in the
   * demo, the same as without).
   */
  private static Demo.Result compare(
      Dataset dataset,
      Path dir,
      ByteArrayOutputStream console,
      Map<Mode, Tolerance> tolerances,
      boolean recommend,
      boolean neighbours)
      throws Exception {
    Configuration settings = DemoSettings.onFreePorts(1);
    settings.set(RecommendationOptions.ENABLED, recommend);
    settings.set(PersonalizeOptions.MODEL_NEIGHBOURS, neighbours);
    // The evaluator scores the shadow modes for every user: so does the job here.
    settings.set(PersonalizeOptions.SHADOW_SHARE, 1.0);
    Demo.Result job =
        new Demo(settings, new PrintStream(console, true), 170_000, false)
            .replayRate(DemoSettings.PARITY_REPLAY_RATE)
            .run(dataset, dir);
    DemoSettings.printThroughput(console);
    Summary evaluator =
        Evaluator.evaluate(
            EventLog.of(dataset),
            new EvaluationConfig(
                Protocol.PREQUENTIAL,
                Target.RATING,
                4,
                0.2,
                0.1,
                JobConfig.from(settings).model(),
                EnumSet.copyOf(Mode.STREAM)),
            Progress.silent());

    SoftAssertions soft = new SoftAssertions();
    for (Mode mode : Mode.STREAM) {
      Tolerance tolerance = tolerances.get(mode);
      ModeResult j = job.summary().modes().get(mode.label());
      ModeResult e = evaluator.modes().get(mode.label());
      assertThat(j.overall().events()).as(mode.label()).isEqualTo(dataset.interactions().size());
      System.out.printf(
          Locale.ROOT,
          "%s %-9s all: job %.4f evaluator %.4f (%+.4f)%n",
          dataset.name(),
          mode.label(),
          j.overall().rmse(),
          e.overall().rmse(),
          j.overall().rmse() - e.overall().rmse());
      soft.assertThat(j.overall().rmse() - e.overall().rmse())
          .as("%s overall RMSE, job minus evaluator", mode.label())
          .isBetween(-NEVER_BETTER, tolerance.overall());
      for (int g = 0; g < e.groups().size(); g++) {
        Metrics jg = j.groups().get(g);
        Metrics eg = e.groups().get(g);
        assertThat(jg.users()).as("%s group %d users", mode.label(), g + 1).isEqualTo(eg.users());
        assertThat(jg.events())
            .as("%s group %d events", mode.label(), g + 1)
            .isEqualTo(eg.events());
        if (eg.events() >= 5_000) {
          System.out.printf(
              Locale.ROOT,
              "%s %-9s g%d: job %.4f evaluator %.4f (%+.4f)%n",
              dataset.name(),
              mode.label(),
              g + 1,
              jg.rmse(),
              eg.rmse(),
              jg.rmse() - eg.rmse());
          soft.assertThat(jg.rmse() - eg.rmse())
              .as("%s group %d RMSE, job minus evaluator", mode.label(), g + 1)
              .isBetween(-NEVER_BETTER_GROUP, tolerance.group());
        }
      }
    }
    soft.assertAll();
    return job;
  }
}
