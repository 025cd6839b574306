package io.personalize.serving.serve;

import io.personalize.avro.RecommendationList;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every user's latest published list, and the global fallback, as read from the recommendations
 * topic: a record replaces the user's list, a tombstone (null value) removes it. Written by one
 * follower thread, read by any number of request threads.
 */
final class ListStore {
  private final ConcurrentHashMap<String, ServedList> lists = new ConcurrentHashMap<>();
  private final AtomicReference<ServedList> fallback = new AtomicReference<>();
  private final AtomicLong modelVersion = new AtomicLong();
  private final AtomicLong graphVersion = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong lastReceivedMillis = new AtomicLong();
  private final RateMeter rate = new RateMeter();

  /**
   * Takes one record of the topic: key = user id (UTF-8), value = Avro or JSON ({@link
   * RecordValues}).
   */
  void accept(byte[] key, byte[] value) {
    long now = System.currentTimeMillis();
    if (value == null) {
      if (key != null) {
        lists.remove(new String(key, StandardCharsets.UTF_8));
      }
      return;
    }
    RecommendationList record = RecordValues.decode(RecommendationList.class, value);
    ServedList list = ServedList.of(record, now);
    if (list.fallback()) {
      fallback.set(list);
    } else {
      lists.put(list.userId(), list);
    }
    modelVersion.accumulateAndGet(list.modelVersion(), Math::max);
    graphVersion.accumulateAndGet(list.graphVersion(), Math::max);
    received.incrementAndGet();
    lastReceivedMillis.set(now);
    rate.mark(now);
  }

  /** The user's list; null when none was published (or it was removed). */
  ServedList list(String userId) {
    return lists.get(userId);
  }

  /** The global fallback; null before the job published one. */
  ServedList fallback() {
    return fallback.get();
  }

  /** Users with a list. */
  int size() {
    return lists.size();
  }

  /** Lists read from the topic since the start (replaced ones included). */
  long received() {
    return received.get();
  }

  /** Lists read per second lately. */
  double perSecond() {
    return rate.perSecond(System.currentTimeMillis());
  }

  long lastReceivedMillis() {
    return lastReceivedMillis.get();
  }

  /** The newest ranking-model version among the lists read. */
  long modelVersion() {
    return modelVersion.get();
  }

  /** The newest item-graph version among the lists read. */
  long graphVersion() {
    return graphVersion.get();
  }
}
