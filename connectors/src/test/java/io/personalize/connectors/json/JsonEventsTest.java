package io.personalize.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.RecordDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-written JSON events, good and malformed, through the decoder the job uses. */
class JsonEventsTest {
  private static final RecordDecoder<InteractionEvent> EVENTS =
      RecordDecoder.of(InteractionEvent.class);
  private static final RecordDecoder<ItemMetadata> ITEMS = RecordDecoder.of(ItemMetadata.class);

  /** A good event, with {@code %s} where a test puts a field of its own. */
  private static final String GOOD =
      "{\"userId\":\"u1\",\"itemId\":\"i1\",\"eventType\":\"RATING\",\"value\":4,"
          + "\"eventTimeMillis\":1796371200000}";

  private static InteractionEvent expected() {
    return InteractionEvent.newBuilder()
        .setUserId("u1")
        .setItemId("i1")
        .setEventType(EventType.RATING)
        .setValue(4.0)
        .setEventTimeMillis(1796371200000L)
        .build();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aJsonEventIsTheSameRecordAsItsAvroTwin() {
    assertThat(EVENTS.decode(utf8(GOOD))).isEqualTo(expected());
    byte[] avro = AvroCodec.of(InteractionEvent.class).encode(expected());
    assertThat(EVENTS.decode(avro)).isEqualTo(EVENTS.decode(utf8(GOOD)));
  }

  @Test
  void optionalFieldsTimesAsIsoStringsWhiteSpaceAndUnknownFields() {
    String json =
        "\n\t {\"userId\":\"u1\",\"itemId\":\"i1\",\"eventType\":\"CLICK\",\"value\":1.0,"
            + "\"eventTimeMillis\":\"2026-12-03T08:00:00Z\",\"features\":{\"price\":9.5},"
            + "\"context\":{\"device\":\"phone\"},\"sessionId\":{\"nested\":[1,2,{\"x\":null}]}}\n";
    InteractionEvent event = EVENTS.decode(utf8(json));
    assertThat(event.getEventType()).isEqualTo(EventType.CLICK);
    assertThat(event.getEventTimeMillis()).isEqualTo(1796284800000L);
    assertThat(event.getFeatures()).isEqualTo(Map.of("price", 9.5));
    assertThat(event.getContext()).isEqualTo(Map.of("device", "phone"));

    String offset = GOOD.replace("1796371200000", "\"2026-12-03T09:00:00+01:00\"");
    assertThat(EVENTS.decode(utf8(offset)).getEventTimeMillis()).isEqualTo(1796284800000L);
    String nulls = GOOD.replace("}", ",\"features\":null,\"context\":null}");
    assertThat(EVENTS.decode(utf8(nulls))).isEqualTo(expected());
  }

  @Test
  void itemsWithAndWithoutTheirOptionalFields() {
    ItemMetadata bare = ITEMS.decode(utf8("{\"itemId\":\"i9\",\"updateTimeMillis\":0}"));
    assertThat(bare.getTitle()).isNull();
    assertThat(bare.getGenres()).isEmpty();
    assertThat(bare.getYear()).isNull();
    assertThat(bare.getFeatures()).isEmpty();
    ItemMetadata full =
        ITEMS.decode(
            utf8(
                "{\"itemId\":\"i9\",\"title\":\"Heat\",\"genres\":[\"Crime\",\"Drama\"],"
                    + "\"year\":1995,\"features\":{\"popularity\":0.5},"
                    + "\"updateTimeMillis\":\"2026-12-03T08:00:00Z\"}"));
    assertThat(full)
        .isEqualTo(
            ItemMetadata.newBuilder()
                .setItemId("i9")
                .setTitle("Heat")
                .setGenres(List.of("Crime", "Drama"))
                .setYear(1995)
                .setFeatures(Map.of("popularity", 0.5))
                .setUpdateTimeMillis(1796284800000L)
                .build());
  }

  @Test
  void writtenJsonReadsBack() {
    InteractionEvent event = expected();
    event.setFeatures(Map.of("f", 0.25));
    assertThat(JsonEvents.interaction(JsonEvents.write(event))).isEqualTo(event);
    assertThat(new String(JsonEvents.write(expected()), StandardCharsets.UTF_8))
        .isEqualTo(GOOD.replace("4,", "4.0,").replace("}", ",\"features\":null,\"context\":null}"));
  }

  @Test
  void aQuotedNaNIsReadAndLeftToTheValueCheck() {
    // The written form of a non-finite double; the validator makes it INVALID_VALUE, as in Avro.
    assertThat(EVENTS.decode(utf8(GOOD.replace("\"value\":4", "\"value\":\"NaN\""))).getValue())
        .isNaN();
  }

  static Stream<Arguments> malformed() {
    String deep = "[".repeat(20) + "]".repeat(20);
    return Stream.of(
        bad("not JSON at all", utf8("hello"), DeadLetterReason.UNDECODABLE, "neither Avro"),
        bad(
            "brace then garbage",
            utf8("{not json}"),
            DeadLetterReason.UNDECODABLE,
            "not well-formed"),
        bad(
            "truncated",
            utf8(GOOD.substring(0, 30)),
            DeadLetterReason.UNDECODABLE,
            "not well-formed"),
        bad(
            "array instead of object",
            utf8("[" + GOOD + "]"),
            DeadLetterReason.UNDECODABLE,
            "nor a JSON object"),
        bad("trailing garbage", utf8(GOOD + " x"), DeadLetterReason.UNDECODABLE, "not well-formed"),
        bad("two objects", utf8(GOOD + GOOD), DeadLetterReason.UNDECODABLE, "trailing content"),
        bad(
            "NaN literal",
            utf8(GOOD.replace("\"value\":4", "\"value\":NaN")),
            DeadLetterReason.UNDECODABLE,
            "NaN"),
        bad(
            "comment",
            utf8(GOOD.replace("{", "{/* c */")),
            DeadLetterReason.UNDECODABLE,
            "not well-formed"),
        bad(
            "duplicate key",
            utf8(GOOD.replace("}", ",\"userId\":\"u2\"}")),
            DeadLetterReason.UNDECODABLE,
            "Duplicate field 'userId'"),
        bad(
            "deep nesting",
            utf8(GOOD.replace("}", ",\"extra\":" + deep + "}")),
            DeadLetterReason.UNDECODABLE,
            "nesting depth"),
        bad("invalid UTF-8", invalidUtf8(), DeadLetterReason.UNDECODABLE, "UTF-8"),
        bad(
            "UTF-16",
            GOOD.getBytes(StandardCharsets.UTF_16LE),
            DeadLetterReason.UNDECODABLE,
            "not well-formed"),
        bad(
            "very long number",
            utf8(GOOD.replace("\"value\":4", "\"value\":" + "9".repeat(200))),
            DeadLetterReason.UNDECODABLE,
            "Number value length"),
        bad("empty object", utf8("{}"), DeadLetterReason.MISSING_ID, "'userId' is missing"),
        bad(
            "missing itemId",
            utf8(GOOD.replace("\"itemId\":\"i1\",", "")),
            DeadLetterReason.MISSING_ID,
            "'itemId' is missing"),
        bad(
            "null userId",
            utf8(GOOD.replace("\"u1\"", "null")),
            DeadLetterReason.MISSING_ID,
            "'userId' is null"),
        bad(
            "missing value",
            utf8(GOOD.replace("\"value\":4,", "")),
            DeadLetterReason.WRONG_SCHEMA,
            "required field 'value' is missing"),
        bad(
            "missing time",
            utf8(GOOD.replace(",\"eventTimeMillis\":1796371200000", "")),
            DeadLetterReason.WRONG_SCHEMA,
            "'eventTimeMillis' is missing"),
        bad(
            "value as a string",
            utf8(GOOD.replace("\"value\":4", "\"value\":\"4\"")),
            DeadLetterReason.WRONG_SCHEMA,
            "'value' must be a number, not a string (\"4\")"),
        bad(
            "userId as a number",
            utf8(GOOD.replace("\"u1\"", "42")),
            DeadLetterReason.WRONG_SCHEMA,
            "'userId' must be a string, not a number (42)"),
        bad(
            "time as a boolean",
            utf8(GOOD.replace("1796371200000", "true")),
            DeadLetterReason.WRONG_SCHEMA,
            "'eventTimeMillis' must be an integer"),
        bad(
            "fractional time",
            utf8(GOOD.replace("1796371200000", "1796371200000.5")),
            DeadLetterReason.WRONG_SCHEMA,
            "'eventTimeMillis' must be an integer"),
        bad(
            "features as an array",
            utf8(GOOD.replace("}", ",\"features\":[1]}")),
            DeadLetterReason.WRONG_SCHEMA,
            "'features' must be an object, not an array"),
        bad(
            "feature as a string",
            utf8(GOOD.replace("}", ",\"features\":{\"a\":\"x\"}}")),
            DeadLetterReason.WRONG_SCHEMA,
            "'features.a' must be a number"),
        bad(
            "unknown eventType",
            utf8(GOOD.replace("RATING", "SHARE")),
            DeadLetterReason.WRONG_SCHEMA,
            "\"SHARE\", not a symbol of EventType"),
        bad(
            "lower-case eventType",
            utf8(GOOD.replace("RATING", "rating")),
            DeadLetterReason.WRONG_SCHEMA,
            "not a symbol of EventType"),
        bad(
            "value beyond a double",
            utf8(GOOD.replace("\"value\":4", "\"value\":1e400")),
            DeadLetterReason.INVALID_VALUE,
            "does not fit a double"),
        bad(
            "time beyond a long",
            utf8(GOOD.replace("1796371200000", "99999999999999999999")),
            DeadLetterReason.INVALID_VALUE,
            "does not fit a long"),
        bad(
            "time not ISO-8601",
            utf8(GOOD.replace("1796371200000", "\"yesterday\"")),
            DeadLetterReason.INVALID_VALUE,
            "neither epoch milliseconds nor an ISO-8601"),
        bad(
            "time without a zone",
            utf8(GOOD.replace("1796371200000", "\"2026-12-03T08:00:00\"")),
            DeadLetterReason.INVALID_VALUE,
            "ISO-8601"));
  }

  private static Arguments bad(String name, byte[] bytes, DeadLetterReason reason, String detail) {
    return Arguments.of(name, bytes, reason, detail);
  }

  private static byte[] invalidUtf8() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] good = utf8(GOOD);
    int at = GOOD.indexOf("u1");
    out.write(good, 0, at);
    out.write(0xFF);
    out.write(good, at, good.length - at);
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedJsonIsRejectedWithItsReason(
      String name, byte[] bytes, DeadLetterReason reason, String detail) {
    DecodingException e = catchThrowableOfType(DecodingException.class, () -> EVENTS.decode(bytes));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).as(name + ": " + e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).as(name).contains(detail);
  }

  @Test
  void anArrayGivenStraightToTheJsonReaderIsNotAnObject() {
    DecodingException e =
        catchThrowableOfType(
            DecodingException.class, () -> JsonEvents.interaction(utf8("[" + GOOD + "]")));
    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(e.getMessage()).contains("must be an object, not an array");
  }

  @Test
  void anItemWithoutIdIsMissingIdAndAWrongTypedYearIsWrongSchema() {
    DecodingException missing =
        catchThrowableOfType(
            DecodingException.class, () -> ITEMS.decode(utf8("{\"updateTimeMillis\":0}")));
    assertThat(missing.reason()).isEqualTo(DeadLetterReason.MISSING_ID);
    DecodingException year =
        catchThrowableOfType(
            DecodingException.class,
            () ->
                ITEMS.decode(utf8("{\"itemId\":\"i\",\"year\":\"1995\",\"updateTimeMillis\":0}")));
    assertThat(year.reason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
    assertThat(year.getMessage()).contains("'year' must be an integer");
    DecodingException bigYear =
        catchThrowableOfType(
            DecodingException.class,
            () ->
                ITEMS.decode(
                    utf8("{\"itemId\":\"i\",\"year\":3000000000,\"updateTimeMillis\":0}")));
    assertThat(bigYear.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
    DecodingException nullGenre =
        catchThrowableOfType(
            DecodingException.class,
            () ->
                ITEMS.decode(
                    utf8("{\"itemId\":\"i\",\"genres\":[\"A\",null],\"updateTimeMillis\":0}")));
    assertThat(nullGenre.reason()).isEqualTo(DeadLetterReason.WRONG_SCHEMA);
    assertThat(nullGenre.getMessage()).contains("'genres[1]'");
  }
}
