package io.personalize.model;

/**
 * The global model's per-event step: SGD on every event with the full global model, i.e. the shared
 * block and, for models whose global form has them, the user's global row (b_u, q_u). The global
 * row never has personal feature weights. Callers own the storage of user rows, so the same step
 * serves the evaluator (rows in an array) and the Flink global operator (rows in state).
 */
public final class GlobalTrainer {
  private static final PersonalParameters NO_USER_ROW = new PersonalParameters(0, 0);

  private final Model model;
  private final SharedParameters shared;
  private final Initializer initializer;
  private final Regularization regularization;
  private StepSizes steps;

  /** The steps of a user row: b_u and q_u only, a global row has no feature weights to move. */
  private StepSizes rowSteps;

  public GlobalTrainer(
      Model model,
      SharedParameters shared,
      Initializer initializer,
      StepSizes steps,
      Regularization regularization) {
    this.model = model;
    this.shared = shared;
    this.initializer = initializer;
    setSteps(steps);
    this.regularization = regularization;
  }

  public Model model() {
    return model;
  }

  public SharedParameters shared() {
    return shared;
  }

  public StepSizes steps() {
    return steps;
  }

  /** Changes the step sizes, e.g. for a per-epoch decay in batch training. */
  public void setSteps(StepSizes steps) {
    this.steps = steps;
    this.rowSteps = new StepSizes(0, steps.bias(), steps.factor(), 0);
  }

  /** The steps of a user row at this trainer's step sizes: b_u and q_u only. */
  public StepSizes rowSteps() {
    return rowSteps;
  }

  public Regularization regularization() {
    return regularization;
  }

  /** The starting global row of a user: deterministic in the user id. */
  public PersonalParameters newUserRow(long user) {
    if (!model.kind().globalHasUserRows()) {
      return NO_USER_ROW;
    }
    return PersonalParameters.initial(model.factors(), 0, initializer, user);
  }

  /** The starting personal block of a user: its global row, plus zero feature deviations. */
  public PersonalParameters newPersonalBlock(long user) {
    return PersonalParameters.initial(
        model.kind().globalHasUserRows() ? model.factors() : 0,
        model.featureDimension(),
        initializer,
        user);
  }

  public double predict(PersonalParameters userRow, int item, FeatureVector x) {
    shared.ensureItem(item);
    return model.predict(shared, userRow, item, x);
  }

  /** One SGD step on the event; returns the prediction made before the step. */
  public double learn(PersonalParameters userRow, int item, FeatureVector x, double label) {
    return learn(userRow, item, x, label, 1);
  }

  /**
   * One SGD step on an example that counts {@code weight} times (an implicit signal's weight): the
   * gradient of weight times the per-event objective, its loss and the lazy regularization of the
   * parameters it touches alike, as if it were seen {@code weight} times at a small step. Returns
   * the prediction made before the step.
   */
  public double learn(
      PersonalParameters userRow, int item, FeatureVector x, double label, double weight) {
    return learn(userRow, item, x, label, weight, rowSteps);
  }

  /**
   * One SGD step of weight 1 whose user row moves at {@code userRowSteps} (a user's early steps),
   * the shared block at this trainer's steps. Returns the prediction made before the step.
   */
  public double learn(
      PersonalParameters userRow,
      int item,
      FeatureVector x,
      double label,
      double weight,
      StepSizes userRowSteps) {
    return learn(userRow, item, x, label, weight, userRowSteps, steps);
  }

  /**
   * One SGD step with the user row at {@code userRowSteps} and the shared block at {@code
   * sharedSteps} (a new item's early steps). Returns the prediction made before the step.
   */
  public double learn(
      PersonalParameters userRow,
      int item,
      FeatureVector x,
      double label,
      double weight,
      StepSizes userRowSteps,
      StepSizes sharedSteps) {
    shared.ensureItem(item);
    return model.globalStep(
        shared,
        userRow,
        item,
        x,
        label,
        regularization,
        sharedSteps,
        userRowSteps,
        model.kind().globalHasUserRows(),
        weight);
  }
}
