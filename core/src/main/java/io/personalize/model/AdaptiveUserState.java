package io.personalize.model;

/**
 * The per-user state of the adaptive model: the number of the user's events learned so far (which
 * decides the group) and one personal block per candidate setting.
 */
public final class AdaptiveUserState {
  public long events;
  public final PersonalParameters[] blocks;

  /**
   * The user's row of the global model, kept here and stepped as the global side steps it: the
   * "borrow everything" candidate. Null when the learner has no such candidate.
   */
  public PersonalParameters globalRow;

  public AdaptiveUserState(PersonalParameters[] blocks) {
    this.blocks = blocks;
  }

  /** Every candidate starts from the same block: the global model at the user's first event. */
  public static AdaptiveUserState startingFrom(PersonalParameters start, int candidates) {
    PersonalParameters[] blocks = new PersonalParameters[candidates];
    for (int c = 0; c < candidates; c++) {
      blocks[c] = start.copy();
    }
    AdaptiveUserState state = new AdaptiveUserState(blocks);
    state.globalRow = new PersonalParameters(start.factors.length, 0);
    state.globalRow.copyFrom(start);
    return state;
  }
}
