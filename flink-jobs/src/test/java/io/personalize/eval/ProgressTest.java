package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.connectors.data.SyntheticData;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** A run's tasks and how long each took. */
class ProgressTest {
  @Test
  void aTaskIsTimedUntilItEndsAndOnlyAnEndedTaskHasATime() throws Exception {
    Progress progress = Progress.silent();
    long before = System.nanoTime();
    progress.task("first");
    Thread.sleep(60); // the task's own time, measured on purpose
    progress.task("second"); // ends the first
    progress.endTask();
    long ended = System.nanoTime();
    Thread.sleep(60); // no task runs: counted nowhere
    progress.endTask(); // nothing to end

    double first = progress.taskSeconds("first");
    double second = progress.taskSeconds("second");
    assertThat(first).isGreaterThanOrEqualTo(0.06);
    assertThat(first + second)
        .as("both ended before the untimed pause")
        .isLessThanOrEqualTo((ended - before) / 1e9);
    assertThatThrownBy(() -> progress.taskSeconds("third"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no task 'third' ended");
  }

  /** The benchmark's compute loop times the pass alone, not the metrics computed after it. */
  @Test
  void thePrequentialPassIsTimedApartFromTheRestOfTheRun() {
    EventLog log = EventLog.of(SyntheticData.generate(3, 200, 300, 20_000));
    Progress progress = Progress.silent();
    long start = System.nanoTime();
    Evaluator.evaluate(
        log,
        new EvaluationConfig(
            Protocol.PREQUENTIAL,
            Target.RATING,
            4,
            0.2,
            0.1,
            ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true),
            EnumSet.copyOf(Mode.STREAM)),
        progress);
    double whole = (System.nanoTime() - start) / 1e9;

    assertThat(progress.taskSeconds(Evaluator.PREQUENTIAL_PASS)).isPositive().isLessThan(whole);
  }
}
