package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the bench's sampler reads of this process. */
class HeapSamplerTest {
  @Test
  void residentMemoryIsAtLeastTheHeapInUseAndAStopReportsItsPeak() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
    byte[][] held = new byte[64][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new byte[1 << 20];
      held[i][i] = 1; // touched, so resident
    }
    long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    long resident = HeapSampler.residentBytes();
    assertThat(resident).isGreaterThanOrEqualTo(64L << 20).isGreaterThan(heapUsed / 2);
    Measured.Heap heap;
    try (HeapSampler sampler = new HeapSampler()) {
      heap = sampler.stop();
    }
    assertThat(heap.residentPeakBytes()).isGreaterThanOrEqualTo(64L << 20);
    assertThat(held[3][3]).isEqualTo((byte) 1);
  }

  /**
   * An object with a finalizer, as Flink's {@code SystemProcessingTimeService} is: everything it
   * reaches outlives the first collection after it is dropped (the collection only queues it for
   * its finalizer), as a cancelled job's whole task did in the bench's live-heap figures.
   */
  private static final class Finalizable {
    private static int finalized;
    private final byte[] held = new byte[64 << 20];

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    protected void finalize() {
      finalized++; // not empty: the JVM registers no finalizer for an empty one
    }
  }

  @Test
  void theLiveHeapLeavesOutWhatOnlyAFinalizerStillReaches() {
    long before = HeapSampler.liveBytes();
    Finalizable dropped = new Finalizable();
    assertThat(dropped.held).hasSize(64 << 20);
    dropped = null;
    assertThat(HeapSampler.liveBytes()).isLessThan(before + (32L << 20));
  }
}
