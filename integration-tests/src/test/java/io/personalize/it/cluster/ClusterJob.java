package io.personalize.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.cluster.LocalCluster;
import io.personalize.cluster.Polling;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.kafka.Topics;
import io.personalize.demo.MetricsFollower;
import io.personalize.model.Mode;
import io.personalize.serving.query.StateLookup;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One job on the real cluster with topics and a consumer group of its own ({@code name}-…), the
 * events produced to it counted per user, and the checks every scenario ends with: the metrics
 * topic scored every event, and every user's state counts exactly the events produced for them.
 */
final class ClusterJob {
  private static final Duration CATCH_UP = Duration.ofMinutes(6);

  final LocalCluster cluster;
  final String name;
  final Map<String, String> client;
  final Map<String, Long> produced = new TreeMap<>();
  long producedTotal;
  String jobId;
  private boolean itemsSent;

  ClusterJob(LocalCluster cluster, String name, int partitions) {
    this(cluster, name, partitions, Map.of());
  }

  /** A job whose own clients log in to the broker with {@code client} settings (SASL). */
  ClusterJob(LocalCluster cluster, String name, int partitions, Map<String, String> client) {
    this.cluster = cluster;
    this.name = name;
    this.client = client;
    try (Topics topics = new Topics(cluster.kafka(), client)) {
      // Created here with the partitions the widest run reads, before any run creates them.
      topics.createForReplay(partitions, topic("interactions"));
    }
  }

  String topic(String kind) {
    return name + "-" + kind;
  }

  /** The job's flags: its own topics and group, frequent checkpoints and metrics. */
  List<String> args() {
    List<String> args = new ArrayList<>();
    for (String kind :
        List.of(
            "interactions",
            "items",
            "model-updates",
            "metrics",
            "dead-letters",
            "recommendations")) {
      args.addAll(List.of("--topic-" + kind, topic(kind)));
    }
    args.addAll(List.of("--consumer-group", name, "--metrics-interval", "500 ms"));
    args.addAll(List.of("-D", "execution.checkpointing.interval=5 s"));
    return args;
  }

  /** Submits the job with its flags plus {@code extraArgs}; returns once every task runs. */
  String submit(int parallelism, String savepoint, String... extraArgs) {
    List<String> args = args();
    args.addAll(List.of(extraArgs));
    jobId = cluster.submit(args, parallelism, savepoint, false);
    return jobId;
  }

  /**
   * Sends {@code events} (in time order, keyed by user) and counts them per user. The first call
   * sends the data set's item metadata to the items topic before them, as the demo and {@code
   * personalize produce} do: without it the hybrid model has no item features (genres, release
   * year), and every mode with personal feature weights scores worse (ml-100k at p = 2: adaptive
   * 0.9426 instead of 0.935, local 1.024 instead of 1.001).
   */
  void produce(List<Interaction> events, Dataset dataset) {
    produce(events, dataset, Duration.ofSeconds(30));
  }

  /** {@link #produce(List, Dataset)}, each send waiting up to {@code timeout} for the broker. */
  void produce(List<Interaction> events, Dataset dataset, Duration timeout) {
    Dataset part =
        new Dataset(
            dataset.name(),
            dataset.layout(),
            events,
            dataset.items(),
            dataset.scale(),
            events.size());
    try (InteractionProducer producer = new InteractionProducer(cluster.kafka(), client, timeout)) {
      if (!itemsSent && !dataset.items().isEmpty()) {
        producer.sendItems(dataset.items(), topic("items"));
        itemsSent = true;
      }
      producer.sendInteractions(part, topic("interactions"), 0, events.size(), (sent, total) -> {});
    }
    for (Interaction event : events) {
      produced.merge(event.userId(), 1L, Long::sum);
    }
    producedTotal += events.size();
  }

  /**
   * Counts {@code events} for {@code user} as produced without sending them: for records another
   * client sent, which the job is expected to apply.
   */
  void expectApplied(String user, long events) {
    produced.merge(user, events, Long::sum);
    producedTotal += events;
  }

  /** Every record of {@code topic} now, partition by partition in offset order. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        TopicPartition partition = new TopicPartition(topic, info.partition());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (consumer.position(partition) < end && Instant.now().isBefore(deadline)) {
          consumer.poll(Duration.ofMillis(500)).records(partition).forEach(records::add);
        }
      }
    }
    return records;
  }

  /**
   * Waits until the metrics topic shows at least {@code events} scored by every mode that scores
   * every user (global and adaptive; the shadow modes score a share of the users); returns each
   * stream mode's RMSE over its users then.
   */
  Map<String, Double> awaitScored(long events) throws InterruptedException {
    Set<Mode> everyUser = EnumSet.of(Mode.GLOBAL, Mode.ADAPTIVE);
    try (MetricsFollower metrics = new MetricsFollower(cluster.kafka(), topic("metrics"))) {
      Instant deadline = Instant.now().plus(CATCH_UP);
      while (metrics.scoredByEvery(everyUser) < events && Instant.now().isBefore(deadline)) {
        metrics.awaitSnapshot(Duration.ofSeconds(5));
      }
      assertThat(metrics.scoredByEvery(everyUser))
          .as("events scored by global and adaptive, from the metrics topic")
          .isGreaterThanOrEqualTo(events);
      Map<String, Double> rmse = new TreeMap<>();
      for (Mode mode : Mode.STREAM) {
        rmse.put(mode.label(), metrics.latest(mode.label(), 0).getRmse());
      }
      return rmse;
    }
  }

  /** Every produced user's count of applied events, read through queryable state. */
  Map<String, Long> appliedCounts() {
    Map<String, Long> applied = new TreeMap<>();
    try (StateLookup lookup = lookup()) {
      for (String user : produced.keySet()) {
        applied.put(
            user, lookup.profile(JobID.fromHexString(jobId), user).map(p -> p.events).orElse(0L));
      }
    }
    return applied;
  }

  /** Waits until every user's state counts exactly what was produced for them. */
  void assertEveryEventAppliedOnce() {
    // Queryable state has no push: poll until the last events are applied, or a minute passes.
    try {
      Polling.await(
          () -> appliedCounts().equals(produced), Duration.ofMinutes(1), () -> "counts differ");
    } catch (IllegalStateException timedOut) {
      // the assertion below shows the difference
    }
    assertThat(appliedCounts())
        .as("applied events per user (queryable state) = events produced per user")
        .isEqualTo(produced);
  }

  /** Every produced user's personal model, read through queryable state. */
  Map<String, PersonalModelView> models() {
    Map<String, PersonalModelView> models = new HashMap<>();
    try (StateLookup lookup = lookup()) {
      for (String user : produced.keySet()) {
        models.put(user, lookup.model(JobID.fromHexString(jobId), user).orElse(null));
      }
    }
    return models;
  }

  UserProfile profile(String user) {
    try (StateLookup lookup = lookup()) {
      return lookup.profile(JobID.fromHexString(jobId), user).orElseThrow();
    }
  }

  /** The number of records in the job's dead-letter topic. */
  long deadLetters() {
    Properties config = new Properties();
    config.putAll(client);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic("dead-letters")).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      long begin =
          consumer.beginningOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      return end - begin;
    }
  }

  /**
   * A lookup through the proxy of a TaskManager that runs the job's tasks: a TaskManager's proxy
   * knows only the jobs it runs, and a job at parallelism 1 runs on one of the two.
   */
  private StateLookup lookup() {
    String someUser = produced.keySet().iterator().next();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      for (int port : cluster.queryableStatePorts()) {
        StateLookup lookup = new StateLookup("127.0.0.1", port, Duration.ofSeconds(3));
        try {
          lookup.profile(JobID.fromHexString(jobId), someUser);
          return lookup;
        } catch (RuntimeException e) {
          last = e;
          lookup.close();
        }
      }
    }
    throw new IllegalStateException("no queryable-state proxy knows job " + jobId, last);
  }
}
