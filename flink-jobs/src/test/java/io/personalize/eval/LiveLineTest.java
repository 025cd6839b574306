package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A progress line on a terminal and on a file or a pipe. */
class LiveLineTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong();

  /** 25 s of updates every 100 ms, then a final figure. */
  private String run(boolean terminal) {
    LiveLine line = new LiveLine(out, terminal, nanos::get);
    for (int tick = 1; tick <= 250; tick++) {
      nanos.addAndGet(100_000_000L);
      int shown = tick;
      line.update(false, () -> "tick " + shown);
    }
    line.update(true, () -> "done");
    line.end();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onAFileOrAPipeEachUpdateIsALineOfItsOwnEveryTenSeconds() {
    assertThat(run(false)).doesNotContain("\r").isEqualTo("tick 100\ntick 200\ndone\n");
  }

  @Test
  void onATerminalTheLineIsRewrittenAtMostFourTimesASecond() {
    String shown = run(true);
    assertThat(shown).startsWith("\rtick 1   \rtick 4   ").endsWith("\rdone   \n");
    assertThat(shown.split("\r")).hasSize(1 + 84 + 1); // "", ticks 1, 4, 7, ... 250, "done"
  }

  /** The evaluator's progress, which a log showed as one line of carriage returns. */
  @Test
  void theEvaluatorsProgressInALogIsALineEveryTenSeconds() {
    Progress progress = new Progress(out, true, false, nanos::get);
    progress.task("prequential pass");
    for (int e = 1; e <= 30_000; e++) {
      nanos.addAndGet(1_000_000L); // an event a millisecond: 30 s
      progress.update(e, 30_000);
    }
    progress.finishLine();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .doesNotContain("\r")
        .hasLineCount(3)
        .contains("10,000 / 30,000 ( 33%)")
        .contains("20,000 / 30,000 ( 67%)")
        .contains("30,000 / 30,000 (100%)");
  }
}
