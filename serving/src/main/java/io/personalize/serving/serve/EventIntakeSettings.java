package io.personalize.serving.serve;

import static io.personalize.serving.serve.ServeOptions.EVENTS_ACK_TIMEOUT;
import static io.personalize.serving.serve.ServeOptions.EVENTS_ENABLED;
import static io.personalize.serving.serve.ServeOptions.EVENTS_MAX_BATCH;
import static io.personalize.serving.serve.ServeOptions.EVENTS_MAX_BODY_BYTES;
import static io.personalize.serving.serve.ServeOptions.EVENTS_MAX_FUTURE;
import static io.personalize.serving.serve.ServeOptions.EVENTS_RATE_LIMIT;
import static io.personalize.serving.serve.ServeOptions.EVENTS_RATING_MAX;
import static io.personalize.serving.serve.ServeOptions.EVENTS_RATING_MIN;
import static io.personalize.serving.serve.ServeOptions.TOPIC_INTERACTIONS;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The settings of {@code POST /events}, read from a configuration and checked once. */
public record EventIntakeSettings(
    boolean enabled,
    String topic,
    double ratePerClient,
    int maxBatch,
    int maxBodyBytes,
    Duration ackTimeout,
    double ratingMin,
    double ratingMax,
    Duration maxFuture) {

  /**
   * @throws IllegalArgumentException naming the key and the rule of the first invalid value
   */
  public static EventIntakeSettings from(Configuration conf) {
    double rate = conf.get(EVENTS_RATE_LIMIT);
    check(rate >= 0 && Double.isFinite(rate), EVENTS_RATE_LIMIT.key() + " must be >= 0: " + rate);
    int batch = conf.get(EVENTS_MAX_BATCH);
    check(batch >= 1 && batch <= 100_000, EVENTS_MAX_BATCH.key() + " must be 1..100000: " + batch);
    int body = conf.get(EVENTS_MAX_BODY_BYTES);
    check(body >= 1_024, EVENTS_MAX_BODY_BYTES.key() + " must be >= 1024: " + body);
    Duration ack = conf.get(EVENTS_ACK_TIMEOUT);
    check(ack.toMillis() >= 1, EVENTS_ACK_TIMEOUT.key() + " must be >= 1 ms");
    double min = conf.get(EVENTS_RATING_MIN);
    double max = conf.get(EVENTS_RATING_MAX);
    check(
        Double.isFinite(min) && Double.isFinite(max) && min <= max,
        EVENTS_RATING_MIN.key()
            + " and "
            + EVENTS_RATING_MAX.key()
            + " must be finite, min <= max");
    Duration future = conf.get(EVENTS_MAX_FUTURE);
    check(!future.isNegative(), EVENTS_MAX_FUTURE.key() + " must be >= 0");
    String topic = conf.get(TOPIC_INTERACTIONS).trim();
    check(!topic.isEmpty(), TOPIC_INTERACTIONS.key() + " must not be blank");
    return new EventIntakeSettings(
        conf.get(EVENTS_ENABLED), topic, rate, batch, body, ack, min, max, future);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
