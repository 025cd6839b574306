package io.personalize.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.cluster.FlinkRest;
import io.personalize.cluster.Layout;
import io.personalize.cluster.LocalCluster;
import io.personalize.cluster.Polling;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.validation.EventValidator;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input from a client the project did not write: Kafka's own console producer ({@code
 * org.apache.kafka.tools.ConsoleProducer} from kafka-tools, as {@code kafka-console-producer.sh}
 * runs it), a process of its own, against the real cluster (a Kafka broker process, a Flink
 * JobManager and two TaskManagers). Every kind of damage sits between good records; each bad record
 * must land on the dead-letter topic with its reason, its bytes and the offset it had, or be
 * handled as docs/bad-input.md says; the job must never restart, and every user's state must count
 * exactly the records the job applies. The table of kinds and reasons seen goes to {@code
 * target/bad-input.txt}.
 *
 * <p>Two readers of the console producer: Kafka's {@code LineMessageReader} alone for what text can
 * say (random text, truncated JSON, an empty value, null values and a tombstone through {@code
 * null.marker}), and for binary values (all Avro, since single-object encoding starts with C3 01,
 * never valid UTF-8) {@link Base64ValueReader} through {@code --line-reader}: Kafka's line parsing,
 * the value base64-decoded. Kafka 4.2 ships no reader for binary values. Nothing is sent by a
 * producer of ours.
 */
@ExtendWith(SharedCluster.class)
class BadInputITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final String SEPARATOR = "|";
  private static final String NULL = "<null>";
  private static final long NOW = System.currentTimeMillis();
  private static final int GOOD_BETWEEN = 4;

  private static LocalCluster cluster;
  private static Layout layout;
  private static Path home;

  /** How a record reaches the console producer. */
  enum Reader {
    /** Kafka's default LineMessageReader: the value is the line's text as UTF-8. */
    KAFKA_LINES,
    /** {@link Base64ValueReader}: the value is the base64 text decoded. */
    BASE64
  }

  /**
   * One record as the console producer sends it.
   *
   * @param expected the dead-letter reason, or null for a record the job applies
   * @param appliedTo the user whose count the record raises, when the job applies it
   */
  record Sent(
      String kind,
      Reader reader,
      String key,
      byte[] value,
      String text,
      DeadLetterReason expected,
      String appliedTo) {
    String line() {
      String k = key == null ? NULL : key;
      String v =
          value == null
              ? NULL
              : reader == Reader.BASE64 ? Base64.getEncoder().encodeToString(value) : text;
      return k + SEPARATOR + v;
    }

    byte[] keyBytes() {
      return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    boolean good() {
      return kind.equals("good");
    }
  }

  @BeforeAll
  static void useTheSharedCluster() {
    cluster = SharedCluster.get();
    home = SharedCluster.HOME;
    layout = Layout.fromSystemProperty();
  }

  @Test
  void everyKindOfBadInputFromTheConsoleProducerIsSetAsideOrHandledAsDocumented() throws Exception {
    long start = System.nanoTime();
    ClusterJob job = new ClusterJob(cluster, "bad", 2);
    // Bad records never pass validation, and the good ones are counted in the users' profiles: the
    // recommending half would add only time.
    job.submit(2, null, "--recommend-enabled", "false");
    String topic = job.topic("interactions");

    List<Sent> records = interleave(badKinds());
    List<List<Sent>> runs = runs(records);
    long producing = System.nanoTime();
    for (int i = 0; i < runs.size(); i++) {
      consoleProducer(
          runs.get(i), topic, home.resolve("logs").resolve("console-producer-" + i + ".log"));
    }
    double producingSeconds = (System.nanoTime() - producing) / 1e9;
    long badCount = records.stream().filter(r -> r.expected() != null).count();
    for (Sent r : records) {
      if (r.appliedTo() != null) {
        job.expectApplied(r.appliedTo(), 1);
      }
    }

    // Where each record landed: the first record of the topic not matched yet with the same key and
    // value (a partition keeps the order records were sent in).
    List<ConsumerRecord<byte[], byte[]>> inTopic = job.readAll(topic);
    assertThat(inTopic).as("records in %s, one per line sent", topic).hasSize(records.size());
    Map<Sent, ConsumerRecord<byte[], byte[]>> landed = new IdentityHashMap<>();
    boolean[] claimed = new boolean[inTopic.size()];
    for (Sent r : records) {
      for (int i = 0; i < inTopic.size(); i++) {
        ConsumerRecord<byte[], byte[]> c = inTopic.get(i);
        if (!claimed[i]
            && Arrays.equals(c.key(), r.keyBytes())
            && Arrays.equals(c.value(), r.value())) {
          claimed[i] = true;
          landed.put(r, c);
          break;
        }
      }
      assertThat(landed).as("the topic holds the record of kind '%s'", r.kind()).containsKey(r);
    }

    job.awaitScored(job.producedTotal);
    FlinkRest rest = cluster.rest();
    Polling.await(
        () -> job.deadLetters() >= badCount,
        Duration.ofMinutes(2),
        () -> job.deadLetters() + " dead letters, expected " + badCount);
    AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
    Map<String, DeadLetter> byOrigin = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> c : job.readAll(job.topic("dead-letters"))) {
      DeadLetter letter = letters.decode(c.value());
      byOrigin.put(letter.getSourcePartition() + "@" + letter.getSourceOffset(), letter);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    List<String> table = new ArrayList<>();
    table.add(
        String.format(
            "%-40s %-11s %-16s %s", "kind", "reader", "expected", "seen (dead letter or state)"));
    for (Sent r : records) {
      if (r.good()) {
        continue;
      }
      ConsumerRecord<byte[], byte[]> c = landed.get(r);
      DeadLetter letter = byOrigin.get(c.partition() + "@" + c.offset());
      String seen =
          letter == null
              ? "no dead letter; applied to user " + abbreviate(String.valueOf(r.appliedTo()), 12)
              : letter.getReason() + ": " + abbreviate(letter.getDetail(), 110);
      table.add(
          String.format(
              "%-40s %-11s %-16s %s",
              r.kind(),
              r.reader() == Reader.BASE64 ? "base64" : "Kafka lines",
              r.expected() == null ? "applied" : r.expected(),
              seen));
    }
    table.add(
        String.format(
            "%d records (%d good, %d kinds of damage) in %d console-producer runs (%.1f s); %d dead"
                + " letters; job restarts %d; %.1f s from submission until the dead letters were"
                + " read",
            records.size(),
            records.stream().filter(Sent::good).count(),
            records.size() - records.stream().filter(Sent::good).count(),
            runs.size(),
            producingSeconds,
            byOrigin.size(),
            rest.restarts(job.jobId),
            seconds));
    table.forEach(System.out::println);
    Files.write(Path.of("target", "bad-input.txt"), table);

    for (Sent r : records) {
      ConsumerRecord<byte[], byte[]> c = landed.get(r);
      DeadLetter letter = byOrigin.get(c.partition() + "@" + c.offset());
      if (r.expected() == null) {
        assertThat(letter).as("dead letter of '%s' (applied)", r.kind()).isNull();
        continue;
      }
      assertThat(letter)
          .as("dead letter of '%s' at %s", r.kind(), c.partition() + "@" + c.offset())
          .isNotNull();
      assertThat(letter.getReason()).as("reason of '%s'", r.kind()).isEqualTo(r.expected());
      assertThat(letter.getSourceTopic()).isEqualTo(topic);
      assertThat(letter.getDetail()).isNotBlank();
      assertThat(bytes(letter.getPayload())).as("payload of '%s'", r.kind()).isEqualTo(r.value());
    }
    job.assertEveryEventAppliedOnce(); // good records, the duplicate twice, the odd but valid ones
    assertThat(byOrigin)
        .as("dead letters: one per bad record, none for a good one")
        .hasSize((int) badCount);
    assertThat(rest.restarts(job.jobId)).as("job restarts").isZero();
    assertThat(rest.isFullyRunning(job.jobId)).as("job still running").isTrue();
    rest.cancel(job.jobId);
  }

  /** Every kind of damage, and the records the job takes although they look odd. */
  private static List<Sent> badKinds() {
    List<Sent> kinds = new ArrayList<>();
    Random random = new Random(11);
    byte[] noise = new byte[64];
    random.nextBytes(noise);
    noise[0] = 0x42; // not C3: random bytes, not a header by chance
    kinds.add(binary("random bytes (64)", "u1", noise, DeadLetterReason.UNDECODABLE));
    kinds.add(
        text("random UTF-8 text", "u2", randomText(random, 48), DeadLetterReason.UNDECODABLE));
    kinds.add(
        text(
            "truncated JSON (a JSON event cut short)",
            "u3",
            "{\"userId\":\"u3\",\"itemId\":\"i1\",\"eventType\":\"RATING\",\"value\":4,"
                + "\"eventTimeMillis\":"
                + (NOW - 1000),
            DeadLetterReason.UNDECODABLE));
    byte[] good = EVENTS.encode(event("u4", "i1", 4, NOW - 1000));
    kinds.add(
        binary(
            "truncated Avro (body cut short)",
            "u4",
            Arrays.copyOf(good, good.length - 6),
            DeadLetterReason.UNDECODABLE));
    kinds.add(
        binary(
            "truncated Avro (inside the header)",
            "u4",
            Arrays.copyOf(good, 6),
            DeadLetterReason.UNDECODABLE));
    kinds.add(
        binary(
            "wrong schema (ItemMetadata)",
            "u5",
            AvroCodec.of(ItemMetadata.class)
                .encode(ItemMetadata.newBuilder().setItemId("i1").setUpdateTimeMillis(0).build()),
            DeadLetterReason.WRONG_SCHEMA));
    kinds.add(
        binary(
            "unknown event type (newer schema, SHARE)",
            "u5",
            newerSchemaEvent("u5", "i2"),
            DeadLetterReason.WRONG_SCHEMA));
    kinds.add(
        binary(
            "unknown event type (enum index 4)",
            "u6",
            withEventTypeIndex(event("u6", "i3", 4, NOW - 1000), 4),
            DeadLetterReason.UNDECODABLE));
    kinds.add(
        new Sent(
            "null value, no key",
            Reader.KAFKA_LINES,
            null,
            null,
            null,
            DeadLetterReason.UNDECODABLE,
            null));
    kinds.add(text("empty value", "u7", "", DeadLetterReason.UNDECODABLE));
    kinds.add(
        new Sent(
            "tombstone (key, null value)",
            Reader.KAFKA_LINES,
            "u8",
            null,
            null,
            DeadLetterReason.UNDECODABLE,
            null));
    kinds.add(avro("empty user id", event("", "i4", 3, NOW - 1000), DeadLetterReason.MISSING_ID));
    kinds.add(
        avro("blank user id", event("   ", "i4", 3, NOW - 1000), DeadLetterReason.MISSING_ID));
    String tooLong = "x".repeat(EventValidator.MAX_ID_LENGTH + 1);
    kinds.add(
        avro(
            "user id of 257 chars",
            event(tooLong, "i4", 3, NOW - 1000),
            DeadLetterReason.INVALID_ID));
    kinds.add(
        avro(
            "item id of 10,000 chars",
            event("u1", "y".repeat(10_000), 3, NOW - 1000),
            DeadLetterReason.INVALID_ID));
    kinds.add(
        avro(
            "control character in user id",
            event("u\u0007x", "i4", 3, NOW - 1000),
            DeadLetterReason.INVALID_ID));
    kinds.add(
        avro(
            "NaN value",
            event("u2", "i5", Double.NaN, NOW - 1000),
            DeadLetterReason.INVALID_VALUE));
    kinds.add(
        avro(
            "infinite value",
            event("u2", "i5", Double.POSITIVE_INFINITY, NOW - 1000),
            DeadLetterReason.INVALID_VALUE));
    kinds.add(
        avro(
            "rating 7 on the 1..5 scale",
            event("u3", "i5", 7, NOW - 1000),
            DeadLetterReason.INVALID_VALUE));
    kinds.add(
        avro(
            "far future (now + 30 days)",
            event("u3", "i6", 4, NOW + Duration.ofDays(30).toMillis()),
            DeadLetterReason.FUTURE_TIMESTAMP));
    kinds.add(
        avro(
            "end of time (Long.MAX_VALUE)",
            event("u4", "i6", 4, Long.MAX_VALUE),
            DeadLetterReason.FUTURE_TIMESTAMP));
    kinds.add(
        avro(
            "far past (Long.MIN_VALUE)",
            event("u5", "i6", 4, Long.MIN_VALUE),
            DeadLetterReason.INVALID_VALUE));
    // Accepted: history is old; the user has events already, so its idle timer is not in the past.
    kinds.add(
        applied(
            "far past (1971-01-01, known user)",
            event("u6", "i7", 4, Instant.parse("1971-01-01T00:00:00Z").toEpochMilli())));
    kinds.add(
        applied(
            "user id of exactly 256 chars",
            event("z".repeat(EventValidator.MAX_ID_LENGTH), "i7", 4, NOW - 1000)));
    kinds.add(null); // the exact duplicate of the good record before it: filled in by interleave
    return kinds;
  }

  /** {@link #GOOD_BETWEEN} good records before each kind and after the last one. */
  private static List<Sent> interleave(List<Sent> kinds) {
    List<Sent> out = new ArrayList<>();
    int n = 0;
    for (Sent kind : kinds) {
      for (int i = 0; i < GOOD_BETWEEN; i++, n++) {
        out.add(good(n));
      }
      if (kind == null) {
        Sent last = out.get(out.size() - 1);
        kind =
            new Sent(
                "exact duplicate of a good record",
                Reader.BASE64,
                last.key(),
                last.value(),
                null,
                null,
                last.appliedTo());
      }
      out.add(kind);
    }
    for (int i = 0; i < GOOD_BETWEEN; i++, n++) {
      out.add(good(n));
    }
    return out;
  }

  /** The n-th good record: 8 users, 20 items, ratings 1..5, in the last hour. */
  private static Sent good(int n) {
    String user = "u" + (1 + n % 8);
    InteractionEvent e = event(user, "i" + (1 + n % 20), 1 + n % 5, NOW - 3_600_000 + n * 1000L);
    return new Sent("good", Reader.BASE64, user, EVENTS.encode(e), null, null, user);
  }

  /**
   * Three console-producer processes (each takes seconds to start): the first half of the records
   * its line reader decodes (good ones among them), then every record of the stock line reader,
   * then the rest. So the stock reader's damage lands between good records too.
   */
  private static List<List<Sent>> runs(List<Sent> records) {
    List<Sent> base64 = records.stream().filter(r -> r.reader() == Reader.BASE64).toList();
    List<Sent> text = records.stream().filter(r -> r.reader() != Reader.BASE64).toList();
    int half = base64.size() / 2;
    return List.of(base64.subList(0, half), text, base64.subList(half, base64.size())).stream()
        .filter(run -> !run.isEmpty())
        .toList();
  }

  /**
   * Runs Kafka's console producer with {@code records} as the lines of its stdin:
   *
   * <pre>
   * java -cp KAFKA_CLASSPATH org.apache.kafka.tools.ConsoleProducer --bootstrap-server HOST:PORT
   *     --topic TOPIC --timeout 0 --reader-property parse.key=true
   *     --reader-property key.separator=| --reader-property null.marker=&lt;null&gt;
   *     [--line-reader io.personalize.it.cluster.Base64ValueReader]
   * </pre>
   */
  private static void consoleProducer(List<Sent> records, String topic, Path log)
      throws IOException, InterruptedException, java.net.URISyntaxException {
    String classpath = layout.kafkaClasspath();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1", // a short run: start fast
                "-cp",
                classpath,
                "org.apache.kafka.tools.ConsoleProducer",
                "--bootstrap-server",
                cluster.kafka(),
                "--topic",
                topic,
                "--timeout", // linger.ms: nothing more comes once stdin ends
                "0",
                "--reader-property",
                "parse.key=true",
                "--reader-property",
                "key.separator=" + SEPARATOR,
                "--reader-property",
                "null.marker=" + NULL));
    if (records.get(0).reader() == Reader.BASE64) {
      // The reader class runs in the producer's JVM: this test's classes join its classpath.
      String own =
          Path.of(
                  Base64ValueReader.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toString();
      command.set(command.indexOf("-cp") + 1, classpath + File.pathSeparator + own);
      command.addAll(List.of("--line-reader", Base64ValueReader.class.getName()));
    }
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try (OutputStream stdin = process.getOutputStream()) {
      for (Sent r : records) {
        stdin.write((r.line() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("console producer ended").isTrue();
    assertThat(process.exitValue())
        .as("console producer exit code; output:%n%s", Files.readString(log))
        .isZero();
  }

  private static Sent binary(String kind, String key, byte[] value, DeadLetterReason reason) {
    return new Sent(kind, Reader.BASE64, key, value, null, reason, null);
  }

  private static Sent text(String kind, String key, String text, DeadLetterReason reason) {
    return new Sent(
        kind, Reader.KAFKA_LINES, key, text.getBytes(StandardCharsets.UTF_8), text, reason, null);
  }

  /** An event the job rejects, keyed by its user id as our producer keys. */
  private static Sent avro(String kind, InteractionEvent e, DeadLetterReason reason) {
    return binary(kind, e.getUserId(), EVENTS.encode(e), reason);
  }

  /** An event the job takes although it looks odd. */
  private static Sent applied(String kind, InteractionEvent e) {
    return new Sent(
        kind, Reader.BASE64, e.getUserId(), EVENTS.encode(e), null, null, e.getUserId());
  }

  private static InteractionEvent event(String user, String item, double value, long time) {
    return InteractionEvent.newBuilder()
        .setUserId(user)
        .setItemId(item)
        .setEventType(EventType.RATING)
        .setValue(value)
        .setEventTimeMillis(time)
        .build();
  }

  /**
   * The event with its event-type enum index set to {@code index} (0..3 are RATING, CLICK, VIEW,
   * PURCHASE), under the current schema's fingerprint: what a producer with a newer enum would
   * write if it kept the old fingerprint.
   */
  private static byte[] withEventTypeIndex(InteractionEvent e, int index) {
    byte[] bytes = EVENTS.encode(e);
    // Header (10 bytes), then userId and itemId (a one-byte length, zigzag, for short ids), then
    // the enum index as a zigzag varint.
    int at = 10 + 1 + e.getUserId().length() + 1 + e.getItemId().length();
    assertThat(bytes[at]).as("RATING's index").isEqualTo((byte) 0);
    bytes[at] = (byte) (index << 1);
    return bytes;
  }

  /** A valid single-object record of InteractionEvent with EventType + SHARE (a newer schema). */
  private static byte[] newerSchemaEvent(String user, String item) {
    String json = InteractionEvent.getClassSchema().toString();
    String symbols = "[\"RATING\",\"CLICK\",\"VIEW\",\"PURCHASE\"]";
    assertThat(json).contains(symbols);
    Schema schema =
        new Schema.Parser()
            .parse(json.replace(symbols, "[\"RATING\",\"CLICK\",\"VIEW\",\"PURCHASE\",\"SHARE\"]"));
    GenericRecord record = new GenericData.Record(schema);
    record.put("userId", user);
    record.put("itemId", item);
    record.put(
        "eventType", new GenericData.EnumSymbol(schema.getField("eventType").schema(), "SHARE"));
    record.put("value", 1.0);
    record.put("eventTimeMillis", NOW - 1000);
    try {
      ByteBuffer buffer =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
      return bytes(buffer);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Random characters, none a line break: ASCII, Latin-1, Greek, CJK and an emoji. */
  private static String randomText(Random random, int length) {
    int[][] ranges = {
      {0x20, 0x7E}, {0xA0, 0xFF}, {0x391, 0x3C9}, {0x4E00, 0x4FFF}, {0x1F600, 0x1F64F}
    };
    StringBuilder text = new StringBuilder("~");
    while (text.codePointCount(0, text.length()) < length) {
      int[] range = ranges[random.nextInt(ranges.length)];
      text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    return text.toString();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
