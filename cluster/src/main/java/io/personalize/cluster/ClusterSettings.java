package io.personalize.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;

/**
 * How {@code bin/cluster start} sizes the cluster. Ports of 0 mean "any free port"; the defaults
 * are Kafka's and Flink's usual ones. {@code flinkOptions} override the generated Flink
 * configuration (any Flink option, e.g. {@code heartbeat.timeout}). With {@code kafkaUsers}, the
 * broker requires SASL logins; with {@code kafkaTls} too (null: none), over TLS.
 */
public record ClusterSettings(
    Path home,
    int kafkaPort,
    int restPort,
    int taskManagers,
    int slotsPerTaskManager,
    String taskManagerMemory,
    String jobManagerMemory,
    Map<String, String> flinkOptions,
    Map<String, String> kafkaUsers,
    KafkaTls kafkaTls) {

  public static final int DEFAULT_KAFKA_PORT = 9092;
  public static final int DEFAULT_REST_PORT = 8081;

  public ClusterSettings {
    if (taskManagers < 1 || slotsPerTaskManager < 1) {
      throw new IllegalArgumentException("taskmanagers and slots must be at least 1");
    }
    requireMemorySize("--taskmanager-memory", taskManagerMemory);
    requireMemorySize("the JobManager's memory", jobManagerMemory);
    flinkOptions = Map.copyOf(flinkOptions);
    kafkaUsers = Map.copyOf(kafkaUsers);
  }

  /** Two TaskManagers with two slots each: one TaskManager alone can run a job of parallelism 2. */
  public static ClusterSettings defaults(Path home) {
    return new ClusterSettings(
        home,
        DEFAULT_KAFKA_PORT,
        DEFAULT_REST_PORT,
        2,
        2,
        "1536m",
        "1024m",
        Map.of(),
        Map.of(),
        null);
  }

  /** Any free ports: for tests, which may run beside a cluster someone started by hand. */
  public ClusterSettings withFreePorts() {
    return new ClusterSettings(
        home,
        0,
        0,
        taskManagers,
        slotsPerTaskManager,
        taskManagerMemory,
        jobManagerMemory,
        flinkOptions,
        kafkaUsers,
        kafkaTls);
  }

  public ClusterSettings withFlinkOptions(Map<String, String> options) {
    Map<String, String> merged = new LinkedHashMap<>(flinkOptions);
    merged.putAll(options);
    return new ClusterSettings(
        home,
        kafkaPort,
        restPort,
        taskManagers,
        slotsPerTaskManager,
        taskManagerMemory,
        jobManagerMemory,
        merged,
        kafkaUsers,
        kafkaTls);
  }

  /**
   * A broker whose client listener requires SASL (PLAIN, over plaintext unless {@link
   * #withKafkaTls}, on loopback) and accepts these users and passwords: for testing that the job's
   * Kafka security settings reach every client. Clients log in with {@link
   * LocalCluster#kafkaClientProperties}.
   */
  public ClusterSettings withKafkaUsers(Map<String, String> users) {
    return new ClusterSettings(
        home,
        kafkaPort,
        restPort,
        taskManagers,
        slotsPerTaskManager,
        taskManagerMemory,
        jobManagerMemory,
        flinkOptions,
        users,
        kafkaTls);
  }

  /**
   * A broker whose client listener requires SASL over TLS (SASL_SSL) with the certificate of {@code
   * tls}; needs {@link #withKafkaUsers users}. Clients trust it through the truststore of {@code
   * tls} ({@link LocalCluster#kafkaClientProperties(String, String, KafkaTls)}).
   */
  public ClusterSettings withKafkaTls(KafkaTls tls) {
    return new ClusterSettings(
        home,
        kafkaPort,
        restPort,
        taskManagers,
        slotsPerTaskManager,
        taskManagerMemory,
        jobManagerMemory,
        flinkOptions,
        kafkaUsers,
        tls);
  }

  /** The settings with the Kafka users' names only: their passwords stay out of any text. */
  @Override
  public String toString() {
    return "ClusterSettings[home="
        + home
        + ", kafkaPort="
        + kafkaPort
        + ", restPort="
        + restPort
        + ", taskManagers="
        + taskManagers
        + ", slotsPerTaskManager="
        + slotsPerTaskManager
        + ", taskManagerMemory="
        + taskManagerMemory
        + ", jobManagerMemory="
        + jobManagerMemory
        + ", flinkOptions="
        + flinkOptions
        + ", kafkaUsers="
        + new java.util.TreeSet<>(kafkaUsers.keySet())
        + ", kafkaTls="
        + kafkaTls
        + "]";
  }

  /**
   * Flink reads the memory sizes only when a process starts: {@code --taskmanager-memory foo}
   * started the broker and the JobManager and then failed with Flink's stack trace.
   */
  private static void requireMemorySize(String what, String size) {
    try {
      MemorySize.parse(size);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          what + " '" + size + "' is not a memory size such as 1536m or 2g", e);
    }
  }
}
