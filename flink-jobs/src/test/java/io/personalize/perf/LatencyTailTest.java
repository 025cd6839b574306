package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTailTest {
  @Test
  void countsTheSlowSamplesInFlightDuringACheckpointOrAPauseAndRanksTheTasksByTheTimeTheyHeldIt() {
    // The run: samples arrive from 0 to 1,000 ms and are all seen by 1,100 ms.
    List<LatencyTail.Seen> seen =
        List.of(
            new LatencyTail.Seen(0, 10), // fast
            new LatencyTail.Seen(100, 150), // slow, 100-250: overlaps the first checkpoint
            new LatencyTail.Seen(400, 120), // slow, 400-520: between the checkpoints
            new LatencyTail.Seen(590, 200), // slow, 590-790: overlaps the second from its start
            new LatencyTail.Seen(930, 150), // slow, 930-1,080: after the last pause, no checkpoint
            new LatencyTail.Seen(1000, 100)); // exactly 100 ms: not slow
    List<LatencyTail.Checkpoint> checkpoints =
        List.of(
            new LatencyTail.Checkpoint(
                new LatencyTail.Window(200, 300),
                List.of(
                    new LatencyTail.TaskStall("global model", 1, 2, 30),
                    new LatencyTail.TaskStall("personal models", 5, 10, 20),
                    new LatencyTail.TaskStall("source", 0, 0, 1))),
            new LatencyTail.Checkpoint(
                new LatencyTail.Window(600, 700),
                List.of(
                    new LatencyTail.TaskStall("global model", 0, 1, 10),
                    new LatencyTail.TaskStall("personal models", 2, 40, 5),
                    new LatencyTail.TaskStall("source", 0, 0, 0))),
            // After the run: neither counted nor its stalls, however long.
            new LatencyTail.Checkpoint(
                new LatencyTail.Window(5_000, 5_100),
                List.of(new LatencyTail.TaskStall("source", 900, 900, 900))));

    List<LatencyTail.Window> pauses =
        List.of(
            new LatencyTail.Window(-50, -10), // before the run: not counted
            new LatencyTail.Window(480, 530), // over the second slow sample's end
            new LatencyTail.Window(900, 920)); // over no slow sample

    LatencyTail tail = LatencyTail.of(seen, checkpoints, pauses, 100);

    assertThat(tail.samples()).isEqualTo(6);
    assertThat(tail.slow()).isEqualTo(4);
    assertThat(tail.slowDuringCheckpoints()).isEqualTo(2);
    assertThat(tail.checkpoints()).isEqualTo(2);
    // 100 + 100 ms of checkpoints in a run from 0 to 1,100 ms.
    assertThat(tail.checkpointShare()).isCloseTo(200.0 / 1_100, within(1e-12));
    // The sample of 400-520 ms, the one no checkpoint explains, was in flight across the pause.
    assertThat(tail.slowDuringCollections()).isEqualTo(1);
    assertThat(tail.collections()).isEqualTo(2);
    assertThat(tail.longestCollectionMillis()).isEqualTo(50);
    assertThat(tail.slowDuringNeither()).isEqualTo(1);
    // Each task's worst over the two checkpoints in the run, item by item; held: alignment +
    // synchronous part: 60, 32, 1.
    assertThat(tail.tasks())
        .containsExactly(
            new LatencyTail.TaskStall("personal models", 5, 40, 20),
            new LatencyTail.TaskStall("global model", 1, 2, 30),
            new LatencyTail.TaskStall("source", 0, 0, 1));
  }

  @Test
  void noSamplesNoCheckpoints() {
    LatencyTail tail =
        LatencyTail.of(
            List.of(),
            List.of(
                new LatencyTail.Checkpoint(
                    new LatencyTail.Window(0, 10),
                    List.of(new LatencyTail.TaskStall("source", 1, 2, 3)))),
            List.of(new LatencyTail.Window(0, 10)),
            100);
    assertThat(tail.slow()).isZero();
    assertThat(tail.checkpoints()).isZero();
    assertThat(tail.checkpointShare()).isZero();
    assertThat(tail.collections()).isZero();
    assertThat(tail.longestCollectionMillis()).isZero();
    assertThat(tail.tasks()).as("no checkpoint ran while samples were in flight").isEmpty();
  }
}
