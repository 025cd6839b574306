package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.Topics;
import io.personalize.serving.RawProducers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A follower has caught up once it has read what the topic held when it started, whatever arrives
 * since. Seen by hand: next to a job publishing lists all the time, {@code /health} stayed 503
 * "starting" (lag 2), since the follower waited for a moment with nothing left to read.
 */
class TopicFollowerITCase {
  @Test
  void aTopicThatKeepsGrowingIsCaughtUpOnceTheBacklogIsRead() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (Topics topics = new Topics(kafka.bootstrapServers())) {
        topics.create(2, Topics.COMPACTED, "lists");
      }
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicLong sent = new AtomicLong();
      try (KafkaProducer<byte[], byte[]> producer = RawProducers.to(kafka.bootstrapServers())) {
        for (int i = 0; i < 1_000; i++) {
          producer.send(record(i));
        }
        producer.flush();
        sent.set(1_000);
        // A job publishing lists all the time: a record every millisecond or so.
        Thread publisher =
            new Thread(
                () -> {
                  while (producing.get()) {
                    producer.send(record((int) sent.incrementAndGet()));
                    if (sent.get() % 20 == 0) {
                      producer.flush();
                    }
                  }
                });
        publisher.start();
        AtomicLong read = new AtomicLong();
        try (TopicFollower follower =
            new TopicFollower(
                    kafka.bootstrapServers(), Map.of(), "lists", (k, v) -> read.incrementAndGet())
                .start()) {
          long deadline = System.currentTimeMillis() + 30_000;
          while (!follower.caughtUp() && System.currentTimeMillis() < deadline) {
            LockSupport.parkNanos(10_000_000);
          }
          assertThat(follower.caughtUp())
              .as(
                  "caught up within 30 s; lag %d, %d read of %d sent",
                  follower.lag(), read.get(), sent.get())
              .isTrue();
          assertThat(read.get()).isGreaterThanOrEqualTo(1_000);
        } finally {
          producing.set(false);
          publisher.join();
        }
      }
    }
  }

  private static ProducerRecord<byte[], byte[]> record(int n) {
    return new ProducerRecord<>(
        "lists",
        ("u" + n).getBytes(StandardCharsets.UTF_8),
        ("list " + n).getBytes(StandardCharsets.UTF_8));
  }
}
