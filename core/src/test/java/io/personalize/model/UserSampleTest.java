package io.personalize.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserSampleTest {
  @Test
  void aShareOfOneIsEveryone() {
    for (long seed = -500; seed < 500; seed++) {
      assertThat(UserSample.includes(seed, 17, 1)).isTrue();
    }
  }

  /** About the share, the same users every time, and samples of two salts apart. */
  @Test
  void aShareDrawsAboutThatManyUsersTheSameEveryTimeAndSaltsDrawApart() {
    int first = 0;
    int both = 0;
    for (long seed = 0; seed < 10_000; seed++) {
      boolean a = UserSample.includes(seed, 17, 0.25);
      assertThat(UserSample.includes(seed, 17, 0.25)).isEqualTo(a);
      boolean b = UserSample.includes(seed, 18, 0.25);
      first += a ? 1 : 0;
      both += a && b ? 1 : 0;
    }
    assertThat(first).isBetween(2_300, 2_700);
    // Independent samples share a quarter of a quarter; one salt's twice would share all.
    assertThat(both).isBetween(500, 760);
  }
}
