package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@link PipelineSettings} puts the timers when the configuration does not say. Resuming real
 * checkpoints of either kind: RunRestartITCase.
 */
class TimerPlacementTest {
  @Test
  void aNewJobKeepsItsTimersOnTheHeap() {
    assertThat(
            PipelineSettings.apply(new Configuration(), false).getString(TimerPlacement.KEY, null))
        .isEqualTo(TimerPlacement.HEAP);
  }

  @Test
  void theUsersChoiceStands() {
    Configuration user = new Configuration();
    user.setString(TimerPlacement.KEY, TimerPlacement.ROCKSDB);
    assertThat(PipelineSettings.apply(user, true).getString(TimerPlacement.KEY, null))
        .isEqualTo(TimerPlacement.ROCKSDB);
  }

  @Test
  void aCheckpointThatCannotBeReadKeepsTheTimersInRocksDbWhichRestoresEitherKind(
      @TempDir Path dir) {
    Configuration user = new Configuration();
    user.set(StateRecoveryOptions.SAVEPOINT_PATH, dir.resolve("chk-1").toUri().toString());
    assertThat(PipelineSettings.apply(user, true).getString(TimerPlacement.KEY, null))
        .isEqualTo(TimerPlacement.ROCKSDB);
  }

  @Test
  void heapTimersChosenForACheckpointThatCannotBeReadStayOnTheHeap(@TempDir Path dir) {
    Configuration user = new Configuration();
    user.set(StateRecoveryOptions.SAVEPOINT_PATH, dir.resolve("chk-1").toUri().toString());
    user.setString(TimerPlacement.KEY, "heap");
    assertThat(PipelineSettings.apply(user, true).getString(TimerPlacement.KEY, null))
        .isEqualTo("heap");
  }
}
