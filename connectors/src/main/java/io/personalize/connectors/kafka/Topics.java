package io.personalize.connectors.kafka;

import io.personalize.util.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates and inspects the engine's topics.
 *
 * <p>Records carry their event time as the Kafka timestamp (the job aligns partitions on it), so a
 * replay of history writes records that are already older than any time-based retention: a broker
 * with the default seven days deletes them at its first retention check, while the job may still be
 * reading. Topics the engine creates for a replay therefore keep records forever ({@code
 * retention.ms=-1}, {@code retention.bytes=-1}); {@link #retentionProblem} tells when an existing
 * topic would delete what is about to be written.
 */
public final class Topics implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** A broker's default {@code retention.ms}, seven days, assumed when a topic does not say. */
  static final long DEFAULT_RETENTION_MS = Duration.ofDays(7).toMillis();

  /** The settings of a topic that holds a replay: nothing is deleted by age or size. */
  public static final Map<String, String> KEEP_FOREVER =
      Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1");

  /**
   * The settings of a topic that keeps the latest record per key (a user's latest list):
   * compaction, no deletion by age.
   */
  public static final Map<String, String> COMPACTED =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  private final Admin admin;
  private final Duration timeout;

  /** Topics of the cluster at {@code bootstrapServers}, with a 60 s timeout per operation. */
  public Topics(String bootstrapServers) {
    this(bootstrapServers, TIMEOUT);
  }

  /**
   * Topics of the cluster at {@code bootstrapServers}.
   *
   * @param timeout how long an operation may wait for the cluster
   */
  public Topics(String bootstrapServers, Duration timeout) {
    this(bootstrapServers, Map.of(), timeout);
  }

  /**
   * Topics of the cluster at {@code bootstrapServers}, reached with extra client settings (e.g.
   * {@code security.protocol} and SASL settings), with a 60 s timeout per operation.
   */
  public Topics(String bootstrapServers, Map<String, String> clientProperties) {
    this(bootstrapServers, clientProperties, TIMEOUT);
  }

  /**
   * Topics of the cluster at {@code bootstrapServers}, reached with extra client settings.
   *
   * @param timeout how long an operation may wait for the cluster
   */
  public Topics(String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    this.admin = Admin.create(AdminSettings.of(bootstrapServers, clientProperties, timeout, null));
  }

  /**
   * Creates topics that keep every record ({@link #KEEP_FOREVER}), {@code partitions} each
   * (replication factor: the broker's default), and waits until every partition's leader serves
   * requests. A topic that already exists is left as it is.
   *
   * @return the topics this call created, in the order given
   */
  public List<String> createForReplay(int partitions, String... topics) {
    return create(partitions, KEEP_FOREVER, topics);
  }

  /**
   * Creates topics with {@code partitions} partitions each and the given topic settings (the
   * broker's defaults for the rest), and waits until every partition's leader serves requests. A
   * topic that already exists is left as it is.
   *
   * @return the topics this call created, in the order given
   */
  public List<String> create(int partitions, Map<String, String> configs, String... topics) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    Set<String> names = new LinkedHashSet<>(List.of(topics));
    List<NewTopic> newTopics = new ArrayList<>();
    for (String name : names) {
      newTopics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> created = new ArrayList<>();
    try {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
      for (String name : names) {
        try {
          results.get(name).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
          created.add(name);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      awaitLeaders(List.of(topics), deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics " + List.of(topics), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics "
              + List.of(topics)
              + ": "
              + (e.getCause() != null ? e.getCause() : e),
          e);
    }
    return created;
  }

  /**
   * Why writing records as old as {@code oldest} into an existing topic would lose them, or empty
   * when the topic keeps them: its {@code retention.ms} is shorter than their age and its
   * timestamps are the records' own ({@code message.timestamp.type=CreateTime}).
   *
   * @throws IllegalStateException when the topic's configuration cannot be read (e.g. it does not
   *     exist)
   */
  public Optional<String> retentionProblem(String topic, Instant oldest, Instant now) {
    Config config;
    try {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the configuration of topic "
              + topic
              + ": "
              + (e.getCause() != null ? e.getCause() : e),
          e);
    }
    ConfigEntry type = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
    ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
    return retentionProblem(
        topic,
        type == null ? null : type.value(),
        retention == null ? null : retention.value(),
        oldest,
        now);
  }

  /**
   * The decision of {@link #retentionProblem(String, Instant, Instant)} from the topic's settings.
   *
   * @param timestampType {@code message.timestamp.type}, or null when unknown (CreateTime)
   * @param retentionMs {@code retention.ms}, or null when unknown (the broker default, 7 days);
   *     negative means forever
   */
  static Optional<String> retentionProblem(
      String topic, String timestampType, String retentionMs, Instant oldest, Instant now) {
    if ("LogAppendTime".equals(timestampType)) {
      return Optional.empty(); // the broker stamps the records when they arrive: they are new
    }
    long retention = retentionMs == null ? DEFAULT_RETENTION_MS : Long.parseLong(retentionMs);
    if (retention < 0) {
      return Optional.empty();
    }
    Duration age = Duration.between(oldest, now);
    if (age.toMillis() <= retention) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "topic '%s' deletes records older than %s (retention.ms=%d), and the records written"
                + " now carry event times from %s, %d days old: the broker will delete them at its"
                + " next retention check, possibly before they are read. Keep them with"
                + " `kafka-configs.sh --bootstrap-server ... --alter --entity-type topics"
                + " --entity-name %s --add-config retention.ms=-1`, or write to a new topic.",
            topic,
            Durations.show(Duration.ofMillis(retention)),
            retention,
            oldest,
            age.toDays(),
            topic));
  }

  /**
   * Waits until every partition of the topics has a leader that serves requests. A leader in the
   * metadata is not enough: the broker may not have opened the partition yet, and an idempotent
   * producer whose first batch is refused then (NOT_LEADER_OR_FOLLOWER) while a later one is
   * accepted can never deliver the first (OUT_OF_ORDER_SEQUENCE_NUMBER, retried until it times
   * out). Listing each partition's latest offset goes to its leader and needs the partition open.
   */
  private void awaitLeaders(Collection<String> names, long deadline)
      throws InterruptedException, TimeoutException {
    while (!allServed(names, deadline)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no serving leader for every partition of " + names);
      }
      // The Admin API has no push for leadership: poll with a deadline.
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private boolean allServed(Collection<String> names, long deadline)
      throws InterruptedException, TimeoutException {
    Map<String, TopicDescription> descriptions;
    try {
      descriptions =
          admin
              .describeTopics(names)
              .allTopicNames()
              .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (ExecutionException notYetKnown) {
      return false;
    }
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (TopicDescription d : descriptions.values()) {
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() == null || p.leader().isEmpty()) {
          return false;
        }
        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
      }
    }
    try {
      admin.listOffsets(partitions).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException notServedYet) {
      return false;
    }
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
