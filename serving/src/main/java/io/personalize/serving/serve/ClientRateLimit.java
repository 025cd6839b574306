package io.personalize.serving.serve;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client: {@code rate} events a second on average, bursts up to {@code burst}.
 * Clients whose bucket is full again (idle for a while) are forgotten when there are many, so the
 * map holds the clients of the last few seconds, not every client ever seen.
 */
final class ClientRateLimit {
  private static final int FORGET_ABOVE = 10_000;

  private final double rate;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param rate events a second per client; 0 for no limit
   * @param burst the most events a client may send at once
   */
  ClientRateLimit(double rate, double burst) {
    this.rate = rate;
    this.burst = burst;
  }

  /**
   * Takes {@code events} from the client's bucket: 0 when it had them, else the seconds to wait
   * before they would be there (nothing is taken then).
   */
  long take(String client, int events, long nowNanos) {
    if (rate == 0) {
      return 0;
    }
    if (buckets.size() > FORGET_ABOVE) {
      buckets.values().removeIf(b -> b.full(nowNanos));
    }
    return buckets.computeIfAbsent(client, c -> new Bucket(nowNanos)).take(events, nowNanos);
  }

  private final class Bucket {
    private double tokens = burst;
    private long atNanos;

    Bucket(long nowNanos) {
      atNanos = nowNanos;
    }

    synchronized long take(int events, long nowNanos) {
      refill(nowNanos);
      if (tokens >= events) {
        tokens -= events;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((events - tokens) / rate));
    }

    synchronized boolean full(long nowNanos) {
      refill(nowNanos);
      return tokens >= burst;
    }

    private void refill(long nowNanos) {
      tokens = Math.min(burst, tokens + (nowNanos - atNanos) / 1e9 * rate);
      atNanos = nowNanos;
    }
  }
}
