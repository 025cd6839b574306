package io.personalize.serving.topics;

import io.personalize.serving.config.ManifestVersion;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    versionProvider = ManifestVersion.class,
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
  private static final Duration POLL = Duration.ofMillis(200);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TOPIC",
      description =
          "The topic: dead-letters, recommendations, metrics, model-updates, interactions, items,"
              + " or one of another name.")
  String topic;

  @Mixin KafkaAccess kafka;

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

  public static void main(String[] args) {
    TopicCommandLine.main(commandLine(), args);
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    return TopicCommandLine.run(commandLine(), out, err, args);
  }

  public static CommandLine commandLine() {
    return TopicCommandLine.of(new ReadCommand(), "read");
  }

  @Override
  public Integer call() {
    if (last != null && last < 0) {
      throw new IllegalArgumentException("--last must be >= 0, was " + last);
    }
    if (max != null && max < 1) {
      throw new IllegalArgumentException("--max must be >= 1, was " + max);
    }
    Map<String, String> client = kafka.clientSettings("read");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumerConfig(client, "personalize-read"))) {
      List<TopicPartition> partitions = kafka.partitions(consumer, topic);
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
      if (follow) {
        err.println("following '" + topic + "' at " + kafka.servers() + "; stop with Ctrl-C");
      }
      long printed = 0;
      boolean stopped = false;
      boolean outputClosed = false;
      try (WakeOnShutdown wake = new WakeOnShutdown(consumer)) {
        try {
          while (follow || !KafkaAccess.atEnd(consumer, partitions, ends)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
              out.println(RecordLines.line(record));
              printed++;
              if (max != null && printed >= max) {
                break;
              }
            }
            // A PrintWriter keeps a write's failure to itself: without this, `read --follow |
            // head -1` would read on after head has gone.
            if (out.checkError()) {
              outputClosed = true;
              break;
            }
            if (max != null && printed >= max) {
              break;
            }
          }
        } catch (WakeupException e) {
          stopped = true;
        }
        out.flush();
        err.println(summary(printed, partitions.size(), stopped, outputClosed));
        err.flush();
      }
    }
    return 0;
  }

  private String summary(long printed, int partitions, boolean stopped, boolean outputClosed) {
    String where;
    if (outputClosed) {
      where = "stopped: its output was closed";
    } else if (stopped) {
      where = "stopped";
    } else {
      where = max != null && printed >= max ? "stopped at --max " + max : "read to its end";
    }
    return String.format(
        "%,d record%s of '%s' (%d partition%s): %s",
        printed, printed == 1 ? "" : "s", topic, partitions, partitions == 1 ? "" : "s", where);
  }
}
