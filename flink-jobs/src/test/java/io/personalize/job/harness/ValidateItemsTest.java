package io.personalize.job.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.json.JsonEvents;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.job.Descriptors;
import io.personalize.job.ValidateItems;
import io.personalize.job.config.JobConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ValidateItems}: a good item passes unchanged; an undecodable record, a record of another
 * schema, an item without a usable id or with a non-finite feature value goes to the dead-letter
 * side output with its reason, a detail naming what was wrong, its bytes and its origin, and never
 * throws.
 */
class ValidateItemsTest {
  private static final AvroCodec<ItemMetadata> ITEMS = AvroCodec.of(ItemMetadata.class);
  private static final String TOPIC = "items";

  private OneInputStreamOperatorTestHarness<RawRecord, ItemMetadata> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forProcessFunction(new ValidateItems(JobConfig.defaults()));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static ItemMetadata item(String id, Map<String, Double> features) {
    return ItemMetadata.newBuilder()
        .setItemId(id)
        .setTitle("Toy Story (1995)")
        .setGenres(List.of("Animation", "Comedy"))
        .setYear(1995)
        .setFeatures(features)
        .setUpdateTimeMillis(1_000)
        .build();
  }

  private static RawRecord raw(long offset, byte[] value) {
    return new RawRecord(TOPIC, 2, offset, 0, null, value);
  }

  private List<DeadLetter> deadLetters() {
    var side = harness.getSideOutput(Descriptors.DEAD_LETTERS);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void goodItemPassesUnchanged() throws Exception {
    ItemMetadata good = item("item-1", Map.of("popularity", 0.25, "runtime", 81.0));

    harness.processElement(raw(0, ITEMS.encode(good)), 0);

    assertThat(harness.extractOutputValues()).containsExactly(good);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void aJsonItemPassesAsItsAvroTwinDoes() throws Exception {
    ItemMetadata good = item("item-1", Map.of("popularity", 0.25));

    harness.processElement(raw(0, JsonEvents.write(good)), 0);

    assertThat(harness.extractOutputValues()).containsExactly(good);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void itemWithoutFeaturesAndAnIdOf256CharactersPasses() throws Exception {
    ItemMetadata plain =
        ItemMetadata.newBuilder().setItemId("i".repeat(256)).setUpdateTimeMillis(0).build();

    harness.processElement(raw(0, ITEMS.encode(plain)), 0);

    assertThat(harness.extractOutputValues()).containsExactly(plain);
    assertThat(deadLetters()).isEmpty();
  }

  static Stream<Arguments> badItems() {
    return Stream.of(
        Arguments.of(
            "garbage bytes",
            "not avro at all".getBytes(StandardCharsets.UTF_8),
            DeadLetterReason.UNDECODABLE,
            "neither Avro (no C3 01 or 00 header) nor a JSON object"),
        Arguments.of("no bytes (tombstone)", null, DeadLetterReason.UNDECODABLE, "no bytes"),
        Arguments.of(
            "truncated body",
            truncated(ITEMS.encode(item("i1", Map.of("a", 1.0)))),
            DeadLetterReason.UNDECODABLE,
            "ItemMetadata"),
        Arguments.of(
            "an InteractionEvent record",
            AvroCodec.of(InteractionEvent.class)
                .encode(
                    InteractionEvent.newBuilder()
                        .setUserId("u1")
                        .setItemId("i1")
                        .setEventType(EventType.RATING)
                        .setValue(4)
                        .setEventTimeMillis(0)
                        .build()),
            DeadLetterReason.WRONG_SCHEMA,
            "ItemMetadata"),
        Arguments.of(
            "empty id",
            ITEMS.encode(item("", Map.of())),
            DeadLetterReason.MISSING_ID,
            "itemId is missing or blank"),
        Arguments.of(
            "blank id",
            ITEMS.encode(item("  ", Map.of())),
            DeadLetterReason.MISSING_ID,
            "itemId is missing or blank"),
        Arguments.of(
            "id of 257 characters",
            ITEMS.encode(item("i".repeat(257), Map.of())),
            DeadLetterReason.INVALID_ID,
            "itemId is 257 characters long, more than 256"),
        Arguments.of(
            "control character in the id",
            ITEMS.encode(item("i\t1", Map.of())),
            DeadLetterReason.INVALID_ID,
            "itemId contains a control character at position 1"),
        Arguments.of(
            "NaN feature",
            ITEMS.encode(item("i1", Map.of("popularity", Double.NaN))),
            DeadLetterReason.INVALID_VALUE,
            "feature 'popularity' is not a finite number: NaN"),
        Arguments.of(
            "infinite feature",
            ITEMS.encode(item("i1", Map.of("runtime", Double.NEGATIVE_INFINITY))),
            DeadLetterReason.INVALID_VALUE,
            "feature 'runtime' is not a finite number: -Infinity"),
        Arguments.of(
            "JSON without itemId",
            "{\"updateTimeMillis\":0}".getBytes(StandardCharsets.UTF_8),
            DeadLetterReason.MISSING_ID,
            "required field 'itemId' is missing"),
        Arguments.of(
            "JSON with a NaN feature",
            "{\"itemId\":\"i1\",\"features\":{\"popularity\":\"NaN\"},\"updateTimeMillis\":0}"
                .getBytes(StandardCharsets.UTF_8),
            DeadLetterReason.INVALID_VALUE,
            "feature 'popularity' is not a finite number: NaN"),
        Arguments.of(
            "JSON with genres as a string",
            "{\"itemId\":\"i1\",\"genres\":\"Drama\",\"updateTimeMillis\":0}"
                .getBytes(StandardCharsets.UTF_8),
            DeadLetterReason.WRONG_SCHEMA,
            "'genres' must be an array, not a string"));
  }

  private static byte[] truncated(byte[] bytes) {
    byte[] cut = new byte[bytes.length - 3];
    System.arraycopy(bytes, 0, cut, 0, cut.length);
    return cut;
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("badItems")
  void badItemGoesToDeadLettersWithReasonDetailBytesAndOrigin(
      String what, byte[] bytes, DeadLetterReason reason, String detail) throws Exception {
    assertThatCode(() -> harness.processElement(raw(77, bytes), 0)).doesNotThrowAnyException();

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getReason()).as(what).isEqualTo(reason);
              assertThat(letter.getDetail()).as(what).contains(detail);
              assertThat(letter.getPayload())
                  .isEqualTo(bytes == null ? null : ByteBuffer.wrap(bytes.clone()));
              assertThat(letter.getSourceTopic()).isEqualTo(TOPIC);
              assertThat(letter.getSourcePartition()).isEqualTo(2);
              assertThat(letter.getSourceOffset()).isEqualTo(77L);
            });
  }

  @Test
  void badItemsAmongGoodOnesLeaveTheGoodOnesInOrder() throws Exception {
    harness.processElement(raw(0, ITEMS.encode(item("i1", Map.of()))), 0);
    harness.processElement(raw(1, ITEMS.encode(item("i2", Map.of("x", Double.NaN)))), 0);
    harness.processElement(raw(2, new byte[] {(byte) 0xC3, 0x01, 1}), 0);
    harness.processElement(raw(3, ITEMS.encode(item("i3", Map.of("x", -2.5)))), 0);

    assertThat(harness.extractOutputValues())
        .extracting(i -> i.getItemId().toString())
        .containsExactly("i1", "i3");
    assertThat(deadLetters())
        .extracting(d -> d.getSourceOffset() + " " + d.getReason())
        .containsExactly("1 INVALID_VALUE", "2 UNDECODABLE");
  }
}
