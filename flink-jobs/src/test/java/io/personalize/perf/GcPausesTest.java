package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the bench reads of this JVM's garbage-collection pauses. */
class GcPausesTest {
  @Test
  void aCollectionWhileOpenIsAPauseWithinTheWallClockTimeAroundIt() {
    long before = System.currentTimeMillis();
    try (GcPauses pauses = new GcPauses()) {
      System.gc();
      long after = System.currentTimeMillis();
      // The notification comes on the JVM's own thread, after the collection.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (pauses.windows().isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(pauses.windows()).isNotEmpty();
      // Wall-clock times: the JVM's start plus the collection's offsets, whole milliseconds each
      // (and a collection just before opening may still be reported after it).
      for (LatencyTail.Window pause : pauses.windows()) {
        assertThat(pause.fromMillis()).isBetween(before - 5_000, after + 5);
        assertThat(pause.toMillis()).isBetween(pause.fromMillis(), after + 5);
      }
    }
  }

  @Test
  void concurrentWorkIsNotAPause() {
    assertThat(GcPauses.isConcurrent("G1 Young Generation")).isFalse();
    assertThat(GcPauses.isConcurrent("G1 Old Generation")).isFalse();
    assertThat(GcPauses.isConcurrent("G1 Concurrent GC")).isTrue();
    assertThat(GcPauses.isConcurrent("ZGC Cycles")).isTrue();
    assertThat(GcPauses.isConcurrent("ZGC Pauses")).isFalse();
  }
}
