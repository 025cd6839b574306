package io.personalize.validation;

import static io.personalize.validation.EventValidator.Reason.FUTURE_TIMESTAMP;
import static io.personalize.validation.EventValidator.Reason.INVALID_ID;
import static io.personalize.validation.EventValidator.Reason.INVALID_VALUE;
import static io.personalize.validation.EventValidator.Reason.MISSING_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.model.RatingScale;
import io.personalize.validation.EventValidator.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which events may be learned, and if not, why. */
class EventValidatorTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000;
  private static final EventValidator VALIDATOR = new EventValidator(new RatingScale(1, 5), HOUR);

  private static Rejection rating(String user, String item, double value, long time) {
    return VALIDATOR.check(user, item, true, value, time, NOW);
  }

  @Test
  void aValidRatingPasses() {
    assertThat(rating("u1", "i1", 4, NOW)).isNull();
    assertThat(rating("u1", "i1", 1, 0)).isNull(); // both ends of the scale, time 0
    assertThat(rating("u1", "i1", 5, NOW)).isNull();
    assertThat(rating("user with spaces inside", "item/42:x", 2.5, NOW)).isNull();
  }

  @Test
  void missingOrBlankIdsAreMissing() {
    for (String blank : new String[] {null, "", "   ", "\t", " \u2003 "}) {
      Rejection user = rating(blank, "i1", 4, NOW);
      assertThat(user.reason()).as("user id '%s'", blank).isEqualTo(MISSING_ID);
      assertThat(user.detail()).isEqualTo("userId is missing or blank");
      Rejection item = rating("u1", blank, 4, NOW);
      assertThat(item.reason()).isEqualTo(MISSING_ID);
      assertThat(item.detail()).isEqualTo("itemId is missing or blank");
    }
    // The user id is checked first.
    assertThat(rating(null, null, Double.NaN, -1).detail()).startsWith("userId");
  }

  @Test
  void idsOfUpTo256CharactersPass() {
    String longest = "u".repeat(256);
    assertThat(rating(longest, "i".repeat(256), 4, NOW)).isNull();
    Rejection tooLong = rating("u".repeat(257), "i1", 4, NOW);
    assertThat(tooLong.reason()).isEqualTo(INVALID_ID);
    assertThat(tooLong.detail()).isEqualTo("userId is 257 characters long, more than 256");
    assertThat(rating("u1", "i".repeat(257), 4, NOW).reason()).isEqualTo(INVALID_ID);
    assertThat(EventValidator.checkId("itemId", "i".repeat(1000)).detail()).contains("1000");
  }

  @Test
  void controlCharactersAreInvalid() {
    Rejection r = rating("ab\u0001c", "i1", 4, NOW);
    assertThat(r.reason()).isEqualTo(INVALID_ID);
    assertThat(r.detail()).isEqualTo("userId contains a control character at position 2");
    assertThat(rating("u1", "a\tb", 4, NOW).detail())
        .isEqualTo("itemId contains a control character at position 1");
    assertThat(rating("u1", "ab\u007f", 4, NOW).reason()).isEqualTo(INVALID_ID);
    // A trailing newline is a control character, reported as such.
    assertThat(rating("u1\n", "i1", 4, NOW).detail()).contains("control character at position 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {" u1", "u1 ", " u1 ", "\u2003u1", "u1\u00a0 "})
  void surroundingWhiteSpaceIsInvalid(String id) {
    Rejection r = rating(id, "i1", 4, NOW);
    assertThat(r.reason()).isEqualTo(INVALID_ID);
    assertThat(r.detail()).isEqualTo("userId has leading or trailing white space: '" + id + "'");
  }

  @Test
  void nonFiniteValuesAreInvalidForEveryEvent() {
    for (double value :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      for (boolean isRating : new boolean[] {true, false}) {
        Rejection r = VALIDATOR.check("u1", "i1", isRating, value, NOW, NOW);
        assertThat(r.reason()).as("%s rating=%s", value, isRating).isEqualTo(INVALID_VALUE);
        assertThat(r.detail()).isEqualTo("value is not a finite number: " + value);
      }
    }
  }

  @Test
  void onlyRatingsMustBeOnTheScale() {
    Rejection low = rating("u1", "i1", 0.5, NOW);
    assertThat(low.reason()).isEqualTo(INVALID_VALUE);
    assertThat(low.detail()).isEqualTo("rating 0.5 is outside the scale 1.0..5.0");
    assertThat(rating("u1", "i1", 5.000001, NOW).reason()).isEqualTo(INVALID_VALUE);
    // An implicit event (a click, a view count) only needs a finite value.
    assertThat(VALIDATOR.check("u1", "i1", false, 99, NOW, NOW)).isNull();
    assertThat(VALIDATOR.check("u1", "i1", false, -3, NOW, NOW)).isNull();
    assertThat(VALIDATOR.check("u1", "i1", false, 0, NOW, NOW)).isNull();
  }

  @Test
  void negativeTimesAreInvalid() {
    Rejection r = rating("u1", "i1", 4, -1);
    assertThat(r.reason()).isEqualTo(INVALID_VALUE);
    assertThat(r.detail()).isEqualTo("event time is negative: -1");
    assertThat(rating("u1", "i1", 4, Long.MIN_VALUE).reason()).isEqualTo(INVALID_VALUE);
  }

  @Test
  void timesFurtherAheadThanMaxFutureAreRejected() {
    // Up to now + 1 h passes, one millisecond more does not.
    assertThat(rating("u1", "i1", 4, NOW + HOUR)).isNull();
    Rejection r = rating("u1", "i1", 4, NOW + HOUR + 1);
    assertThat(r.reason()).isEqualTo(FUTURE_TIMESTAMP);
    assertThat(r.detail())
        .isEqualTo(
            "event time 2023-11-14T23:13:20.001Z is more than 1 h ahead of now"
                + " (2023-11-14T22:13:20Z)");
    assertThat(rating("u1", "i1", 4, Long.MAX_VALUE).reason()).isEqualTo(FUTURE_TIMESTAMP);
    // Times in the past are fine however old.
    assertThat(rating("u1", "i1", 4, NOW - 365 * 24 * HOUR)).isNull();
    // No future allowed at all: now passes, now + 1 does not.
    EventValidator strict = new EventValidator(new RatingScale(1, 5), 0);
    assertThat(strict.check("u1", "i1", true, 4, NOW, NOW)).isNull();
    assertThat(strict.check("u1", "i1", true, 4, NOW + 1, NOW).reason())
        .isEqualTo(FUTURE_TIMESTAMP);
  }

  @Test
  void anUnlimitedFutureAcceptsEveryTime() {
    // Long.MAX_VALUE as "no limit" must not overflow now + maxFuture into the past.
    EventValidator unlimited = new EventValidator(new RatingScale(1, 5), Long.MAX_VALUE);
    assertThat(unlimited.check("u1", "i1", true, 4, NOW, NOW)).isNull();
    assertThat(unlimited.check("u1", "i1", true, 4, Long.MAX_VALUE, NOW)).isNull();
  }
}
