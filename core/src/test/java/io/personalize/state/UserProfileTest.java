package io.personalize.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserProfileTest {
  /**
   * Regression: {@code personalize query} printed the user's last event as epoch milliseconds
   * ("last event 885549943000"), which nobody reads as a date.
   */
  @Test
  void theLastEventReadsAsATimeInUtc() {
    UserProfile profile = new UserProfile();
    profile.userId = "405";
    profile.events = 1474;
    profile.group = 7;
    profile.boundariesVersion = 29;
    profile.checkpointVersion = 1006;
    profile.lastEventTimeMillis = 885_549_943_000L;
    profile.candidate = 2;

    assertThat(profile.toString())
        .isEqualTo(
            "user 405: 1474 events, group 7 (boundaries v29), checkpoint v1006,"
                + " last event 1998-01-23T10:05:43Z, candidate 2");
  }
}
