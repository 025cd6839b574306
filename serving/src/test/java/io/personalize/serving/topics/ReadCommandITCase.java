package io.personalize.serving.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.Topics;
import io.personalize.serving.RawProducers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code personalize read} against a real broker: every kind of value a topic may hold is one JSON
 * line, the dead letters' reasons and payloads readable, and nothing committed.
 */
class ReadCommandITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
  private static final byte[] BINARY = {(byte) 0xC3, 0x01, 0x00, (byte) 0xFF, 0x10};
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    try (Topics topics = new Topics(kafka.bootstrapServers())) {
      topics.create(2, Topics.KEEP_FOREVER, "dead-letters");
      topics.create(1, Topics.KEEP_FOREVER, "empty");
    }
    try (KafkaProducer<byte[], byte[]> producer = RawProducers.to(kafka.bootstrapServers())) {
      // Partition 0: the dead letters of a text record and of a binary one, a JSON object.
      send(producer, 0, "u1", DEAD_LETTERS.encode(letter("this is not avro", 7)));
      send(producer, 0, null, DEAD_LETTERS.encode(letter(BINARY, 8)));
      send(producer, 0, "u2", "{\"userId\": \"u2\"}".getBytes(StandardCharsets.UTF_8));
      // Partition 1: bytes of no format, a tombstone, Avro of a schema the engine does not have.
      send(producer, 1, "u3", new byte[] {0x01, 0x02, 0x03});
      send(producer, 1, "u4", null);
      byte[] unknown = DEAD_LETTERS.encode(letter("x", 9));
      unknown[5] ^= 0x5A; // another fingerprint
      send(producer, 1, "u5", unknown);
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void everyRecordIsOneJsonLineWithTheDeadLettersReasonAndPayload() throws Exception {
    Result result = read("dead-letters", "--bootstrap-servers", kafka.bootstrapServers());

    assertThat(result.code).as(result.err).isZero();
    assertThat(result.lines).hasSize(6);
    assertThat(result.err).contains("6 records of 'dead-letters' (2 partitions): read to its end");

    JsonNode text = result.at(0, 0);
    assertThat(text.get("key").asText()).isEqualTo("u1");
    assertThat(text.get("format").asText()).isEqualTo("avro");
    assertThat(text.get("type").asText()).isEqualTo("DeadLetter");
    assertThat(text.at("/value/reason").asText()).isEqualTo("UNDECODABLE");
    assertThat(text.at("/value/detail").asText()).isEqualTo("detail 7");
    assertThat(text.at("/value/sourceOffset").asLong()).isEqualTo(7);
    assertThat(text.get("payloadText").asText()).isEqualTo("this is not avro");
    assertThat(text.get("timestamp").asText()).endsWith("Z");

    JsonNode binary = result.at(0, 1);
    assertThat(binary.get("key").isNull()).isTrue();
    assertThat(binary.has("payloadText")).isFalse();
    assertThat(Base64.getDecoder().decode(binary.at("/value/payload").asText())).isEqualTo(BINARY);

    JsonNode json = result.at(0, 2);
    assertThat(json.get("format").asText()).isEqualTo("json");
    assertThat(json.at("/value/userId").asText()).isEqualTo("u2");

    JsonNode unknown = result.at(1, 0);
    assertThat(unknown.get("format").asText()).isEqualTo("unknown");
    assertThat(unknown.get("error").asText()).contains("3 bytes starting 01 02 03");
    assertThat(Base64.getDecoder().decode(unknown.get("bytesBase64").asText()))
        .containsExactly(1, 2, 3);

    assertThat(result.at(1, 1).get("error").asText()).contains("tombstone");

    JsonNode otherSchema = result.at(1, 2);
    assertThat(otherSchema.get("format").asText()).isEqualTo("avro");
    assertThat(otherSchema.get("error").asText()).contains("a schema this engine does not have");

    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", (Object) kafka.bootstrapServers()))) {
      assertThat(admin.listConsumerGroups().all().get())
          .as("no group, nothing committed")
          .isEmpty();
    }
  }

  @Test
  void lastAndMaxLimitWhatIsRead() throws Exception {
    Result last =
        read("dead-letters", "--bootstrap-servers", kafka.bootstrapServers(), "--last", "1");
    assertThat(last.lines).hasSize(2);
    assertThat(last.lines).extracting(line -> line.get("offset").asLong()).containsOnly(2L);

    Result max =
        read("dead-letters", "--bootstrap-servers", kafka.bootstrapServers(), "--max", "4");
    assertThat(max.lines).hasSize(4);
    assertThat(max.err).contains("stopped at --max 4");

    Result empty = read("empty", "--bootstrap-servers", kafka.bootstrapServers());
    assertThat(empty.code).isZero();
    assertThat(empty.lines).isEmpty();
    assertThat(empty.err).contains("0 records of 'empty' (1 partition): read to its end");
  }

  /**
   * Regression: {@code read --follow | head -1} went on reading after {@code head} had exited, for
   * good: a {@link PrintWriter} keeps a closed pipe's error to itself.
   */
  @Test
  void aClosedOutputStopsEvenAFollow() {
    PrintWriter closed =
        new PrintWriter(
            new Writer() {
              @Override
              public void write(char[] chars, int offset, int length) throws IOException {
                throw new IOException("Broken pipe");
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            });
    StringWriter err = new StringWriter();

    int code =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                ReadCommand.run(
                    closed,
                    new PrintWriter(err),
                    "dead-letters",
                    "--follow",
                    "--bootstrap-servers",
                    kafka.bootstrapServers()));

    assertThat(code).isZero();
    assertThat(err.toString()).contains("of 'dead-letters'").contains("its output was closed");
  }

  @Test
  void aTopicThatDoesNotExistIsNamedWithTheTopicsThereAre() throws Exception {
    Result result = read("dead-letter", "--bootstrap-servers", kafka.bootstrapServers());

    assertThat(result.code).isEqualTo(2);
    assertThat(result.err)
        .startsWith("read: no topic 'dead-letter' at " + kafka.bootstrapServers())
        .contains("its topics: dead-letters, empty");
  }

  @Test
  void aSettingThatIsNotAKafkaClientSettingIsRefused() throws Exception {
    Result result =
        read(
            "dead-letters",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "-D",
            "personalize.serve.port=1");

    assertThat(result.code).isEqualTo(2);
    assertThat(result.err).contains("read takes Kafka client settings only");
  }

  private static DeadLetter letter(String payload, long offset) {
    return letter(payload.getBytes(StandardCharsets.UTF_8), offset);
  }

  private static DeadLetter letter(byte[] payload, long offset) {
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(payload))
        .setSourceTopic("interactions")
        .setSourcePartition(0)
        .setSourceOffset(offset)
        .setReason(DeadLetterReason.UNDECODABLE)
        .setDetail("detail " + offset)
        .setReceivedAtMillis(1_700_000_000_000L)
        .build();
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, int partition, String key, byte[] value)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                "dead-letters",
                partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value))
        .get();
  }

  private static Result read(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReadCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return new Result(code, lines, err.toString());
  }

  private record Result(int code, List<JsonNode> lines, String err) {
    /** The {@code index}-th line of {@code partition}, in offset order. */
    JsonNode at(int partition, int index) {
      return lines.stream()
          .filter(line -> line.get("partition").asInt() == partition)
          .skip(index)
          .findFirst()
          .orElseThrow();
    }
  }
}
