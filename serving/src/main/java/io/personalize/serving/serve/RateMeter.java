package io.personalize.serving.serve;

import java.util.concurrent.atomic.AtomicLongArray;

/** Counts per second over the last {@link #WINDOW_SECONDS} full seconds, lock-free. */
final class RateMeter {
  static final int WINDOW_SECONDS = 10;
  private static final int SLOTS = WINDOW_SECONDS + 2;

  private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
  private final AtomicLongArray seconds = new AtomicLongArray(SLOTS);

  void mark(long nowMillis) {
    long second = nowMillis / 1000;
    int slot = (int) (second % SLOTS);
    if (seconds.get(slot) != second) {
      seconds.set(slot, second);
      counts.set(slot, 0);
    }
    counts.incrementAndGet(slot);
  }

  /** The mean count per second over the last full seconds. */
  double perSecond(long nowMillis) {
    long current = nowMillis / 1000;
    long sum = 0;
    for (int s = 1; s <= WINDOW_SECONDS; s++) {
      long second = current - s;
      int slot = (int) (second % SLOTS);
      if (seconds.get(slot) == second) {
        sum += counts.get(slot);
      }
    }
    return sum / (double) WINDOW_SECONDS;
  }
}
