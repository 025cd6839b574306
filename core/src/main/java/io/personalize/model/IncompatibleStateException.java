package io.personalize.model;

/**
 * State restored from a checkpoint or savepoint that a job with other model settings cannot go on
 * with: its rows have another number of factors or feature weights. Not something a restart fixes,
 * so the job stops instead (the Flink operators rethrow it as such).
 */
public class IncompatibleStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private static final String WHAT_TO_DO =
      ": state of one shape cannot go on in another. Start without the checkpoint or savepoint"
          + " (run --no-resume, or a new job: a new model), or with the settings it was made"
          + " with.";

  /**
   * @param what whose state it is, e.g. "a global model"
   */
  public IncompatibleStateException(
      String what, int storedFactors, int storedFeatures, int factors, int features) {
    this(
        "the restored state of "
            + what
            + " has "
            + storedFactors
            + " factors and "
            + storedFeatures
            + " feature weights, and this job's model "
            + factors
            + " and "
            + features
            + " (model.factors, model.kind, features.*)");
  }

  /**
   * @param mismatch what does not fit, and the settings that decide it
   */
  public IncompatibleStateException(String mismatch) {
    super(mismatch + WHAT_TO_DO);
  }

  /**
   * Throws when a restored model's rows do not fit this one: another number of factors, or more
   * feature weights than this model has (fewer is an older feature space: the new ones start at 0).
   *
   * @param items rows of item factors stored (0: none, nothing to compare)
   * @param itemFactors the stored item factors, row after row
   */
  public static void check(
      String what, int items, int itemFactors, int storedFeatures, int factors, int features) {
    int storedFactors = items == 0 ? factors : itemFactors / items;
    if (!fits(storedFactors, storedFeatures, factors, features)) {
      throw new IncompatibleStateException(what, storedFactors, storedFeatures, factors, features);
    }
  }

  /** Whether rows of {@code storedFactors} and {@code storedFeatures} fit this model's. */
  public static boolean fits(int storedFactors, int storedFeatures, int factors, int features) {
    return storedFactors == factors && storedFeatures <= features;
  }
}
