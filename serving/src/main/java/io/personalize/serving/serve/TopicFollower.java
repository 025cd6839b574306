package io.personalize.serving.serve;

import io.personalize.connectors.kafka.RawReaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one topic from its beginning, and then as it grows, on a thread of its own, handing every
 * record to a handler: no consumer group, no committed offsets, so every start reads the whole
 * (compacted) topic again. Waits for a topic that does not exist yet. A record the handler rejects
 * is counted and logged with its place, and skipped. Knows its lag: records in the topic it has not
 * read yet.
 */
final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long LAG_EVERY_MILLIS = 1_000;
  private static final long PARTITIONS_EVERY_MILLIS = 10_000;

  /** Handles one record; throws IllegalArgumentException for a record it cannot read. */
  interface Handler {
    void accept(byte[] key, byte[] value);
  }

  private final String topic;
  private final Handler handler;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final AtomicLong lag = new AtomicLong(-1);
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile boolean caughtUp;

  /**
   * Each partition's end when the follower began to read it: caught up once it has read that far.
   * Not the end at a later check: a topic the job writes to all the time is rarely at its end when
   * looked at, and the server would stay "starting".
   */
  private final Map<TopicPartition, Long> endsAtStart = new HashMap<>();

  private volatile boolean closed;
  private boolean saidMissing;

  /**
   * @param clientProperties extra consumer settings (SASL, SSL); the follower's own settings below
   *     take precedence
   */
  TopicFollower(
      String bootstrapServers,
      Map<String, String> clientProperties,
      String topic,
      Handler handler) {
    this.topic = topic;
    this.handler = handler;
    Properties props =
        RawReaders.config(bootstrapServers, clientProperties, "personalize-serve-" + topic);
    // A new list should be served within milliseconds of reaching the broker.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    this.consumer = new KafkaConsumer<>(props);
    this.thread = new Thread(this::run, "follow-" + topic);
    this.thread.setDaemon(true);
  }

  TopicFollower start() {
    thread.start();
    return this;
  }

  String topic() {
    return topic;
  }

  /** Records in the topic not read yet; -1 before the topic was found. */
  long lag() {
    return lag.get();
  }

  /** Records read (and handed to the handler) since the start. */
  long records() {
    return records.get();
  }

  /** Records the handler could not read. */
  long rejected() {
    return rejected.get();
  }

  /** True once everything that was in the topic when the follower began has been read. */
  boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    List<TopicPartition> partitions = null;
    long lagAt = 0;
    long partitionsAt = 0;
    boolean failing = false;
    try {
      while (!closed) {
        try {
          if (partitions == null) {
            partitions = findPartitions();
            if (partitions == null) {
              sleep(1_000);
              continue;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            endsAtStart.putAll(consumer.endOffsets(partitions, Duration.ofSeconds(5)));
            partitionsAt = System.currentTimeMillis();
          }
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            handle(record);
          }
          long now = System.currentTimeMillis();
          if (now - lagAt >= LAG_EVERY_MILLIS) {
            lagAt = now;
            updateLag(partitions);
          }
          if (now - partitionsAt >= PARTITIONS_EVERY_MILLIS) {
            partitionsAt = now;
            partitions = addNewPartitions(partitions);
          }
          if (failing) {
            LOG.info("reading topic {} again", topic);
            failing = false;
          }
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // The broker is away or slow: keep what was read, say so once, and try again.
          if (!failing) {
            LOG.warn(
                "cannot read topic {} ({}); answers use what was read; retrying",
                topic,
                e.toString());
            failing = true;
          }
          sleep(1_000);
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        LOG.error("reading topic {} stopped unexpectedly", topic, e);
      }
    } catch (RuntimeException e) {
      LOG.error("reading topic {} failed; answers keep what was read so far", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    records.incrementAndGet();
    try {
      handler.accept(record.key(), record.value());
    } catch (RuntimeException e) {
      long n = rejected.incrementAndGet();
      // A bad record is logged with its place; a flood of them once per thousand.
      if (n <= 10 || n % 1000 == 0) {
        LOG.warn(
            "skipped record {} of topic {} partition {} offset {}: {}",
            n,
            topic,
            record.partition(),
            record.offset(),
            e.getMessage());
      }
    }
  }

  /** The topic's partitions; null (said once) while it does not exist. */
  private List<TopicPartition> findPartitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
    if (infos == null || infos.isEmpty()) {
      if (!saidMissing) {
        LOG.info("topic {} does not exist yet; waiting for it", topic);
        saidMissing = true;
      }
      return null;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    return partitions;
  }

  private List<TopicPartition> addNewPartitions(List<TopicPartition> partitions) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
    if (infos == null || infos.size() <= partitions.size()) {
      return partitions;
    }
    List<TopicPartition> all = new ArrayList<>();
    infos.forEach(p -> all.add(new TopicPartition(topic, p.partition())));
    List<TopicPartition> added = new ArrayList<>(all);
    added.removeAll(partitions);
    consumer.assign(all);
    consumer.seekToBeginning(added);
    endsAtStart.putAll(consumer.endOffsets(added, Duration.ofSeconds(5)));
    LOG.info("topic {} grew to {} partitions", topic, all.size());
    return all;
  }

  private void updateLag(List<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
    long behind = 0;
    boolean readWhatWasThere = true;
    for (TopicPartition p : partitions) {
      long position = consumer.position(p, Duration.ofSeconds(5));
      behind += Math.max(0, ends.getOrDefault(p, position) - position);
      readWhatWasThere &= position >= endsAtStart.getOrDefault(p, 0L);
    }
    lag.set(behind);
    if (readWhatWasThere && !caughtUp) {
      caughtUp = true;
      LOG.info("read topic {} to its end: {} records", topic, records.get());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
