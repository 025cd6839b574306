package io.personalize.serving.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.DeadLetters;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.RawReaders;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.connectors.kafka.Topics;
import io.personalize.serving.RawProducers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code personalize replay-dead-letters} against a real broker: the payloads of the reasons asked
 * for go back to their source topic byte for byte, each once over several runs; other reasons, cut
 * payloads and null records stay; a dry run sends and commits nothing.
 */
class ReplayDeadLettersITCase {
  private static final AvroCodec<DeadLetter> CODEC = AvroCodec.of(DeadLetter.class);
  private static EmbeddedKafka kafka;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    try (Topics topics = new Topics(kafka.bootstrapServers())) {
      topics.create(2, Topics.KEEP_FOREVER, "interactions");
      topics.create(1, Topics.KEEP_FOREVER, "dead-letters");
    }
    producer = RawProducers.to(kafka.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theReasonsAskedForGoBackToTheirTopicEachOnceAndTheRestStays() throws Exception {
    byte[] first = framed("first");
    byte[] second = framed("second");
    letter(first, DeadLetterReason.REGISTRY_UNAVAILABLE, 0);
    letter(bytes("garbage"), DeadLetterReason.UNDECODABLE, 1);
    letter(second, DeadLetterReason.REGISTRY_UNAVAILABLE, 2);
    byte[] large = new byte[5_000];
    send(
        CODEC.encode(
            DeadLetters.fitTo(
                DeadLetters.of(
                    new RawRecord("interactions", 0, 3, 0, null, large),
                    DeadLetterReason.REGISTRY_UNAVAILABLE,
                    "registry down",
                    0),
                1_000)));
    letter(null, DeadLetterReason.REGISTRY_UNAVAILABLE, 4);

    String[] replay = {
      "--reason", "registry_unavailable", "--bootstrap-servers", kafka.bootstrapServers()
    };
    Result dry = run(append(replay, "--dry-run"));
    assertThat(dry.code).as(dry.err).isZero();
    assertThat(dry.out.lines().filter(line -> line.startsWith("{")))
        .hasSize(2)
        .allMatch(line -> line.contains("\"reason\":\"REGISTRY_UNAVAILABLE\""));
    assertThat(dry.out).contains("would replay 2 dead letters ([REGISTRY_UNAVAILABLE])");
    assertThat(interactions()).as("a dry run sends nothing").isEmpty();
    assertThat(committed()).as("and commits nothing").isEmpty();

    Result result = run(replay);
    assertThat(result.code).as(result.err).isZero();
    assertThat(result.out)
        .contains("replayed 2 dead letters ([REGISTRY_UNAVAILABLE]) to 'interactions' (2)")
        .contains("left, of other reasons: {UNDECODABLE=1}")
        .contains("1 with a cut payload, not replayable")
        .contains("1 without a payload");
    assertThat(result.err).contains("dead-letters 0@3: its payload was cut");
    assertThat(interactions()).containsExactlyInAnyOrder(first, second);

    Result again = run(replay);
    assertThat(again.out).contains("replayed 0 dead letters");
    assertThat(interactions()).as("each dead letter replayed once").hasSize(2);

    byte[] third = framed("third");
    letter(third, DeadLetterReason.REGISTRY_UNAVAILABLE, 5);
    Result later = run(replay);
    assertThat(later.out).contains("replayed 1 dead letter ([REGISTRY_UNAVAILABLE])");
    assertThat(interactions()).containsExactlyInAnyOrder(first, second, third);

    Result nowhere = run(append(replay, "--to", "nope"));
    assertThat(nowhere.code).isEqualTo(2);
    assertThat(nowhere.err).contains("no topic 'nope' at " + kafka.bootstrapServers());
  }

  @Test
  void aReasonThatDoesNotExistIsRefusedWithTheReasonsThereAre() {
    Result result = run("--reason", "REGISTRY_DOWN");

    assertThat(result.code).isEqualTo(2);
    assertThat(result.err).contains("REGISTRY_DOWN").contains("REGISTRY_UNAVAILABLE");
  }

  /** A schema-registry-framed record (00, a schema id, a body), as a registry outage leaves. */
  private static byte[] framed(String body) {
    byte[] text = bytes(body);
    byte[] framed = new byte[5 + text.length];
    framed[4] = 7;
    System.arraycopy(text, 0, framed, 5, text.length);
    return framed;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void letter(byte[] payload, DeadLetterReason reason, long offset)
      throws Exception {
    send(
        CODEC.encode(
            DeadLetters.of(
                new RawRecord("interactions", 0, offset, 0, null, payload),
                reason,
                reason.name(),
                0)));
  }

  private static void send(byte[] value) throws Exception {
    producer.send(new ProducerRecord<>("dead-letters", 0, null, value)).get();
  }

  private static List<byte[]> interactions() {
    List<byte[]> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(RawReaders.config(kafka.bootstrapServers(), Map.of(), "test"))) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition("interactions", 0), new TopicPartition("interactions", 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static Map<TopicPartition, ?> committed() throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", (Object) kafka.bootstrapServers()))) {
      return admin
          .listConsumerGroupOffsets("personalize-replay")
          .partitionsToOffsetAndMetadata()
          .get();
    }
  }

  private static String[] append(String[] args, String... more) {
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReplayDeadLettersCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
