package io.personalize.perf;

import io.personalize.avro.RecommendationList;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.serving.query.StateLookup;
import io.personalize.state.UserProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long a sampled event takes from its arrival in Kafka (the broker's acknowledgement) to being
 * visible: in the user's profile through queryable state (its event count reaches the event's), and
 * in a list of the user's on the recommendations topic (a list made after the event). One thread
 * polls queryable state for the outstanding samples, one reads the topic; both note the time they
 * see it, so each latency includes up to a poll's delay (a few milliseconds).
 */
final class LatencyProbe implements AutoCloseable {
  /** One sampled event: its user, the user's event count with it, when Kafka had it. */
  private record Sample(String user, long events, long arrivedMillis) {}

  private final int sampleEvery;
  private final Map<String, Long> eventsPerUser = new HashMap<>();
  private long acknowledged;
  private final ConcurrentLinkedQueue<Sample> forState = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Sample> forList = new ConcurrentLinkedQueue<>();
  private final List<LatencyTail.Seen> stateSeen = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> listMillis = Collections.synchronizedList(new ArrayList<>());
  private final Thread statePoller;
  private final Thread listReader;
  private volatile boolean running = true;

  LatencyProbe(
      int sampleEvery, String proxyHost, int proxyPort, JobID job, String bootstrap, String topic) {
    this.sampleEvery = sampleEvery;
    statePoller = new Thread(() -> pollState(proxyHost, proxyPort, job), "latency-state");
    listReader = new Thread(() -> readLists(bootstrap, topic), "latency-lists");
    statePoller.setDaemon(true);
    listReader.setDaemon(true);
    statePoller.start();
    listReader.start();
  }

  /**
   * Told of every event Kafka acknowledged, on the producer's I/O thread, in each user's order (a
   * user's events share a partition).
   */
  void acknowledged(Interaction event, long ackMillis) {
    long events = eventsPerUser.merge(event.userId(), 1L, Long::sum);
    if (acknowledged++ % sampleEvery == 0) {
      Sample sample = new Sample(event.userId(), events, ackMillis);
      forState.add(sample);
      forList.add(sample);
    }
  }

  private void pollState(String host, int port, JobID job) {
    try (StateLookup lookup = new StateLookup(host, port, Duration.ofSeconds(5))) {
      while (running) {
        for (Iterator<Sample> it = forState.iterator(); it.hasNext(); ) {
          Sample sample = it.next();
          Optional<UserProfile> profile = Optional.empty();
          try {
            profile = lookup.profile(job, sample.user());
          } catch (RuntimeException notYet) {
            // The user's state is not registered yet: look again on the next sweep.
          }
          if (profile.isPresent() && profile.get().events >= sample.events()) {
            stateSeen.add(
                new LatencyTail.Seen(
                    sample.arrivedMillis(), System.currentTimeMillis() - sample.arrivedMillis()));
            it.remove();
          }
        }
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLists(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    RecordDecoder<RecommendationList> codec = RecordDecoder.of(RecommendationList.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          RecommendationList list = codec.decode(record.value());
          for (Iterator<Sample> it = forList.iterator(); it.hasNext(); ) {
            Sample sample = it.next();
            if (sample.user().equals(list.getUserId()) && list.getUserEvents() >= sample.events()) {
              listMillis.add(now - sample.arrivedMillis());
              it.remove();
            }
          }
        }
      }
    }
  }

  /** Waits up to {@code timeout} for every outstanding sample to be seen. */
  void drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while ((!forState.isEmpty() || !forList.isEmpty()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /** The samples seen in queryable state: when each arrived, and how long it took. */
  List<LatencyTail.Seen> seenInState() {
    synchronized (stateSeen) {
      return List.copyOf(stateSeen);
    }
  }

  LatencyReport report(double eventsPerSecond, LatencyTail tail) {
    return new LatencyReport(
        eventsPerSecond,
        LatencyReport.Percentiles.of(
            seenInState().stream().map(LatencyTail.Seen::millis).toList(), forState.size()),
        LatencyReport.Percentiles.of(listMillis, forList.size()),
        tail);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    statePoller.join(10_000);
    listReader.join(10_000);
  }
}
