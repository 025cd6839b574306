package io.personalize.model;

/**
 * A user's rows on the global side of a {@link SelfTuningTrainer}: the model's row, the user's
 * learned event count, the challengers' rows while a step-size race runs, and while the user is in
 * its first events, one shadow row per early step multiplier.
 */
public final class GlobalUserRow {
  /** The seed of the user's random initial factors. */
  public final long seed;

  public long events;

  /** The model's row of the user. */
  public PersonalParameters row;

  /** The race {@link #challengers} belong to (0: none). */
  long race;

  /** Each challenger's row in race {@link #race}: copies of {@link #row} at the race's start. */
  PersonalParameters[] challengers;

  /** Indexed by early step multiplier while the user is in its first events, else null. */
  PersonalParameters[] early;

  public GlobalUserRow(long seed, PersonalParameters row) {
    this.seed = seed;
    this.row = row;
  }
}
