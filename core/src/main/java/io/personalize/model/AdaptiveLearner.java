package io.personalize.model;

import java.util.List;

/**
 * The stream form of the adaptive model (ALGORITHM.md section 3): the shared block always comes
 * from the latest global state; the user's personal block starts from the global model at the
 * user's first event and then takes the user's own SGD steps, at a step size and with a pull toward
 * the global feature weights that depend on the user's group. The group's setting is chosen online
 * among candidates by a {@link CandidateSelector}.
 *
 * <p>With a global-row setting, the last candidate is borrowing everything: the user's row of the
 * global model (no personal feature weights), stepped as the global side steps it. A group whose
 * personal candidates all lose to the global model then predicts as the global model does.
 *
 * <p>Step sizes follow the {@link LearnedSettings} the global side learned: the chosen bias and
 * factor multipliers, and the early multiplier during a user's first events.
 *
 * <p>{@link #step} is the one per-event routine the evaluator and the Flink per-user operator both
 * call: it returns the prediction made before learning, then learns.
 */
public final class AdaptiveLearner {
  private final PersonalLearner learner;
  private final List<PersonalSettings> candidates;
  private final PersonalSettings globalRowSettings;
  private final CandidateSelector selector;
  private LearnedSettings learned;
  private final PersonalSettings[] steady;
  private final PersonalSettings[] early;
  private final double[] losses;
  private final double[] userLosses;
  private long userEvents;
  private double scaledBias = Double.NaN;
  private double scaledFactor = Double.NaN;
  private double scaledEarly = Double.NaN;

  public AdaptiveLearner(
      Model model, List<PersonalSettings> candidates, CandidateSelector selector) {
    this(model, candidates, null, selector);
  }

  /**
   * @param globalRowSettings how the global side steps a user's row (its bias and factor steps and
   *     regularization), or null for no global-row candidate
   */
  public AdaptiveLearner(
      Model model,
      List<PersonalSettings> candidates,
      PersonalSettings globalRowSettings,
      CandidateSelector selector) {
    int expected = candidates.size() + (globalRowSettings != null ? 1 : 0);
    if (candidates.isEmpty() || expected != selector.candidates()) {
      throw new IllegalArgumentException(
          "need as many candidates as the selector tracks: "
              + expected
              + " vs "
              + selector.candidates());
    }
    this.learner = new PersonalLearner(model);
    this.candidates = List.copyOf(candidates);
    this.globalRowSettings = globalRowSettings;
    this.selector = selector;
    if (globalRowSettings != null && selector.reference() != candidates.size()) {
      throw new IllegalArgumentException(
          "the selector's reference must be the global-row candidate " + candidates.size());
    }
    this.steady = new PersonalSettings[expected];
    this.losses = new double[expected];
    this.userLosses = new double[expected];
    this.early = new PersonalSettings[expected];
    useSettings(LearnedSettings.initial(0, 0, false));
  }

  /** The settings learned on the global side to step with from now on. */
  public void useSettings(LearnedSettings settings) {
    this.learned = settings;
    rescale();
  }

  private void rescale() {
    for (int c = 0; c < steady.length; c++) {
      PersonalSettings s = c < candidates.size() ? candidates.get(c) : globalRowSettings;
      steady[c] = new PersonalSettings(learned.scale(s.steps(), false), s.regularization());
      early[c] = new PersonalSettings(learned.scale(s.steps(), true), s.regularization());
    }
    scaledBias = learned.biasMultiplier;
    scaledFactor = learned.factorMultiplier;
    scaledEarly = learned.earlyMultiplier;
  }

  private PersonalSettings settings(int c, long events) {
    if (learned.biasMultiplier != scaledBias
        || learned.factorMultiplier != scaledFactor
        || learned.earlyMultiplier != scaledEarly) {
      rescale();
    }
    return learned.early(events) ? early[c] : steady[c];
  }

  /** The personal candidates' settings as configured (before the learned multipliers). */
  public List<PersonalSettings> candidates() {
    return candidates;
  }

  /** A readable name of candidate {@code c}, for reports. */
  public String describe(int c) {
    return c < candidates.size() ? candidates.get(c).toString() : "global row (borrow everything)";
  }

  public CandidateSelector selector() {
    return selector;
  }

  public Model model() {
    return learner.model();
  }

  public AdaptiveUserState start(PersonalParameters globalBlock) {
    AdaptiveUserState state = AdaptiveUserState.startingFrom(globalBlock, candidates.size());
    if (globalRowSettings == null) {
      state.globalRow = null;
    }
    return state;
  }

  /** The prediction of the candidate the user's group currently uses. */
  public double predict(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, int group) {
    return learner.predict(shared, block(state, selector.best(group)), item, x);
  }

  /** Candidate {@code c}'s block of a user: a personal block, or the global row. */
  public PersonalParameters block(AdaptiveUserState state, int c) {
    return c < candidates.size() ? state.blocks[c] : state.globalRow;
  }

  /**
   * Predicts with the group's current candidate, then lets every candidate learn from the event and
   * records each candidate's prequential loss for the group.
   */
  public double step(
      SharedParameters shared,
      AdaptiveUserState state,
      int item,
      FeatureVector x,
      double label,
      int group) {
    double prediction = learnExample(shared, state, item, x, label, 1, group);
    state.events++;
    return prediction;
  }

  /**
   * One training example of an event that counts {@code weight} times, without counting an event:
   * predicts with the group's current candidate, then lets every candidate learn the example and
   * records each candidate's loss times {@code weight} (the selector then compares candidates on
   * the objective they learn). An event of the ranking model is several examples, its positive and
   * sampled negatives, and its caller counts the event once.
   */
  public double learnExample(
      SharedParameters shared,
      AdaptiveUserState state,
      int item,
      FeatureVector x,
      double label,
      double weight,
      int group) {
    int chosen = selector.best(group);
    double chosenPrediction = Double.NaN;
    Loss loss = learner.model().loss();
    for (int c = 0; c < steady.length; c++) {
      double prediction =
          learner.learn(
              shared, block(state, c), null, item, x, label, settings(c, state.events), weight);
      losses[c] = loss.loss(prediction, label);
      if (c == chosen) {
        chosenPrediction = prediction;
      }
    }
    selector.recordEvent(group, losses, weight);
    selector.recordChosen(group, weight * losses[chosen]);
    return chosenPrediction;
  }

  /**
   * Own steps without recording losses: the refit passes of the batch protocols. The global row is
   * the batch global model's and takes no own steps.
   */
  public void fit(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, double label) {
    for (int c = 0; c < candidates.size(); c++) {
      learner.learn(shared, state.blocks[c], null, item, x, label, settings(c, state.events));
    }
    state.events++;
  }

  /**
   * Adds every candidate's loss on a held-out event of the user being validated, without learning
   * from it; {@link #endValidationOfUser} records the user's sums.
   */
  public void validate(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, double label) {
    Loss loss = learner.model().loss();
    for (int c = 0; c < steady.length; c++) {
      userLosses[c] += loss.loss(learner.predict(shared, block(state, c), item, x), label);
    }
    userEvents++;
  }

  /** Records the held-out losses of the user just validated, as one user's evidence. */
  public void endValidationOfUser(int group) {
    if (userEvents > 0) {
      selector.recordUser(group, userLosses, userEvents);
    }
    java.util.Arrays.fill(userLosses, 0);
    userEvents = 0;
  }
}
