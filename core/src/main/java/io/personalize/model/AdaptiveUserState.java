package io.personalize.model;

/**
 * The per-user state of the adaptive model: the number of the user's events learned so far (which
 * decides the group) and one personal block per candidate setting.
 */
public final class AdaptiveUserState {
  public long events;
  public final PersonalParameters[] blocks;

  public AdaptiveUserState(PersonalParameters[] blocks) {
    this.blocks = blocks;
  }

  /** Every candidate starts from the same block: the global model at the user's first event. */
  public static AdaptiveUserState startingFrom(PersonalParameters start, int candidates) {
    PersonalParameters[] blocks = new PersonalParameters[candidates];
    for (int c = 0; c < candidates; c++) {
      blocks[c] = start.copy();
    }
    return new AdaptiveUserState(blocks);
  }
}
