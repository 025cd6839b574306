package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.connectors.data.SyntheticData;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A run's tasks and how long each took. */
class ProgressTest {
  @Test
  void aTaskIsTimedUntilItEndsAndOnlyAnEndedTaskHasATime() {
    AtomicLong nanos = new AtomicLong();
    Progress progress = new Progress(System.err, false, false, nanos::get);
    progress.task("first");
    nanos.addAndGet(60_000_000);
    progress.task("second"); // ends the first
    nanos.addAndGet(5_000_000);
    progress.endTask();
    nanos.addAndGet(1_000_000_000); // no task runs: counted nowhere
    progress.endTask(); // nothing to end
    progress.task("first"); // a task run again adds up
    nanos.addAndGet(40_000_000);
    progress.endTask();

    assertThat(progress.taskSeconds("first")).isEqualTo(0.1);
    assertThat(progress.taskSeconds("second")).isEqualTo(0.005);
    assertThat(progress.elapsedSeconds()).isEqualTo(1.105);
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
