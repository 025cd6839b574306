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
import io.personalize.model.Mode;
import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * path, as the demo runs it: the events replayed into Kafka, RocksDB, the pipeline settings of
 * every entry point, metrics read back from the metrics topic. The remaining differences are the
 * job's staleness (a replica lags the master by up to one checkpoint, and its popularity counts
 * with it) and the order in which items first appear to the replica; the tolerances are the
 * measured differences with a margin (docs/architecture.md has the measurements).
 */
class EvaluatorParityITCase {
  /**
   * How much worse than the evaluator the job may be, per mode, over all users and in any group
   * with at least 5,000 events: the measured differences with a margin. Global differs only where
   * the job scored an event before its item's metadata had arrived (the two topics are read side by
   * side). The personal modes read a replica up to one checkpoint and one watermark interval behind
   * the master (a few hundred events in a fast replay), which costs more on the dense generated
   * data than on ml-100k; mtl's anchor, the user's global row stepped on that replica, drifts
   * furthest. The job is never better than the evaluator by more than {@link #NEVER_BETTER} overall
   * ({@link #NEVER_BETTER_GROUP} in a group, where staleness of the popularity counts moves a few
   * thousand predictions either way): more would mean it scored events with parameters that had
   * learned them (that leak once gave 0.900 against 0.933).
   *
   * <p>ml-100k's group 7 (10 users, 5,511 events) varies most from run to run, because how stale
   * the job's replica is, counted in events, grows with the replay's speed: with recommendations
   * on, adaptive measured +0.0013 to +0.0063 there in five runs on 2026-12-02 (the most on an
   * otherwise quiet machine, where the replay is fastest), mtl up to +0.0060 and local up to
   * +0.0041; the other groups up to +0.0037. The group bounds of the personal modes cover that.
   */
  private record Tolerance(double overall, double group) {}

  private static final double NEVER_BETTER = 0.0005;

  private static final double NEVER_BETTER_GROUP = 0.0010;

  private static final Map<Mode, Tolerance> ML100K =
      Map.of(
          Mode.GLOBAL, new Tolerance(0.0010, 0.0015),
          Mode.LOCAL, new Tolerance(0.0010, 0.0055),
          Mode.MTL, new Tolerance(0.0020, 0.0080),
          Mode.ADAPTIVE, new Tolerance(0.0025, 0.0080));

  private static final Map<Mode, Tolerance> GENERATED =
      Map.of(
          Mode.GLOBAL, new Tolerance(0.0010, 0.0015),
          Mode.LOCAL, new Tolerance(0.0050, 0.0080),
          Mode.MTL, new Tolerance(0.0110, 0.0120),
          Mode.ADAPTIVE, new Tolerance(0.0110, 0.0120));

  @Test
  void jobMatchesTheEvaluatorOnMovieLens(@TempDir Path dir) throws Exception {
    Dataset dataset = MovieLensReader.read(SharedDataSets.require("ml-100k"));
    compare(dataset, dir, ML100K);
  }

  @Test
  void jobMatchesTheEvaluatorOnGeneratedData(@TempDir Path dir) throws Exception {
    compare(SyntheticData.generate(7, 400, 600, 30_000), dir, GENERATED);
  }

  private static void compare(Dataset dataset, Path dir, Map<Mode, Tolerance> tolerances)
      throws Exception {
    Configuration settings = StreamingJobITCase.settings(1);
    Demo.Result job =
        new Demo(settings, new PrintStream(new ByteArrayOutputStream(), true), 170_000, false)
            .run(dataset, dir);
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
  }
}
