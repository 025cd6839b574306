package io.personalize.perf;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The stop-the-world pauses of this JVM's garbage collector while open, as wall-clock windows. The
 * bench's cluster runs in this JVM, so a pause stops every task of the job: a latency sample in
 * flight across one waited for it.
 *
 * <p>Each collection counts from its start to its end as its collector reports them. For G1 and the
 * serial and parallel collectors every reported collection is a pause (G1's young and mixed
 * collections, and its full ones; the short remark and cleanup pauses of G1's concurrent cycle are
 * not reported on JDK 17). Collectors whose reports are concurrent work ("Cycles", "Concurrent" in
 * the name: ZGC, Shenandoah, G1 on newer JDKs) are left out.
 */
final class GcPauses implements AutoCloseable {
  private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
  private final List<LatencyTail.Window> pauses = new ArrayList<>();
  private final GcNotifications notifications = new GcNotifications(this::collected);

  private void collected(GarbageCollectionNotificationInfo info) {
    if (isConcurrent(info.getGcName())) {
      return;
    }
    var gc = info.getGcInfo();
    synchronized (pauses) {
      pauses.add(
          new LatencyTail.Window(
              jvmStartMillis + gc.getStartTime(), jvmStartMillis + gc.getEndTime()));
    }
  }

  /** Whether a collector's reports are concurrent work rather than pauses. */
  static boolean isConcurrent(String collector) {
    return collector.contains("Cycles") || collector.contains("Concurrent");
  }

  /** The pauses so far, oldest first. */
  List<LatencyTail.Window> windows() {
    synchronized (pauses) {
      return List.copyOf(pauses);
    }
  }

  @Override
  public void close() {
    notifications.close();
  }
}
