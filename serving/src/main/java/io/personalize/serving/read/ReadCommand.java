package io.personalize.serving.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.connectors.kafka.KafkaReachability;
import io.personalize.serving.config.ParameterErrors;
import io.personalize.serving.config.SettingFlags;
import io.personalize.serving.query.Endpoints;
import io.personalize.settings.KafkaClientSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code personalize read TOPIC}: the records of one of the engine's topics (dead letters, lists,
 * metrics, model updates, the input itself) as JSON lines, whichever format they were written in
 * ({@link RecordLines}). Reads without a consumer group, so it commits nothing and never moves the
 * job's or the server's place in a topic.
 */
@Command(
    name = "read",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Prints the records of one of the engine's Kafka topics as JSON lines: its partition, offset,"
          + " time and key, and its value as plain JSON (docs/formats.md), whether it was written"
          + " as Avro or as JSON.",
      "A dead letter also shows its payload as text when the payload is UTF-8 text.",
      "A record that does not decode is printed with the reason, never skipped.",
      "Reads every partition from its first record to the end it has when the command starts,"
          + " then stops (--follow goes on).",
      "It joins no consumer group and commits nothing, so the job's and the server's places in"
          + " the topic do not move."
    },
    footer = {
      "",
      "Examples:",
      "  bin/personalize read dead-letters",
      "  bin/personalize read metrics --last 3 --bootstrap-servers 127.0.0.1:9092",
      "  bin/personalize read recommendations --follow --endpoints out/demo/endpoints.json"
    })
public final class ReadCommand implements Callable<Integer> {
  static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TOPIC",
      description =
          "The topic: dead-letters, recommendations, metrics, model-updates, interactions, items,"
              + " or one of another name.")
  String topic;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description =
          "Kafka bootstrap servers (default: the 'kafka' of --endpoints, else "
              + DEFAULT_BOOTSTRAP_SERVERS
              + ").")
  String bootstrapServers;

  @Option(
      names = "--endpoints",
      paramLabel = "FILE",
      description =
          "The endpoints.json the demo or bin/cluster writes: take Kafka's address from it.")
  Path endpoints;

  @Option(
      names = "--last",
      paramLabel = "N",
      description = "Only the last N records of each partition (default: all of them).")
  Long last;

  @Option(
      names = "--max",
      paramLabel = "N",
      description = "Stop after N records (default: no limit).")
  Long max;

  @Option(
      names = "--follow",
      description = "Go on printing records as they arrive, until stopped (Ctrl-C).")
  boolean follow;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description =
          "A Flink config file (config.yaml syntax) with Kafka client settings"
              + " (personalize.kafka.*), as `run` and `serve` read it: the place for a password.")
  Path configFile;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client setting as personalize.kafka.<setting>, as `run` takes it (e.g. -D"
              + " personalize.kafka.security.protocol=SASL_SSL).")
  Map<String, String> properties;

  public static void main(String[] args) {
    // Kafka's clients log their whole configuration at INFO: only their errors.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }
    System.exit(run(new PrintWriter(System.out, false), new PrintWriter(System.err, true), args));
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ReadCommand());
    ParameterErrors.shortOnes(cli, "bin/personalize ");
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("read: " + (e.getMessage() == null ? e : e.getMessage()));
          return 2;
        });
    return cli;
  }

  @Override
  public Integer call() {
    if (last != null && last < 0) {
      throw new IllegalArgumentException("--last must be >= 0, was " + last);
    }
    if (max != null && max < 1) {
      throw new IllegalArgumentException("--max must be >= 1, was " + max);
    }
    String servers = servers();
    Map<String, String> client = clientSettings();
    KafkaReachability.check(servers, client, CONNECT_TIMEOUT, "--bootstrap-servers, --endpoints");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerConfig(servers, client))) {
      List<TopicPartition> partitions = partitions(consumer, servers);
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        long start = starts.get(partition);
        if (last != null) {
          start = Math.max(start, ends.get(partition) - last);
        }
        consumer.seek(partition, start);
      }
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                consumer.wakeup();
                try {
                  finished.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(hook);
      if (follow) {
        err.println("following '" + topic + "' at " + servers + "; stop with Ctrl-C");
      }
      long printed = 0;
      boolean stopped = false;
      try {
        while (follow || !atEnd(consumer, partitions, ends)) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            out.println(
                RecordLines.line(
                    record.partition(),
                    record.offset(),
                    record.timestamp(),
                    record.key(),
                    record.value()));
            printed++;
            if (max != null && printed >= max) {
              break;
            }
          }
          out.flush();
          if (max != null && printed >= max) {
            break;
          }
        }
      } catch (WakeupException e) {
        stopped = true;
      } finally {
        out.flush();
        err.println(summary(printed, partitions.size(), stopped));
        err.flush();
        finished.countDown();
        if (!stopped) {
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      }
    }
    return 0;
  }

  private String summary(long printed, int partitions, boolean stopped) {
    String where =
        stopped
            ? "stopped"
            : max != null && printed >= max ? "stopped at --max " + max : "read to its end";
    return String.format(
        "%,d record%s of '%s' (%d partition%s): %s",
        printed, printed == 1 ? "" : "s", topic, partitions, partitions == 1 ? "" : "s", where);
  }

  private static boolean atEnd(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> ends) {
    for (TopicPartition partition : partitions) {
      // read_committed: a transaction's marker moves the position past the last record.
      if (consumer.position(partition) < ends.get(partition)) {
        return false;
      }
    }
    return true;
  }

  private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String servers) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, CONNECT_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      TreeSet<String> topics = new TreeSet<>(consumer.listTopics(CONNECT_TIMEOUT).keySet());
      topics.removeIf(name -> name.startsWith("__"));
      throw new IllegalArgumentException(
          "no topic '"
              + topic
              + "' at "
              + servers
              + (topics.isEmpty()
                  ? " (it has no topics)"
                  : "; its topics: " + String.join(", ", topics)));
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return partitions;
  }

  private String servers() {
    if (bootstrapServers != null) {
      return bootstrapServers;
    }
    if (endpoints != null) {
      JsonNode kafka = Endpoints.document(endpoints).get("kafka");
      if (kafka == null || !kafka.isTextual() || kafka.asText().isBlank()) {
        throw new IllegalArgumentException(
            "endpoints file " + endpoints + " has no 'kafka' address (--bootstrap-servers)");
      }
      return kafka.asText();
    }
    return DEFAULT_BOOTSTRAP_SERVERS;
  }

  private Map<String, String> clientSettings() {
    Configuration conf =
        configFile == null ? new Configuration() : SettingFlags.readFile(configFile);
    if (properties != null) {
      for (Map.Entry<String, String> property : properties.entrySet()) {
        if (!property.getKey().startsWith(KafkaClientSettings.PREFIX)) {
          throw new IllegalArgumentException(
              "-D "
                  + property.getKey()
                  + ": read takes Kafka client settings only, as "
                  + KafkaClientSettings.PREFIX
                  + "<setting>");
        }
        conf.setString(property.getKey(), property.getValue());
      }
    }
    return KafkaClientSettings.from(conf.toMap());
  }

  private static Properties consumerConfig(String servers, Map<String, String> client) {
    Properties props = new Properties();
    props.putAll(new HashMap<>(client));
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // What the job's consumers see: never a record of an aborted transaction.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A reader must not create a topic: the job creates its topics with their settings.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "personalize-read");
    return props;
  }
}
