package io.personalize.online;

/**
 * What a user's latest step was made with, kept in the user's own {@link UserState} so that the
 * queryable views (the profile and the personal model, {@link UserViews}) are read from that one
 * state instead of being written beside it at every event. Null in state written before the views
 * were derived (the stored savepoints v1 and v2) until the user's next event.
 */
public class LastStep {
  /** The user's group (1 = least data .. C = most) under the boundaries the step used. */
  public int group;

  /** Version of those group boundaries. */
  public long boundariesVersion;

  /** Version of the latest global gradient checkpoint applied when the step was made. */
  public long checkpointVersion;

  /** Index of the adaptive candidate setting the user's group predicts with. */
  public int candidate;

  /**
   * The block the group predicts with: an index into {@link UserState#adaptiveBlocks}, or {@link
   * #GLOBAL_ROW} for the user's row of the global model.
   */
  public int block;

  /** The rating model's kind ({@code ModelKind} name). */
  public String modelKind;

  /** k of the personal blocks (0 for a model whose global form has no user rows). */
  public int factors;

  /**
   * F, the feature deviations a personal block has (stored blocks keep fewer, see StoredBlocks).
   */
  public int featureDimension;

  /** {@link #block} when the user's group predicts with the user's global row. */
  public static final int GLOBAL_ROW = -1;

  public LastStep() {}
}
