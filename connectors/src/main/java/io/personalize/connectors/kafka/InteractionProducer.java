package io.personalize.connectors.kafka;

import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ItemInfo;
import io.personalize.connectors.format.OutputFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays a data set into Kafka with plain kafka-clients (no Flink): interactions as {@link
 * InteractionEvent}, item metadata as {@link ItemMetadata}, both in Avro single-object encoding or,
 * when asked, both as JSON objects (docs/formats.md): the engine reads either.
 *
 * <p>Interactions go out in event-time order (a stable sort, so ties keep their file order), keyed
 * by the user id (in click and view data sets, the session's id): all of a user's events land in
 * one partition, in order. The producer is idempotent with {@code acks=all}, so retries neither
 * duplicate nor reorder them. A failed send fails the replay (no silent loss): {@link
 * #sendInteractions} and {@link #sendItems} throw.
 *
 * <p>Not thread-safe: one replay at a time.
 */
public final class InteractionProducer implements AutoCloseable {
  /** Called with the number of events handed to Kafka so far and the total to send. */
  @FunctionalInterface
  public interface ProgressListener {
    void progress(long sent, long total);

    static ProgressListener none() {
      return (sent, total) -> {};
    }
  }

  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final AvroCodec<ItemMetadata> ITEMS = AvroCodec.of(ItemMetadata.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String bootstrapServers;
  private final Duration timeout;
  private final OutputFormat format;
  private volatile boolean failed;
  private volatile boolean stopRequested;

  /** A producer with a 30 s timeout (see {@link #InteractionProducer(String, Duration)}). */
  public InteractionProducer(String bootstrapServers) {
    this(bootstrapServers, Duration.ofSeconds(30));
  }

  /**
   * @param bootstrapServers the {@code host:port} list of the cluster
   * @param timeout how long a send may wait for the cluster (metadata of a topic, room in the
   *     buffer) and for the acknowledgement of a record before the replay fails
   */
  public InteractionProducer(String bootstrapServers, Duration timeout) {
    this(bootstrapServers, Map.of(), timeout);
  }

  /**
   * A producer with a 30 s timeout and extra client settings (e.g. {@code security.protocol} and
   * SASL or SSL settings).
   */
  public InteractionProducer(String bootstrapServers, Map<String, String> clientProperties) {
    this(bootstrapServers, clientProperties, Duration.ofSeconds(30));
  }

  /**
   * A producer reached with extra client settings (see {@link #InteractionProducer(String, Map)}),
   * giving up after {@code timeout} (see {@link #InteractionProducer(String, Duration)}).
   */
  public InteractionProducer(
      String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
    this(bootstrapServers, clientProperties, timeout, OutputFormat.AVRO);
  }

  /**
   * A producer as {@link #InteractionProducer(String, Map, Duration)} writing every record in
   * {@code format}.
   */
  public InteractionProducer(
      String bootstrapServers,
      Map<String, String> clientProperties,
      Duration timeout,
      OutputFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    Properties config = new Properties();
    config.putAll(clientProperties);
    config.putAll(config(bootstrapServers, timeout));
    this.producer = new KafkaProducer<>(config);
  }

  /**
   * The producer configuration: idempotent, acks=all, linger.ms=5, timeouts from {@code timeout}.
   */
  static Properties config(String bootstrapServers, Duration timeout) {
    int linger = 5;
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    int requestTimeout = Math.min(timeoutMillis, 30_000);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(linger));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(timeoutMillis));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(requestTimeout));
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    props.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        Integer.toString(Math.max(timeoutMillis, requestTimeout + linger)));
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "personalize-producer");
    return props;
  }

  /**
   * The event of one interaction: its kind as the event type (a RATING with the rating as value, a
   * CLICK or VIEW with 1.0), no features or context.
   */
  public static InteractionEvent toEvent(Interaction interaction) {
    return InteractionEvent.newBuilder()
        .setUserId(interaction.userId())
        .setItemId(interaction.itemId())
        .setEventType(CoreRecords.eventType(interaction.kind()))
        .setValue(interaction.value())
        .setEventTimeMillis(interaction.timeMillis())
        .build();
  }

  /** The metadata record of one item: title, genres, year; no features; updateTimeMillis 0. */
  public static ItemMetadata toItemMetadata(ItemInfo item) {
    return ItemMetadata.newBuilder()
        .setItemId(item.itemId())
        .setTitle(item.title())
        .setGenres(new ArrayList<>(item.genres()))
        .setYear(item.year())
        .setFeatures(Map.of())
        .setUpdateTimeMillis(0L)
        .build();
  }

  /**
   * Sends every interaction of the data set to {@code topic} in time order and waits until Kafka
   * has acknowledged all of them.
   *
   * @param eventsPerSecond at most this many events a second on average; 0 for as fast as possible
   * @param progressEvery call {@code progress} after every this many events (and once at the end)
   * @param progress told how far the replay is; called on this thread
   * @return the number of events sent: every one of the data set unless {@link #stop} was called
   * @throws KafkaException if a record cannot be sent or is not acknowledged in time; the replay
   *     stops at the first failure
   */
  public long sendInteractions(
      Dataset dataset,
      String topic,
      double eventsPerSecond,
      long progressEvery,
      ProgressListener progress) {
    return sendInteractions(dataset, topic, eventsPerSecond, progressEvery, progress, null);
  }

  /**
   * As {@link #sendInteractions(Dataset, String, double, long, ProgressListener)}, and tells {@code
   * observer} (when not null) of each event the broker acknowledged.
   */
  public long sendInteractions(
      Dataset dataset,
      String topic,
      double eventsPerSecond,
      long progressEvery,
      ProgressListener progress,
      ReplayObserver observer) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(progress, "progress");
    if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException(
          "events per second must be 0 (unthrottled) or positive, got " + eventsPerSecond);
    }
    if (progressEvery < 1) {
      throw new IllegalArgumentException("progressEvery must be at least 1, got " + progressEvery);
    }
    List<Interaction> sorted = inSendingOrder(dataset);
    long total = sorted.size();
    Failure failure = new Failure(topic);
    long start = System.nanoTime();
    long sent = 0;
    try {
      for (Interaction interaction : sorted) {
        if (stopRequested) {
          break;
        }
        if (eventsPerSecond > 0) {
          pace(start, sent, eventsPerSecond);
        }
        failure.check();
        byte[] key = interaction.userId().getBytes(StandardCharsets.UTF_8);
        // The record timestamp is the event time, so a consumer can align partitions on it.
        Callback acked =
            observer == null
                ? failure
                : (metadata, e) -> {
                  failure.onCompletion(metadata, e);
                  if (e == null) {
                    observer.acknowledged(interaction, System.currentTimeMillis());
                  }
                };
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                interaction.timeMillis(),
                key,
                format.encode(EVENTS, toEvent(interaction))),
            acked);
        sent++;
        if (sent % progressEvery == 0 && sent < total) {
          progress.progress(sent, total);
        }
      }
      producer.flush();
      failure.check();
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
    progress.progress(sent, total);
    return sent;
  }

  /**
   * The order {@link #sendInteractions} sends a data set's interactions in: by event time, those of
   * the same time in the data set's order. The first n of it are what a replay that sent n sent.
   */
  public static List<Interaction> inSendingOrder(Dataset dataset) {
    List<Interaction> sorted = new ArrayList<>(dataset.interactions());
    sorted.sort(Comparator.comparingLong(Interaction::timeMillis));
    return sorted;
  }

  /**
   * Asks a {@link #sendInteractions} under way on another thread to send no further event: it waits
   * for the broker to acknowledge what it sent and returns how many (fewer than the data set's).
   * For a shutdown hook: an interrupted replay then says where it stopped.
   */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Sends the metadata of every item to {@code topic}, keyed by item id, and waits until Kafka has
   * acknowledged all of them.
   *
   * @return the number of records sent
   * @throws KafkaException if a record cannot be sent or is not acknowledged in time
   */
  public long sendItems(Map<String, ItemInfo> items, String topic) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(topic, "topic");
    Failure failure = new Failure(topic);
    long sent = 0;
    try {
      for (ItemInfo item : items.values()) {
        failure.check();
        byte[] key = item.itemId().getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(topic, key, format.encode(ITEMS, toItemMetadata(item))), failure);
        sent++;
      }
      producer.flush();
      failure.check();
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
    return sent;
  }

  /** Sleeps until event number {@code sent} is due at the given rate. */
  private static void pace(long startNanos, long sent, double eventsPerSecond) {
    long due = startNanos + (long) (sent * 1e9 / eventsPerSecond);
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while replaying");
      }
    }
  }

  /** Remembers the first failed send; the replay thread checks it and throws. */
  private final class Failure implements Callback {
    private final String topic;
    private final AtomicReference<Exception> first = new AtomicReference<>();
    private final AtomicLong failures = new AtomicLong();

    Failure(String topic) {
      this.topic = topic;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
      if (e != null) {
        failures.incrementAndGet();
        first.compareAndSet(null, e);
      }
    }

    void check() {
      Exception e = first.get();
      if (e != null) {
        throw new KafkaException(
            "sending to topic '"
                + topic
                + "' at "
                + bootstrapServers
                + " failed ("
                + failures.get()
                + (failures.get() == 1 ? " record" : " records")
                + " not written, timeout "
                + timeout.toMillis()
                + " ms): "
                + e,
            e);
      }
    }
  }

  /**
   * Closes the producer, waiting at most the timeout for records still buffered; after a failed
   * send, without waiting.
   */
  @Override
  public void close() {
    producer.close(failed ? Duration.ZERO : timeout);
  }
}
