package io.personalize.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.format.WireFormat;
import io.personalize.testing.RegistryRecords;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schema-registry wire format through {@link RecordDecoder}, against a registry in-process. */
class RegistryAvroTest {
  private static final Schema CURRENT = InteractionEvent.getClassSchema();
  private static final long TIME = 1_796_284_800_000L;

  private FakeRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void firstByteZeroIsTheRegistryFormatHoweverShort() {
    assertThat(WireFormat.detect(new byte[] {0})).isEqualTo(WireFormat.REGISTRY_AVRO);
    assertThat(WireFormat.detect(new byte[] {0, 0, 0, 0, 1, 2}))
        .isEqualTo(WireFormat.REGISTRY_AVRO);
    assertThat(WireFormat.detect(new byte[] {(byte) 0xC3, 1})).isEqualTo(WireFormat.AVRO);
  }

  @Test
  void framingShorterThanFiveBytesIsCutShort() {
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));
    for (int n = 1; n < 5; n++) {
      int length = n;
      assertRejected(
          () -> decoder.decode(new byte[length]),
          DeadLetterReason.UNDECODABLE,
          "schema-registry framing cut short: " + length + " bytes");
    }
    assertThat(registry.requests).hasValue(0);
  }

  @Test
  void headerWithoutBodyOrCutBodyIsUndecodable() {
    registry.put(1, CURRENT);
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));
    byte[] good = RegistryRecords.frame(1, event(CURRENT));
    assertRejected(
        () -> decoder.decode(Arrays.copyOf(good, 5)),
        DeadLetterReason.UNDECODABLE,
        "corrupt or truncated InteractionEvent of schema id 1: data ends");
    assertRejected(
        () -> decoder.decode(Arrays.copyOf(good, good.length - 3)),
        DeadLetterReason.UNDECODABLE,
        "of schema id 1");
    byte[] trailing = Arrays.copyOf(good, good.length + 2);
    assertRejected(
        () -> decoder.decode(trailing), DeadLetterReason.UNDECODABLE, "2 bytes left over");
  }

  @Test
  void randomBodiesNeverDecodeToGarbageOrCrash() {
    registry.put(1, CURRENT);
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));
    Random random = new Random(7);
    for (int n = 0; n < 500; n++) {
      byte[] bytes = new byte[5 + random.nextInt(60)];
      random.nextBytes(bytes);
      bytes[0] = 0;
      bytes[1] = bytes[2] = bytes[3] = 0;
      bytes[4] = 1;
      try {
        decoder.decode(bytes);
      } catch (DecodingException e) {
        assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
      }
    }
  }

  @Test
  void readsTheCurrentSchema() {
    registry.put(1, CURRENT);
    InteractionEvent event = decoder(Duration.ofSeconds(1)).decode(frame(1, CURRENT));
    assertThat(event.getUserId()).isEqualTo("u405");
    assertThat(event.getValue()).isEqualTo(4.0);
    assertThat(event.getEventTimeMillis()).isEqualTo(TIME);
  }

  @Test
  void readsAWriterWithAnExtraFieldAndOneWithoutAFieldThatHasADefault() {
    Schema extra = RegistryRecords.withExtraField(CURRENT, "sessionId");
    Schema fewer = RegistryRecords.withoutField(CURRENT, "context");
    registry.put(2, extra);
    registry.put(3, fewer);
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));

    Map<String, Object> values = values();
    values.put("sessionId", "s1");
    InteractionEvent fromExtra =
        decoder.decode(RegistryRecords.frame(2, RegistryRecords.record(extra, values)));
    assertThat(fromExtra.getItemId()).isEqualTo("i50");
    assertThat(fromExtra.getContext()).isEqualTo(Map.of("device", "phone"));

    InteractionEvent fromFewer = decoder.decode(frame(3, fewer));
    assertThat(fromFewer.getItemId()).isEqualTo("i50");
    assertThat(fromFewer.getContext()).isNull();
  }

  @Test
  void incompatibleWriterSchemaIsWrongSchemaWithAvrosReason() {
    Schema stringValue = RegistryRecords.withFieldType(CURRENT, "value", Schema.Type.STRING);
    registry.put(4, stringValue);
    registry.put(5, ItemMetadata.getClassSchema());
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));
    Map<String, Object> values = values();
    values.put("value", "4");
    assertRejected(
        () -> decoder.decode(RegistryRecords.frame(4, RegistryRecords.record(stringValue, values))),
        DeadLetterReason.WRONG_SCHEMA,
        "writer schema id 4 (io.personalize.avro.InteractionEvent) cannot be read as"
            + " InteractionEvent: TYPE_MISMATCH at /fields/3/type");
    ItemMetadata item = ItemMetadata.newBuilder().setItemId("i1").setUpdateTimeMillis(0).build();
    assertRejected(
        () -> decoder.decode(RegistryRecords.frame(5, item)),
        DeadLetterReason.WRONG_SCHEMA,
        "(io.personalize.avro.ItemMetadata) cannot be read as InteractionEvent: NAME_MISMATCH");
  }

  @Test
  void notAnAvroSchemaIsWrongSchema() {
    registry.putAnswer(
        6, "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}");
    registry.putAnswer(7, "{\"schema\": \"{\\\"type\\\": \\\"nonsense\\\"}\"}");
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));
    assertRejected(
        () -> decoder.decode(new byte[] {0, 0, 0, 0, 6, 1}),
        DeadLetterReason.WRONG_SCHEMA,
        "schema id 6 is a PROTOBUF schema, not Avro");
    assertRejected(
        () -> decoder.decode(new byte[] {0, 0, 0, 0, 7, 1}),
        DeadLetterReason.WRONG_SCHEMA,
        "schema id 7 is not an Avro schema");
  }

  @Test
  void unknownIdIsADeadLetterAtOnce() {
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(30));
    long start = System.nanoTime();
    assertRejected(
        () -> decoder.decode(frame(99, CURRENT)),
        DeadLetterReason.UNKNOWN_SCHEMA_ID,
        "schema id 99 is not in the schema registry (Schema not found)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(registry.requests).hasValue(1);
  }

  @Test
  void aSchemaIsFetchedOnceThenServedFromTheCache() {
    registry.put(1, CURRENT);
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofSeconds(1));
    decoder.decode(frame(1, CURRENT));
    assertThat(registry.requests).hasValue(1);
    decoder.decode(frame(1, CURRENT));
    // Another decoder of the same settings (another task in this JVM) shares the schemas.
    RecordDecoder.of(InteractionEvent.class, settings(Duration.ofSeconds(1)))
        .decode(frame(1, CURRENT));
    assertThat(registry.requests).hasValue(1);
  }

  @Test
  void aSchemaAnotherTaskFetchedIsReadWhileTheRegistryIsDown() {
    registry.put(1, CURRENT);
    decoder(Duration.ZERO).decode(frame(1, CURRENT));
    registry.down = true;
    RecordDecoder<InteractionEvent> other = decoder(Duration.ZERO);
    assertRejected(
        () -> other.decode(frame(2, CURRENT)), DeadLetterReason.REGISTRY_UNAVAILABLE, "HTTP 503");
    assertThat(other.decode(frame(1, CURRENT)).getUserId()).isEqualTo("u405");
  }

  @Test
  void withoutARegistryTheDetailSaysNoneIsConfigured() {
    assertRejected(
        () -> RecordDecoder.of(InteractionEvent.class).decode(frame(1, CURRENT)),
        DeadLetterReason.REGISTRY_UNAVAILABLE,
        "schema-registry framing (schema id 1) but no schema registry is configured");
  }

  @Test
  void whileTheRegistryIsDownRecordsWaitThenAreDeadLettersUntilItIsBack() throws Exception {
    registry.put(1, CURRENT);
    registry.down = true;
    RecordDecoder<InteractionEvent> decoder = decoder(Duration.ofMillis(700));

    long start = System.nanoTime();
    assertRejected(
        () -> decoder.decode(frame(1, CURRENT)), DeadLetterReason.REGISTRY_UNAVAILABLE, "HTTP 503");
    long waited = System.nanoTime() - start;
    assertThat(Duration.ofNanos(waited)).isBetween(Duration.ofMillis(650), Duration.ofSeconds(3));
    assertThat(decoder.registry().outages()).isEqualTo(1);
    assertThat(decoder.registry().retries()).isGreaterThanOrEqualTo(2);

    // The outage is older than the wait: the next record is a dead letter at once.
    start = System.nanoTime();
    assertRejected(
        () -> decoder.decode(frame(1, CURRENT)), DeadLetterReason.REGISTRY_UNAVAILABLE, "replay");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));

    registry.down = false;
    // The decoder asks again at most once a second: records are dead letters until it has.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    InteractionEvent event = null;
    while (event == null) {
      try {
        event = decoder.decode(frame(1, CURRENT));
      } catch (DecodingException stillDown) {
        assertThat(System.nanoTime()).as("read again within 5 s").isLessThan(deadline);
        Thread.sleep(50);
      }
    }
    assertThat(event.getUserId()).isEqualTo("u405");
    assertThat(decoder.registry().outages()).isEqualTo(1);
  }

  @Test
  void aRegistryThatDoesNotListenIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    RegistrySettings settings =
        new RegistrySettings(
            "http://127.0.0.1:" + closedPort, "", "", 10, Duration.ofSeconds(1), Duration.ZERO);
    assertRejected(
        () -> RecordDecoder.of(InteractionEvent.class, settings).decode(frame(1, CURRENT)),
        DeadLetterReason.REGISTRY_UNAVAILABLE,
        "ConnectException");
  }

  @Test
  void aWrongPathIsUnavailableNotAnUnknownId() {
    RegistrySettings settings =
        new RegistrySettings(
            registry.url() + "/wrong", "", "", 10, Duration.ofSeconds(1), Duration.ZERO);
    assertRejected(
        () -> RecordDecoder.of(InteractionEvent.class, settings).decode(frame(1, CURRENT)),
        DeadLetterReason.REGISTRY_UNAVAILABLE,
        "HTTP 404");
  }

  @Test
  void sendsBasicAuthAndTheLogsNeverShowThePassword() {
    String password = "s3cret-Pa55word";
    registry.credentials = "engine:" + password;
    registry.put(1, CURRENT);
    StringWriter logs = new StringWriter();
    WriterAppender appender = capture(logs);
    try {
      RegistrySettings good =
          new RegistrySettings(
              registry.url(), "engine", password, 10, Duration.ofSeconds(1), Duration.ZERO);
      assertThat(RecordDecoder.of(InteractionEvent.class, good).decode(frame(1, CURRENT)))
          .isNotNull();

      registry.down = true;
      RegistrySettings downSettings =
          new RegistrySettings(
              registry.url() + "/", "engine", password, 10, Duration.ofSeconds(1), Duration.ZERO);
      Throwable down =
          catchDecoding(
              () ->
                  RecordDecoder.of(InteractionEvent.class, downSettings).decode(frame(2, CURRENT)));
      registry.down = false;
      RegistrySettings wrong =
          new RegistrySettings(
              registry.url(),
              "engine",
              "not-" + password,
              10,
              Duration.ofSeconds(1),
              Duration.ZERO);
      Throwable refused =
          catchDecoding(
              () -> RecordDecoder.of(InteractionEvent.class, wrong).decode(frame(1, CURRENT)));

      assertThat(refused).hasMessageContaining("HTTP 401");
      assertThat(logs.toString()).contains("is unavailable (HTTP 503").contains("HTTP 401");
      assertThat(logs.toString()).doesNotContain(password);
      assertThat(down.getMessage()).doesNotContain(password);
      assertThat(refused.getMessage()).doesNotContain(password);
      assertThat(good.toString()).doesNotContain(password).contains("password=******");
    } finally {
      release(appender);
    }
  }

  @Test
  void settingsRefuseCredentialsInTheUrl() {
    assertThat(RegistrySettings.urlProblem("http://user:pw@registry:8081")).contains("credentials");
    assertThat(RegistrySettings.urlProblem("ftp://registry")).contains("http");
    assertThat(RegistrySettings.urlProblem("http://registry:8081/apis/ccompat/v7")).isNull();
    assertThat(RegistrySettings.urlProblem("")).isNull();
  }

  private RegistrySettings settings(Duration maxWait) {
    return new RegistrySettings(registry.url(), "", "", 100, Duration.ofSeconds(2), maxWait);
  }

  private RecordDecoder<InteractionEvent> decoder(Duration maxWait) {
    return RecordDecoder.of(InteractionEvent.class, settings(maxWait));
  }

  private static Map<String, Object> values() {
    Map<String, Object> values = new HashMap<>();
    values.put("userId", "u405");
    values.put("itemId", "i50");
    values.put("eventType", "RATING");
    values.put("value", 4.0);
    values.put("eventTimeMillis", TIME);
    values.put("context", Map.of("device", "phone"));
    return values;
  }

  private static GenericRecord event(Schema schema) {
    Map<String, Object> values = values();
    values.keySet().retainAll(schema.getFields().stream().map(Schema.Field::name).toList());
    return RegistryRecords.record(schema, values);
  }

  private static byte[] frame(int id, Schema schema) {
    return RegistryRecords.frame(id, event(schema));
  }

  private static void assertRejected(
      ThrowingCallable decode, DeadLetterReason reason, String detail) {
    assertThatThrownBy(decode)
        .isInstanceOf(DecodingException.class)
        .hasMessageContaining(detail)
        .satisfies(e -> assertThat(((DecodingException) e).reason()).isEqualTo(reason));
  }

  private static Throwable catchDecoding(ThrowingCallable decode) {
    try {
      decode.call();
    } catch (Throwable e) {
      assertThat(e).isInstanceOf(DecodingException.class);
      return e;
    }
    throw new AssertionError("decoded");
  }

  private static WriterAppender capture(StringWriter target) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    WriterAppender appender =
        WriterAppender.newBuilder()
            .setName("capture")
            .setTarget(target)
            .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n").build())
            .build();
    appender.start();
    context.getConfiguration().addAppender(appender);
    context.getRootLogger().addAppender(appender);
    return appender;
  }

  private static void release(WriterAppender appender) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getRootLogger().removeAppender(appender);
    appender.stop();
  }
}
