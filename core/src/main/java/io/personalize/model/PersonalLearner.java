package io.personalize.model;

/**
 * The personal model's per-event step: reads the shared block, writes only the user's personal
 * block. With an anchor (the user's global row) b_u and q_u are pulled toward it, which is
 * multi-task learning; without one they are pulled toward zero.
 */
public final class PersonalLearner {
  private final Model model;

  public PersonalLearner(Model model) {
    this.model = model;
  }

  public Model model() {
    return model;
  }

  public double predict(
      SharedParameters shared, PersonalParameters personal, int item, FeatureVector x) {
    shared.ensureItem(item);
    return model.predict(shared, personal, item, x);
  }

  /** One SGD step on the user's event; returns the prediction made before the step. */
  public double learn(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      PersonalSettings settings) {
    return learn(shared, personal, anchor, item, x, label, settings, 1);
  }

  /**
   * One SGD step on an example that counts {@code weight} times: the step of weight 1 scaled by
   * {@code weight}. Returns the prediction made before the step.
   */
  public double learn(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      PersonalSettings settings,
      double weight) {
    shared.ensureItem(item);
    return model.personalStep(shared, personal, anchor, item, x, label, settings, weight);
  }
}
