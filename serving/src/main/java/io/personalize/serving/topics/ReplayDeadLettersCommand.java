package io.personalize.serving.topics;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.kafka.DeadLetters;
import io.personalize.serving.config.ManifestVersion;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalize replay-dead-letters --reason R}: sends the payloads of the dead letters of the
 * reasons given back to the topics they came from, once the cause is fixed (the schema registry
 * back, say), so that the job reads them again. A consumer group keeps how far the replays got:
 * each dead letter is replayed by one run, and the next run starts after it. Offsets are committed
 * only after the broker has acknowledged what was sent, so a run stopped or failed half-way replays
 * at most its last unacknowledged batch again, never skips one.
 */
@Command(
    name = "replay-dead-letters",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    description = {
      "Sends the payloads of dead letters back to the topics they came from, so that the job reads"
          + " them again once what set them aside is fixed: a schema registry that was down"
          + " (REGISTRY_UNAVAILABLE), say.",
      "Only the reasons given with --reason are replayed; the others are counted and left.",
      "A dead letter whose payload was cut to fit the record size is never replayed (it is not"
          + " the record that was sent); each is named.",
      "Reads the dead-letters topic from where the last replay of the same --consumer-group"
          + " stopped to its end as the command starts, and commits each batch once the broker has"
          + " acknowledged it, so that every dead letter is replayed once.",
      "A replayed record has no key (the dead letter does not keep it): the job keys by the"
          + " user id in the record, so its place in the input is all that changes."
    },
    footer = {
      "",
      "Examples:",
      "  bin/personalize replay-dead-letters --reason REGISTRY_UNAVAILABLE --dry-run",
      "  bin/personalize replay-dead-letters --reason REGISTRY_UNAVAILABLE --bootstrap-servers"
          + " 127.0.0.1:9092"
    })
public final class ReplayDeadLettersCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final AvroCodec<DeadLetter> CODEC = AvroCodec.of(DeadLetter.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--reason",
      required = true,
      split = ",",
      paramLabel = "REASON",
      description =
          "The dead-letter reasons to replay, comma-separated: ${COMPLETION-CANDIDATES}"
              + " (docs/bad-input.md).")
  List<DeadLetterReason> reasons;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      defaultValue = "dead-letters",
      description = "The job's dead-letter topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = "--to",
      paramLabel = "TOPIC",
      description = "Send every payload to this topic (default: the topic each came from).")
  String to;

  @Option(
      names = "--consumer-group",
      paramLabel = "GROUP",
      defaultValue = "personalize-replay",
      description =
          "The consumer group whose committed offsets say which dead letters were replayed"
              + " (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--dry-run",
      description =
          "Print the dead letters that would be replayed (as `read` prints them), send nothing and"
              + " commit nothing.")
  boolean dryRun;

  @Mixin KafkaAccess kafka;

  public static void main(String[] args) {
    TopicCommandLine.main(commandLine(), args);
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    return TopicCommandLine.run(commandLine(), out, err, args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = TopicCommandLine.of(new ReplayDeadLettersCommand(), "replay-dead-letters");
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> client = kafka.clientSettings("replay-dead-letters");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Properties consumerConfig = kafka.consumerConfig(client, "personalize-replay-dead-letters");
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    Tally tally = new Tally();
    boolean stopped = false;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(client))) {
      List<TopicPartition> partitions = kafka.partitions(consumer, topic);
      Set<String> targets = new HashSet<>();
      if (to != null) {
        kafka.partitions(consumer, to);
        targets.add(to);
      }
      consumer.assign(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      List<TopicPartition> fresh = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        if (offset == null) {
          fresh.add(partition);
        } else {
          consumer.seek(partition, offset.offset());
        }
      }
      if (!fresh.isEmpty()) {
        consumer.seekToBeginning(fresh); // an empty list would mean every partition
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      // Offsets handled (sent or left) so far: a stop between two records of a batch commits
      // only what was handled, where the consumer's position would skip the rest of the batch.
      Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      try (WakeOnShutdown wake = new WakeOnShutdown(consumer)) {
        try {
          while (!KafkaAccess.atEnd(consumer, partitions, ends)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
              ProducerRecord<byte[], byte[]> replay = replay(record, tally, consumer, targets, err);
              if (replay != null) {
                if (dryRun) {
                  out.println(RecordLines.line(record));
                } else {
                  sent.add(producer.send(replay));
                }
                tally.replayed++;
              }
              handled.put(
                  new TopicPartition(record.topic(), record.partition()),
                  new OffsetAndMetadata(record.offset() + 1));
            }
            acknowledgeAndCommit(producer, consumer, handled, sent);
          }
        } catch (WakeupException e) {
          stopped = true;
          // What was sent before the stop is acknowledged and committed: the next run goes on.
          acknowledgeAndCommit(producer, consumer, handled, sent);
        }
        out.println(tally.summary(stopped));
        out.flush();
      }
    }
    return 0;
  }

  /** The record that replays a dead letter, or null (counted) when it is not replayed. */
  private ProducerRecord<byte[], byte[]> replay(
      ConsumerRecord<byte[], byte[]> record,
      Tally tally,
      KafkaConsumer<byte[], byte[]> consumer,
      Set<String> targets,
      PrintWriter err) {
    String place = topic + " " + record.partition() + "@" + record.offset();
    DeadLetter letter;
    try {
      letter = CODEC.decode(record.value());
    } catch (DecodingException e) {
      err.println(place + ": not a dead letter, left: " + e.getMessage());
      tally.notDeadLetters++;
      return null;
    }
    if (!reasons.contains(letter.getReason())) {
      tally.left.merge(letter.getReason(), 1L, Long::sum);
      return null;
    }
    if (letter.getPayload() == null) {
      tally.withoutPayload++;
      return null;
    }
    if (DeadLetters.isTruncated(letter)) {
      err.println(
          place
              + ": its payload was cut to fit the record size, so it is not replayed: "
              + letter.getDetail());
      tally.truncated++;
      return null;
    }
    String target = to != null ? to : letter.getSourceTopic();
    if (target == null) {
      err.println(place + ": the dead letter names no source topic, so it is left (--to TOPIC)");
      tally.withoutTarget++;
      return null;
    }
    if (targets.add(target)) {
      kafka.partitions(consumer, target); // a clear error, not a producer's wait for metadata
    }
    ByteBuffer payload = letter.getPayload().duplicate();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    tally.targets.merge(target, 1L, Long::sum);
    return new ProducerRecord<>(target, null, bytes);
  }

  /**
   * Waits for the broker's acknowledgement of everything sent, then commits the offsets handled.
   */
  private void acknowledgeAndCommit(
      KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, OffsetAndMetadata> handled,
      List<Future<RecordMetadata>> sent)
      throws InterruptedException {
    if (dryRun) {
      return;
    }
    producer.flush();
    for (Future<RecordMetadata> future : sent) {
      try {
        future.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "the broker refused a replayed record, so nothing since the last commit is committed"
                + " (a new run sends that batch again): "
                + e.getCause(),
            e);
      }
    }
    sent.clear();
    if (!handled.isEmpty()) {
      consumer.commitSync(handled);
    }
  }

  private Properties producerConfig(Map<String, String> client) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // Retries must not duplicate a replayed record.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "personalize-replay-dead-letters");
    return props;
  }

  /** What one run did with each dead letter it read. */
  private final class Tally {
    long replayed;
    long truncated;
    long withoutPayload;
    long withoutTarget;
    long notDeadLetters;
    final Map<DeadLetterReason, Long> left = new EnumMap<>(DeadLetterReason.class);
    final Map<String, Long> targets = new HashMap<>();

    String summary(boolean stopped) {
      StringBuilder text = new StringBuilder();
      text.append(
          String.format(
              "%s %,d dead letter%s (%s)",
              dryRun ? "would replay" : "replayed",
              replayed,
              replayed == 1 ? "" : "s",
              reasons.stream().map(Enum::name).sorted().toList()));
      if (!targets.isEmpty()) {
        text.append(" to ");
        List<String> parts = new ArrayList<>();
        targets.forEach((name, n) -> parts.add(String.format("'%s' (%,d)", name, n)));
        parts.sort(null);
        text.append(String.join(", ", parts));
      }
      if (!left.isEmpty()) {
        text.append("; left, of other reasons: ").append(left);
      }
      if (truncated > 0) {
        text.append(String.format("; %,d with a cut payload, not replayable", truncated));
      }
      if (withoutPayload > 0) {
        text.append(String.format("; %,d without a payload (a null record)", withoutPayload));
      }
      if (withoutTarget > 0) {
        text.append(String.format("; %,d without a source topic (--to)", withoutTarget));
      }
      if (notDeadLetters > 0) {
        text.append(String.format("; %,d records that are not dead letters", notDeadLetters));
      }
      text.append(stopped ? "; stopped" : "; read to the end of '" + topic + "'");
      text.append(
          dryRun
              ? " (dry run: nothing sent or committed)"
              : "; the next run of consumer group '" + group + "' starts after these");
      return text.toString();
    }
  }
}
