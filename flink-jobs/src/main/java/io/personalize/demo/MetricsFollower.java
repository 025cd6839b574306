package io.personalize.demo;

import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.model.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the metrics topic on a background thread and keeps the latest cumulative snapshot per mode
 * and group: what a dashboard would show. Snapshots may come twice (the sink is at-least-once);
 * keeping the latest makes that harmless.
 */
public final class MetricsFollower implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, MetricSnapshot> latest = new ConcurrentHashMap<>();
  private final RecordDecoder<MetricSnapshot> codec = RecordDecoder.of(MetricSnapshot.class);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long received;

  public MetricsFollower(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "personalize-demo-metrics");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of(topic));
    thread = new Thread(this::poll, "metrics-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        MetricSnapshot snapshot = codec.decode(record.value());
        if (snapshot.getCumulative()) {
          latest.put(snapshot.getMode() + "/" + snapshot.getGroup(), snapshot);
        }
        synchronized (this) {
          received++;
          notifyAll();
        }
      }
    }
    consumer.close();
  }

  /** The latest cumulative snapshot of a mode and group (0 = all users), or null. */
  public MetricSnapshot latest(String mode, int group) {
    return latest.get(mode + "/" + group);
  }

  /**
   * The fewest events any of {@code modes} has scored so far: every mode is scored by a different
   * operator and their snapshots arrive one by one, so one mode alone would read the others early.
   * Pass the modes the job scores ({@code JobConfig.scoredModes}): a mode it does not score stays
   * at 0.
   */
  public long scoredByEvery(java.util.Collection<Mode> modes) {
    long fewest = Long.MAX_VALUE;
    for (Mode mode : modes) {
      MetricSnapshot snapshot = latest(mode.label(), 0);
      fewest = Math.min(fewest, snapshot == null ? 0 : snapshot.getEvents());
    }
    return fewest;
  }

  /** Waits until a snapshot arrives or {@code timeout} passes, whichever is first. */
  public synchronized void awaitSnapshot(Duration timeout) throws InterruptedException {
    long seen = received;
    long end = System.nanoTime() + timeout.toNanos();
    while (received == seen) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }
}
