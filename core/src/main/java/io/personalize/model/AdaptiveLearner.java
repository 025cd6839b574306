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
 * <p>Only a share of the users ({@link SelfTuning#candidateShare}) keep a block per candidate and
 * are the selector's evidence. Every other user keeps one personal block, stepped at its group's
 * best personal candidate of the moment, and its global row, and predicts with the group's choice:
 * two blocks learn per event instead of one per candidate.
 *
 * <p>{@link #step} is the one per-event routine the evaluator and the Flink per-user operator both
 * call: it returns the prediction made before learning, then learns.
 */
public final class AdaptiveLearner {
  private final PersonalLearner learner;
  private final List<PersonalSettings> candidates;
  private final PersonalSettings globalRowSettings;
  private final CandidateSelector selector;
  private final double candidateShare;
  private double sampleShare;
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
    this(model, candidates, null, selector, 1);
  }

  /**
   * @param globalRowSettings how the global side steps a user's row (its bias and factor steps and
   *     regularization), or null for no global-row candidate
   * @param candidateShare the share of users that keep a block per candidate ({@link
   *     SelfTuning#candidateShare})
   */
  public AdaptiveLearner(
      Model model,
      List<PersonalSettings> candidates,
      PersonalSettings globalRowSettings,
      CandidateSelector selector,
      double candidateShare) {
    if (!(candidateShare > 0 && candidateShare <= 1)) {
      throw new IllegalArgumentException("candidateShare must be in (0, 1]: " + candidateShare);
    }
    this.candidateShare = candidateShare;
    this.sampleShare = candidateShare;
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

  /** A user's state with a block per candidate, as every user of the batch protocols has. */
  public AdaptiveUserState start(PersonalParameters globalBlock) {
    return start(globalBlock, candidates.size());
  }

  /**
   * A new user's state in the stream: a block per candidate for a user in the sampled share, one
   * personal block otherwise.
   *
   * @param userSeed the user's seed (a hash of its id): the same user is sampled everywhere
   */
  public AdaptiveUserState start(PersonalParameters globalBlock, long userSeed) {
    return start(globalBlock, blocksOfUser(userSeed));
  }

  private AdaptiveUserState start(PersonalParameters globalBlock, int blocks) {
    AdaptiveUserState state = AdaptiveUserState.startingFrom(globalBlock, blocks);
    if (globalRowSettings == null) {
      state.globalRow = null;
    }
    return state;
  }

  /**
   * The personal blocks a user keeps: one per candidate for a user in the sampled share, else 1.
   * The draw is a function of the user's seed alone.
   */
  public int blocksOfUser(long userSeed) {
    return inSample(userSeed) ? candidates.size() : 1;
  }

  /** Whether the user of this seed is in the sampled share as it is now ({@link #shrinkSample}). */
  public boolean inSample(long userSeed) {
    return UserSample.includes(userSeed, SAMPLE_SALT, sampleShare);
  }

  /**
   * Makes the sampled share {@code share}, or the configured one if that is smaller; a configured
   * share of 1 is every user, not a sample, and stays. New users the smaller share does not draw
   * start with one block, and the caller moves the states of users it no longer draws to one block
   * ({@link #blockKeptOnLeaving}).
   */
  public void shrinkSample(double share) {
    if (!(share > 0)) {
      throw new IllegalArgumentException("share must be > 0: " + share);
    }
    if (candidateShare < 1) {
      sampleShare = Math.min(candidateShare, share);
    }
  }

  /** Whether {@link #shrinkSample} made the sampled share smaller than the configured one. */
  public boolean sampleShrunk() {
    return sampleShare < candidateShare;
  }

  /**
   * The one block a user keeps on leaving the sample: the block of its group's best personal
   * candidate, the one every user outside the sample is stepped at.
   */
  public int blockKeptOnLeaving(int group) {
    return selector.bestPersonal(group);
  }

  /** Separates the sampling draw from other uses of the user's seed (its initial row). */
  private static final long SAMPLE_SALT = 0x5A3C_61E2_D0B7_4F19L;

  /** Whether the state keeps a block per candidate (and is the selector's evidence). */
  private boolean everyCandidate(AdaptiveUserState state) {
    return state.blocks.length == candidates.size();
  }

  /** The prediction of the candidate the user's group currently uses. */
  public double predict(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, int group) {
    return learner.predict(shared, block(state, selector.best(group)), item, x);
  }

  /**
   * Candidate {@code c}'s block of a user: a personal block (a user with one personal block: that
   * block for every personal candidate), or the global row.
   */
  public PersonalParameters block(AdaptiveUserState state, int c) {
    if (c >= candidates.size()) {
      return state.globalRow;
    }
    return everyCandidate(state) ? state.blocks[c] : state.blocks[0];
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
    if (!everyCandidate(state)) {
      return learnWithOneBlock(shared, state, item, x, label, weight, group, chosen);
    }
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
   * A user outside the sampled share: its one personal block learns at the group's best personal
   * candidate, its global row as the global side steps it; nothing is recorded for the selector.
   * Returns the prediction of the group's choice.
   */
  private double learnWithOneBlock(
      SharedParameters shared,
      AdaptiveUserState state,
      int item,
      FeatureVector x,
      double label,
      double weight,
      int group,
      int chosen) {
    int personal = selector.bestPersonal(group);
    double own =
        learner.learn(
            shared,
            state.blocks[0],
            null,
            item,
            x,
            label,
            settings(personal, state.events),
            weight);
    if (state.globalRow == null) {
      return own;
    }
    int row = candidates.size();
    double global =
        learner.learn(
            shared, state.globalRow, null, item, x, label, settings(row, state.events), weight);
    return chosen == row ? global : own;
  }

  /**
   * Own steps without recording losses: the refit passes of the batch protocols, whose users keep a
   * block per candidate. The global row is the batch global model's and takes no own steps.
   */
  public void fit(
      SharedParameters shared, AdaptiveUserState state, int item, FeatureVector x, double label) {
    if (!everyCandidate(state)) {
      throw new IllegalArgumentException("the batch refit needs a block per candidate");
    }
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
