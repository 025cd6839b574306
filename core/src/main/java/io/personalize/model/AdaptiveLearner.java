package io.personalize.model;

import java.util.List;

/**
 * The stream form of the adaptive model (ALGORITHM.md section 3): the shared block always comes
 * from the latest global state; the user's personal block starts from the global model at the
 * user's first event and then takes the user's own SGD steps, at a step size and with a pull toward
 * the global feature weights that depend on the user's group. The group's setting is chosen online
 * among candidates by a {@link CandidateSelector}.
 *
 * <p>{@link #step} is the one per-event routine the evaluator and the Flink per-user operator both
 * call: it returns the prediction made before learning, then learns.
 */
public final class AdaptiveLearner {
  private final PersonalLearner learner;
  private final List<PersonalSettings> candidates;
  private final CandidateSelector selector;

  public AdaptiveLearner(
      Model model, List<PersonalSettings> candidates, CandidateSelector selector) {
    if (candidates.isEmpty() || candidates.size() != selector.candidates()) {
      throw new IllegalArgumentException(
          "need as many candidates as the selector tracks: "
              + candidates.size()
              + " vs "
              + selector.candidates());
    }
    this.learner = new PersonalLearner(model);
    this.candidates = List.copyOf(candidates);
    this.selector = selector;
  }

  public List<PersonalSettings> candidates() {
    return candidates;
  }

  public CandidateSelector selector() {
    return selector;
  }

  public Model model() {
    return learner.model();
  }

  public AdaptiveUserState start(PersonalParameters globalBlock) {
    return AdaptiveUserState.startingFrom(globalBlock, candidates.size());
  }

  /** The prediction of the candidate the user's group currently uses. */
  public double predict(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, int group) {
    return learner.predict(shared, state.blocks[selector.best(group)], item, x);
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
    for (int c = 0; c < candidates.size(); c++) {
      double prediction =
          learner.learn(shared, state.blocks[c], null, item, x, label, candidates.get(c), weight);
      selector.record(group, c, weight * loss.loss(prediction, label));
      if (c == chosen) {
        chosenPrediction = prediction;
      }
    }
    return chosenPrediction;
  }

  /** Own steps without recording losses: the refit passes of the batch protocols. */
  public void fit(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, double label) {
    for (int c = 0; c < candidates.size(); c++) {
      learner.learn(shared, state.blocks[c], null, item, x, label, candidates.get(c));
    }
    state.events++;
  }

  /** Records every candidate's loss on a held-out event without learning from it. */
  public void validate(
      SharedParameters shared,
      AdaptiveUserState state,
      int item,
      FeatureVector x,
      double label,
      int group) {
    Loss loss = learner.model().loss();
    for (int c = 0; c < candidates.size(); c++) {
      selector.record(
          group, c, loss.loss(learner.predict(shared, state.blocks[c], item, x), label));
    }
  }
}
