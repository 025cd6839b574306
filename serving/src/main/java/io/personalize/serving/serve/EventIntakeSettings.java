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
   * The settings in {@code conf}, which {@link ServeSettings#from} has checked against their rules.
   *
   * @throws IllegalArgumentException when rating-min is above rating-max
   */
  static EventIntakeSettings from(Configuration conf) {
    double rate = conf.get(EVENTS_RATE_LIMIT);
    int batch = conf.get(EVENTS_MAX_BATCH);
    int body = conf.get(EVENTS_MAX_BODY_BYTES);
    Duration ack = conf.get(EVENTS_ACK_TIMEOUT);
    double min = conf.get(EVENTS_RATING_MIN);
    double max = conf.get(EVENTS_RATING_MAX);
    check(
        min <= max,
        EVENTS_RATING_MIN.key()
            + " must be at most "
            + EVENTS_RATING_MAX.key()
            + " ("
            + max
            + "), was "
            + min);
    Duration future = conf.get(EVENTS_MAX_FUTURE);
    String topic = conf.get(TOPIC_INTERACTIONS).trim();
    return new EventIntakeSettings(
        conf.get(EVENTS_ENABLED), topic, rate, batch, body, ack, min, max, future);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
