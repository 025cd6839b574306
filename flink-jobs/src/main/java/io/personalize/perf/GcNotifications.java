package io.personalize.perf;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's garbage collections, each handed to a callback as its collector reports it (on the
 * JVM's notification thread), from construction to {@link #close}.
 */
final class GcNotifications implements AutoCloseable {
  private final List<NotificationEmitter> collectors = new ArrayList<>();
  private final NotificationListener listener;

  GcNotifications(Consumer<GarbageCollectionNotificationInfo> onCollection) {
    listener =
        (notification, handback) -> {
          if (notification
              .getType()
              .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            onCollection.accept(
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
          }
        };
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        collectors.add(emitter);
      }
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter collector : collectors) {
      try {
        collector.removeNotificationListener(listener);
      } catch (ListenerNotFoundException removed) {
        // Closed before.
      }
    }
    collectors.clear();
  }
}
