package io.personalize.model;

/**
 * A model of one event (user, item, label) with parameters split in two blocks: the shared block
 * ({@link SharedParameters}: mean, item rows, global feature weights), learned by the global
 * trainer, and the personal block ({@link PersonalParameters}: b_u, q_u, w_u), learned per user.
 *
 * <p>Implementations are stateless: all state is in the blocks, so one instance serves every user
 * and every thread.
 */
public interface Model {
  ModelKind kind();

  Loss loss();

  int factors();

  int featureDimension();

  /** The linear predictor z. */
  double score(SharedParameters shared, PersonalParameters personal, int item, FeatureVector x);

  /** The prediction: a rating for the squared loss, a probability for the logistic loss. */
  default double predict(
      SharedParameters shared, PersonalParameters personal, int item, FeatureVector x) {
    return loss().link(score(shared, personal, item, x));
  }

  /**
   * The per-event objective: loss plus the regularization of the touched parameters (see {@link
   * Regularization}); {@code anchor} may be null (pull toward zero).
   */
  double objective(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      Regularization reg);

  /** Writes the gradient of {@link #objective} into {@code out}; returns the prediction. */
  double gradient(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      Regularization reg,
      Gradient out);

  /**
   * One SGD step of the personal block alone, the shared block read only: the same result, bit for
   * bit, as {@link #gradient} times {@code weight} applied as an SGD step to b_u, q_u and w_u,
   * without computing the shared block's half of the gradient or buffering the personal half. This
   * is the per-user side's inner loop, which runs once per candidate per event. Returns the
   * prediction made before the step.
   */
  double personalStep(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      PersonalSettings settings,
      double weight);

  /**
   * One SGD step of the global model: the shared block at {@code sharedSteps} and, if {@code
   * stepRow}, the user's row (b_u, q_u; a row has no feature weights) at {@code rowSteps}. The same
   * result, bit for bit, as {@link #gradient} (no anchor) times {@code weight} applied to the
   * shared block and then to the row, without buffering the gradient. Returns the prediction made
   * before the step.
   */
  double globalStep(
      SharedParameters shared,
      PersonalParameters row,
      int item,
      FeatureVector x,
      double label,
      Regularization reg,
      StepSizes sharedSteps,
      StepSizes rowSteps,
      boolean stepRow,
      double weight);

  static Model of(ModelKind kind, Loss loss, int factors, int featureDimension) {
    return new AdditiveModel(kind, loss, factors, featureDimension);
  }

  static Model of(ModelKind kind, int factors, int featureDimension) {
    return of(kind, kind.defaultLoss(), factors, featureDimension);
  }
}
