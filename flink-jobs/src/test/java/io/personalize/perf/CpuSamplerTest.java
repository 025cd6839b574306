package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** A run's CPU seconds read off samples of the process's CPU time. */
class CpuSamplerTest {
  private static final Offset<Double> CLOSE = Offset.offset(1e-9);

  @Test
  void interpolatesEachEndBetweenTheSamplesAroundIt() {
    CpuSampler cpu = new CpuSampler(false);
    cpu.record(1_000, 0);
    cpu.record(1_100, 100_000_000); // one core busy
    cpu.record(1_200, 300_000_000); // two cores busy
    cpu.record(1_300, 300_000_000); // idle

    // 1,050 -> 1,250: 50 ms at one core, 100 ms at two, 50 ms idle.
    assertThat(cpu.cpuSecondsBetween(1_050, 1_250)).isCloseTo(0.25, CLOSE);
    assertThat(cpu.cpuSecondsBetween(1_000, 1_300)).isCloseTo(0.3, CLOSE);
    assertThat(cpu.cpuSecondsBetween(1_100, 1_100)).isCloseTo(0, CLOSE);
  }

  @Test
  void outsideTheSamplesItDoesNotGuess() {
    CpuSampler cpu = new CpuSampler(false);
    assertThat(cpu.cpuSecondsBetween(0, 10)).as("no sample").isEqualTo(-1);
    cpu.record(1_000, 0);
    cpu.record(1_100, 100_000_000);
    assertThat(cpu.cpuSecondsBetween(999, 1_100)).isEqualTo(-1);
    assertThat(cpu.cpuSecondsBetween(1_000, 1_101)).isEqualTo(-1);
    cpu.record(1_200, -1); // a platform that does not tell: no sample
    assertThat(cpu.cpuSecondsBetween(1_000, 1_200)).isEqualTo(-1);
  }

  @Test
  void countsTheCpuThisProcessSpends() {
    var threads = ManagementFactory.getThreadMXBean();
    CpuSampler cpu = new CpuSampler(); // its first sample now, before the work
    long from = System.currentTimeMillis();
    long spinFrom = threads.getCurrentThreadCpuTime();
    double sink = 0;
    while (threads.getCurrentThreadCpuTime() - spinFrom < 600_000_000L) {
      for (int i = 0; i < 10_000; i++) {
        sink += Math.sqrt(i + sink);
      }
    }
    long to = System.currentTimeMillis();
    cpu.stop();
    assertThat(sink).isPositive();

    double seconds = cpu.cpuSecondsBetween(from, to);
    // 0.6 s on this thread; each end's interpolation can move up to one 100 ms sample's worth.
    assertThat(seconds).isGreaterThan(0.6 - 0.25);
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(seconds).isLessThanOrEqualTo(cores * (to - from + 250) / 1e3);
  }
}
