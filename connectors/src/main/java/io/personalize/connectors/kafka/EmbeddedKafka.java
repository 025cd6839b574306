package io.personalize.connectors.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node Kafka (KRaft, broker and controller in one node) running inside this JVM, on a free
 * port of localhost, with its data in a temporary directory deleted on {@link #close()}. For the
 * demo and the tests; ready in a few seconds.
 *
 * <p>Every internal topic has replication factor 1, consumer groups start without the initial
 * rebalance delay, and a topic created without a partition count (e.g. auto-created on first use)
 * gets 1 partition.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /**
   * Formats and starts a new broker and waits until it accepts clients.
   *
   * @throws IllegalStateException if it does not start
   */
  public static EmbeddedKafka start() {
    KafkaClusterTestKit cluster = null;
    try {
      cluster =
          new KafkaClusterTestKit.Builder(
                  new TestKitNodes.Builder()
                      .setCombined(true)
                      .setNumBrokerNodes(1)
                      .setNumControllerNodes(1)
                      .build())
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "1")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("transaction.state.log.num.partitions", "1")
              .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
              .setConfigProp("share.coordinator.state.topic.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("num.partitions", "1")
              .setConfigProp("auto.create.topics.enable", "true")
              .setDeleteOnClose(true)
              .build();
      format(cluster);
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (cluster != null) {
        try {
          cluster.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
    }
  }

  /**
   * Formats the storage. The test kit prints the bootstrap metadata on {@code System.out}: keep it
   * out of the demo's output, and show it only if formatting fails. (Anything other threads print
   * in these few milliseconds goes the same way.)
   */
  private static void format(KafkaClusterTestKit cluster) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      cluster.format();
    } catch (Exception e) {
      out.print(captured.toString(StandardCharsets.UTF_8));
      throw e;
    } finally {
      System.setOut(out);
    }
  }

  /** The {@code host:port} list for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates topics with {@code partitions} partitions each (replication factor 1) and waits until
   * every partition has a leader. A topic that already exists is left as it is.
   *
   * @throws IllegalStateException if they cannot be created within a minute
   */
  public void createTopics(int partitions, String... topics) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    List<String> names = Arrays.asList(topics);
    names.forEach(name -> Objects.requireNonNull(name, "topic"));
    if (names.isEmpty()) {
      return;
    }
    List<NewTopic> newTopics = new ArrayList<>();
    for (String name : names) {
      newTopics.add(new NewTopic(name, partitions, (short) 1));
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (var entry : admin.createTopics(newTopics).values().entrySet()) {
        try {
          entry.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      // Creation is acknowledged by the controller; wait until the broker has a leader for all.
      while (!allHaveLeaders(admin, names, deadline)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no leader for every partition of " + names);
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics " + names, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics " + names + ": " + (e.getCause() != null ? e.getCause() : e), e);
    }
  }

  private static boolean allHaveLeaders(Admin admin, List<String> names, long deadline)
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
    return descriptions.values().stream()
        .flatMap(d -> d.partitions().stream())
        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the embedded Kafka broker did not stop cleanly: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + "]";
  }
}
