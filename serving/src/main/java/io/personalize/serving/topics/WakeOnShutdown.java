package io.personalize.serving.topics;

import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Wakes a consumer when the JVM is asked to stop (Ctrl-C, SIGTERM), so that its command ends with
 * what it has done and says how far it got; the exit waits until it has ({@link #close}).
 */
final class WakeOnShutdown implements AutoCloseable {
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean asked;

  WakeOnShutdown(KafkaConsumer<?, ?> consumer) {
    hook =
        new Thread(
            () -> {
              asked = true;
              consumer.wakeup();
              try {
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "wake-on-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Lets the exit go on; without a stop asked for, removes the hook. */
  @Override
  public void close() {
    done.countDown();
    if (!asked) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM began to exit after all: the hook runs and finds the latch open.
      }
    }
  }
}
