package io.personalize.job.harness;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.json.JsonEvents;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.job.Descriptors;
import io.personalize.job.ValidEvent;
import io.personalize.job.ValidateInteractions;
import io.personalize.job.config.JobConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ValidateInteractions}: a good record passes with its fields unchanged; every kind of bad
 * record goes to the dead-letter side output with its reason, its original bytes and its origin,
 * and never throws; offsets the source skipped are counted and logged, across restores too.
 */
class ValidateInteractionsTest {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final long NOW = System.currentTimeMillis();
  private static final String TOPIC = "interactions";

  private OneInputStreamOperatorTestHarness<RawRecord, ValidEvent> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ValidateInteractions(JobConfig.defaults()));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static InteractionEvent event(
      String user, String item, EventType type, double value, long time) {
    return InteractionEvent.newBuilder()
        .setUserId(user)
        .setItemId(item)
        .setEventType(type)
        .setValue(value)
        .setEventTimeMillis(time)
        .build();
  }

  private static RawRecord raw(int partition, long offset, byte[] value) {
    return new RawRecord(TOPIC, partition, offset, NOW, null, value);
  }

  @Test
  void goodRatingPassesWithItsFieldsUnchanged() throws Exception {
    InteractionEvent rating = event("user-7", "item-42", EventType.RATING, 4.5, NOW - 60_000);

    harness.processElement(raw(1, 17, EVENTS.encode(rating)), NOW);

    List<ValidEvent> out = harness.extractOutputValues();
    assertThat(out).hasSize(1);
    ValidEvent valid = out.get(0);
    assertThat(valid.userId).isEqualTo("user-7");
    assertThat(valid.itemId).isEqualTo("item-42");
    assertThat(valid.eventType).isEqualTo("RATING");
    assertThat(valid.value).isEqualTo(4.5);
    assertThat(valid.eventTimeMillis).isEqualTo(NOW - 60_000);
    assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS)).isNull();
  }

  @Test
  void aJsonEventPassesAsItsAvroTwinDoes() throws Exception {
    InteractionEvent rating = event("user-7", "item-42", EventType.RATING, 4.5, NOW - 60_000);
    String iso =
        new String(json(rating), StandardCharsets.UTF_8)
            .replace(Long.toString(NOW - 60_000), "\"" + Instant.ofEpochMilli(NOW - 60_000) + "\"");

    harness.processElement(raw(1, 17, EVENTS.encode(rating)), NOW);
    harness.processElement(raw(1, 18, json(rating)), NOW);
    harness.processElement(raw(1, 19, iso.getBytes(StandardCharsets.UTF_8)), NOW);

    assertThat(harness.extractOutputValues())
        .extracting(
            e ->
                e.userId
                    + " "
                    + e.itemId
                    + " "
                    + e.eventType
                    + " "
                    + e.value
                    + " @"
                    + e.eventTimeMillis)
        .containsOnly("user-7 item-42 RATING 4.5 @" + (NOW - 60_000))
        .hasSize(3);
    assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS)).isNull();
  }

  @Test
  void implicitEventsAndRatingsOnTheScaleEdgesPass() throws Exception {
    harness.processElement(raw(0, 1, EVENTS.encode(event("u", "i", EventType.CLICK, 1, 0))), 0);
    harness.processElement(raw(0, 2, EVENTS.encode(event("u", "i", EventType.RATING, 1, NOW))), 0);
    harness.processElement(
        raw(0, 3, EVENTS.encode(event("u", "i", EventType.RATING, 5, NOW + 3_600_000))), 0);

    assertThat(harness.extractOutputValues())
        .extracting(e -> e.eventType + " " + e.value + " @" + e.eventTimeMillis)
        .containsExactly("CLICK 1.0 @0", "RATING 1.0 @" + NOW, "RATING 5.0 @" + (NOW + 3_600_000));
    assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS)).isNull();
  }

  static Stream<Arguments> badRecords() {
    long past = NOW - 1000;
    return Stream.of(
        Arguments.of(
            "garbage bytes",
            "not avro at all".getBytes(StandardCharsets.UTF_8),
            DeadLetterReason.UNDECODABLE),
        Arguments.of(
            "truncated body",
            truncated(EVENTS.encode(event("u1", "i1", EventType.RATING, 4, past))),
            DeadLetterReason.UNDECODABLE),
        Arguments.of("no bytes (tombstone)", null, DeadLetterReason.UNDECODABLE),
        Arguments.of(
            "an ItemMetadata record",
            AvroCodec.of(ItemMetadata.class)
                .encode(ItemMetadata.newBuilder().setItemId("i1").setUpdateTimeMillis(0).build()),
            DeadLetterReason.WRONG_SCHEMA),
        Arguments.of(
            "blank user id",
            EVENTS.encode(event(" ", "i1", EventType.RATING, 4, past)),
            DeadLetterReason.MISSING_ID),
        Arguments.of(
            "empty item id",
            EVENTS.encode(event("u1", "", EventType.RATING, 4, past)),
            DeadLetterReason.MISSING_ID),
        Arguments.of(
            "control character in the user id",
            EVENTS.encode(event("u\u0000x", "i1", EventType.RATING, 4, past)),
            DeadLetterReason.INVALID_ID),
        Arguments.of(
            "control character in the item id",
            EVENTS.encode(event("u1", "i\n1", EventType.RATING, 4, past)),
            DeadLetterReason.INVALID_ID),
        Arguments.of(
            "NaN value",
            EVENTS.encode(event("u1", "i1", EventType.RATING, Double.NaN, past)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "infinite click value",
            EVENTS.encode(event("u1", "i1", EventType.CLICK, Double.POSITIVE_INFINITY, past)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "rating 7 above the 1..5 scale",
            EVENTS.encode(event("u1", "i1", EventType.RATING, 7, past)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "rating 0 below the 1..5 scale",
            EVENTS.encode(event("u1", "i1", EventType.RATING, 0, past)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "negative event time",
            EVENTS.encode(event("u1", "i1", EventType.RATING, 4, -1)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "event time 30 days in the future",
            EVENTS.encode(
                event("u1", "i1", EventType.RATING, 4, NOW + Duration.ofDays(30).toMillis())),
            DeadLetterReason.FUTURE_TIMESTAMP),
        // The same checks for JSON: it becomes the same InteractionEvent first.
        Arguments.of(
            "JSON: truncated",
            Arrays.copyOf(
                json(event("u1", "i1", EventType.RATING, 4, past)),
                json(event("u1", "i1", EventType.RATING, 4, past)).length - 1),
            DeadLetterReason.UNDECODABLE),
        Arguments.of(
            "JSON: blank user id",
            json(event(" ", "i1", EventType.RATING, 4, past)),
            DeadLetterReason.MISSING_ID),
        Arguments.of(
            "JSON: control character in the item id",
            json(event("u1", "i\n1", EventType.RATING, 4, past)),
            DeadLetterReason.INVALID_ID),
        Arguments.of(
            "JSON: NaN value",
            json(event("u1", "i1", EventType.RATING, Double.NaN, past)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "JSON: rating 7 on 1..5",
            json(event("u1", "i1", EventType.RATING, 7, past)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "JSON: negative event time",
            json(event("u1", "i1", EventType.RATING, 4, -1)),
            DeadLetterReason.INVALID_VALUE),
        Arguments.of(
            "JSON: event time 30 days in the future",
            json(event("u1", "i1", EventType.RATING, 4, NOW + Duration.ofDays(30).toMillis())),
            DeadLetterReason.FUTURE_TIMESTAMP));
  }

  private static byte[] json(InteractionEvent event) {
    return JsonEvents.write(event);
  }

  private static byte[] truncated(byte[] bytes) {
    byte[] cut = new byte[bytes.length - 3];
    System.arraycopy(bytes, 0, cut, 0, cut.length);
    return cut;
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("badRecords")
  void badRecordGoesToDeadLettersWithReasonBytesAndOrigin(
      String what, byte[] bytes, DeadLetterReason reason) throws Exception {
    long before = System.currentTimeMillis();

    assertThatCode(() -> harness.processElement(raw(3, 12_345, bytes), NOW))
        .doesNotThrowAnyException();

    assertThat(harness.extractOutputValues()).isEmpty();
    List<DeadLetter> dead =
        harness.getSideOutput(Descriptors.DEAD_LETTERS).stream()
            .map(StreamRecord::getValue)
            .toList();
    assertThat(dead).hasSize(1);
    DeadLetter letter = dead.get(0);
    assertThat(letter.getReason()).as(what).isEqualTo(reason);
    assertThat(letter.getPayload())
        .isEqualTo(bytes == null ? null : ByteBuffer.wrap(bytes.clone()));
    assertThat(letter.getSourceTopic()).isEqualTo(TOPIC);
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(12_345L);
    assertThat(letter.getDetail()).isNotBlank();
    assertThat(letter.getReceivedAtMillis()).isBetween(before, System.currentTimeMillis());
  }

  @Test
  void badRecordsAmongGoodOnesLeaveTheGoodOnesInOrder() throws Exception {
    harness.processElement(
        raw(0, 0, EVENTS.encode(event("u1", "i1", EventType.RATING, 3, NOW - 3))), 0);
    harness.processElement(raw(0, 1, new byte[] {(byte) 0xC3, 0x01, 1, 2}), 0);
    harness.processElement(
        raw(0, 2, EVENTS.encode(event("u2", "i2", EventType.RATING, 2, NOW - 2))), 0);
    harness.processElement(
        raw(0, 3, EVENTS.encode(event("u3", "i3", EventType.RATING, 9, NOW - 1))), 0);
    harness.processElement(
        raw(0, 4, EVENTS.encode(event("u4", "i4", EventType.VIEW, 1, NOW - 1))), 0);

    assertThat(harness.extractOutputValues())
        .extracting(e -> e.userId)
        .containsExactly("u1", "u2", "u4");
    assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS))
        .extracting(r -> r.getValue().getSourceOffset() + " " + r.getValue().getReason())
        .containsExactly("1 UNDECODABLE", "3 INVALID_VALUE");
  }

  private static final String LONG_ID = "x".repeat(257);
  private static final String LONGEST_ID = "y".repeat(256);

  static Stream<Arguments> overLongIds() {
    return Stream.of(
        Arguments.of("userId", event(LONG_ID, "i1", EventType.RATING, 4, NOW - 1000)),
        Arguments.of("itemId", event("u1", LONG_ID, EventType.RATING, 4, NOW - 1000)));
  }

  @ParameterizedTest(name = "{0} of 257 characters")
  @MethodSource("overLongIds")
  void anIdLongerThan256CharactersIsInvalid(String field, InteractionEvent event) throws Exception {
    byte[] bytes = EVENTS.encode(event);

    assertThatCode(() -> harness.processElement(raw(0, 0, bytes), NOW)).doesNotThrowAnyException();

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getValue().getReason()).isEqualTo(DeadLetterReason.INVALID_ID);
              assertThat(r.getValue().getDetail())
                  .isEqualTo(field + " is 257 characters long, more than 256");
              assertThat(r.getValue().getPayload()).isEqualTo(ByteBuffer.wrap(bytes));
            });
  }

  @Test
  void idsOfExactly256CharactersPass() throws Exception {
    harness.processElement(
        raw(0, 0, EVENTS.encode(event(LONGEST_ID, LONGEST_ID, EventType.RATING, 4, NOW - 1))), 0);

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.userId).isEqualTo(LONGEST_ID);
              assertThat(e.itemId).isEqualTo(LONGEST_ID);
            });
    assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS)).isNull();
  }

  // ---- Offsets the source skipped

  /** The logger that reports gaps: that of the validation operators' package-private base. */
  private static final String GAP_LOGGER = "io.personalize.job.ValidateRecords";

  /** A harness whose operator's counters are readable through {@code metrics}. */
  private static OneInputStreamOperatorTestHarness<RawRecord, ValidEvent> counted(
      OperatorMetrics metrics, OperatorSubtaskState restored) throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<RawRecord, ValidEvent>(
            new ProcessOperator<>(new ValidateInteractions(JobConfig.defaults())),
            metrics.environment());
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  private static void read(
      OneInputStreamOperatorTestHarness<RawRecord, ValidEvent> h,
      int partition,
      long fromOffset,
      long toOffset)
      throws Exception {
    for (long offset = fromOffset; offset <= toOffset; offset++) {
      InteractionEvent rating =
          event("u" + offset, "i" + partition, EventType.RATING, 4, NOW - 1_000);
      h.processElement(raw(partition, offset, EVENTS.encode(rating)), 0);
    }
  }

  /** The WARN lines about skipped offsets, from their "skipped" on. */
  private static List<String> gapWarnings(LogCapture log) {
    return log.at(Level.WARN).stream()
        .filter(line -> line.contains(" skipped "))
        .map(line -> line.substring(line.indexOf("skipped "), line.indexOf(" (deleted by")))
        .toList();
  }

  /**
   * Regression: offsets the source skipped (records deleted by retention before the job read them)
   * used to go unnoticed; now each gap is counted by size and logged with topic, partition and
   * range.
   */
  @Test
  void offsetsSkippedWithinAPartitionAreCountedAndLogged() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    try (LogCapture log = LogCapture.of(GAP_LOGGER);
        var h = counted(metrics, null)) {
      read(h, 0, 0, 9);
      assertThat(metrics.count("offsets-skipped")).isZero();

      read(h, 0, 20, 29);
      read(h, 1, 0, 4);

      assertThat(metrics.count("offsets-skipped")).isEqualTo(10);
      assertThat(metrics.count("records-accepted")).isEqualTo(25);
      assertThat(h.extractOutputValues()).hasSize(25);
      assertThat(gapWarnings(log))
          .singleElement(as(STRING))
          .isEqualTo("skipped 10 offsets of " + TOPIC + "-0: 10..19");
    }
  }

  @Test
  void aGapOfOneOffsetIsCountedToo() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    try (LogCapture log = LogCapture.of(GAP_LOGGER);
        var h = counted(metrics, null)) {
      read(h, 2, 100, 101);
      read(h, 2, 103, 103);

      assertThat(metrics.count("offsets-skipped")).isEqualTo(1);
      assertThat(gapWarnings(log))
          .singleElement(as(STRING))
          .isEqualTo("skipped 1 offset of " + TOPIC + "-2: 102..102");
    }
  }

  @Test
  void aGapAcrossARestoreIsNoticed() throws Exception {
    OperatorSubtaskState state;
    try (var before = counted(new OperatorMetrics(), null)) {
      read(before, 0, 0, 9);
      state = before.snapshot(1L, 1L);
    }

    OperatorMetrics metrics = new OperatorMetrics();
    try (LogCapture log = LogCapture.of(GAP_LOGGER);
        var after = counted(metrics, state)) {
      read(after, 0, 15, 15);

      assertThat(metrics.count("offsets-skipped")).isEqualTo(5);
      assertThat(gapWarnings(log))
          .singleElement(as(STRING))
          .isEqualTo("skipped 5 offsets of " + TOPIC + "-0: 10..14");
    }
  }

  @Test
  void reReadingEarlierOffsetsAfterARestoreIsNotAGap() throws Exception {
    OperatorSubtaskState state;
    try (var before = counted(new OperatorMetrics(), null)) {
      read(before, 0, 0, 9);
      state = before.snapshot(1L, 1L);
    }

    OperatorMetrics metrics = new OperatorMetrics();
    try (LogCapture log = LogCapture.of(GAP_LOGGER);
        var after = counted(metrics, state)) {
      read(after, 0, 5, 12);

      assertThat(metrics.count("offsets-skipped")).isZero();
      assertThat(gapWarnings(log)).isEmpty();
      assertThat(after.extractOutputValues()).as("re-read records still pass").hasSize(8);
    }
  }

  /**
   * The last offsets are union state: after a restore at any parallelism, whichever subtask reads a
   * partition next knows where it stopped (here each partition moves to another subtask).
   */
  @ParameterizedTest(name = "2 subtasks restored into {0}")
  @ValueSource(ints = {1, 2})
  void aGapIsNoticedByWhicheverSubtaskReadsThePartitionAfterARestore(int parallelism)
      throws Exception {
    OperatorSubtaskState[] states = new OperatorSubtaskState[2];
    for (int index = 0; index < 2; index++) {
      try (var h =
          new OneInputStreamOperatorTestHarness<RawRecord, ValidEvent>(
              new ProcessOperator<>(new ValidateInteractions(JobConfig.defaults())), 4, 2, index)) {
        h.open();
        // subtask 0 reads partition 0 up to offset 9, subtask 1 partition 1 up to 10
        read(h, index, 0, 9 + index);
        states[index] = h.snapshot(1L, 1L);
      }
    }
    OperatorSubtaskState packaged = AbstractStreamOperatorTestHarness.repackageState(states);

    try (LogCapture log = LogCapture.of(GAP_LOGGER)) {
      long skipped = 0;
      for (int index = 0; index < parallelism; index++) {
        OperatorMetrics metrics = new OperatorMetrics();
        var h =
            new OneInputStreamOperatorTestHarness<RawRecord, ValidEvent>(
                new ProcessOperator<>(new ValidateInteractions(JobConfig.defaults())),
                metrics.environment(4, parallelism, index));
        try (h) {
          h.initializeState(
              AbstractStreamOperatorTestHarness.repartitionOperatorState(
                  packaged, 4, 2, parallelism, index));
          h.open();
          for (int partition = 0; partition < 2; partition++) {
            if ((partition + 1) % parallelism != index) {
              continue;
            }
            if (partition == 0) {
              read(h, 0, 12, 12);
            } else {
              read(h, 1, 11, 11);
              read(h, 1, 14, 14);
            }
          }
          skipped += metrics.count("offsets-skipped");
        }
      }

      assertThat(skipped).isEqualTo(2 + 2);
      assertThat(gapWarnings(log))
          .containsExactlyInAnyOrder(
              "skipped 2 offsets of " + TOPIC + "-0: 10..11",
              "skipped 2 offsets of " + TOPIC + "-1: 12..13");
    }
  }
}
