package io.personalize.model;

import io.personalize.neighbours.NeighbourSettings;
import java.util.List;

/**
 * Hyper-parameters of the model and its modes, validated on construction. Defaults ({@link
 * #defaults}) were tuned on ml-100k only; see docs/evaluation.md for how.
 *
 * @param kind which model (the default is the hybrid)
 * @param factors k, the length of q_u and p_i
 * @param initStd standard deviation of the initial factors
 * @param seed seed of initial factors and of shuffles
 * @param globalSteps SGD step sizes of the global model
 * @param rateDecay per-epoch multiplier of the global step sizes (batch protocols)
 * @param globalRegularization L2 strengths of the global model
 * @param epochs T, epochs of global training (batch protocols)
 * @param personalEpochs epochs of own steps of the personal modes (batch protocols)
 * @param local how the local mode's blocks learn (each user alone, no global data)
 * @param mtl how the multi-task mode's blocks learn; its bias and factor strengths pull toward the
 *     user's global row
 * @param adaptiveCandidates candidate settings of the adaptive mode; each group picks one from data
 * @param paper eta2 and regularization of the literal batch form's own steps
 * @param groups C, the number of user groups
 * @param regroupEvery events between recomputations of the group boundaries (stream)
 * @param tuning which settings the model learns from the stream itself
 * @param neighbours the item-neighbourhood correction of the adaptive mode's rating predictions, or
 *     null for none (the default)
 */
public record ModelConfig(
    ModelKind kind,
    Loss loss,
    int factors,
    double initStd,
    long seed,
    StepSizes globalSteps,
    double rateDecay,
    Regularization globalRegularization,
    int epochs,
    int personalEpochs,
    PersonalSettings local,
    PersonalSettings mtl,
    List<PersonalSettings> adaptiveCandidates,
    PersonalSettings paper,
    int groups,
    int regroupEvery,
    SelfTuning tuning,
    NeighbourSettings neighbours)
    implements java.io.Serializable {

  public ModelConfig {
    require(factors > 0 || !kind.usesFactors(), "factors must be > 0 for " + kind);
    require(initStd >= 0 && initStd < 1, "initStd must be in [0, 1)");
    require(rateDecay > 0 && rateDecay <= 1, "rateDecay must be in (0, 1]");
    require(epochs >= 1, "epochs must be >= 1");
    require(personalEpochs >= 0, "personalEpochs must be >= 0");
    require(!adaptiveCandidates.isEmpty(), "need at least one adaptive candidate");
    require(groups >= 1, "groups must be >= 1");
    require(regroupEvery >= 1, "regroupEvery must be >= 1");
    java.util.Objects.requireNonNull(tuning, "tuning");
    adaptiveCandidates = List.copyOf(adaptiveCandidates);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Tuned defaults for a model kind and a stream (one pass) or batch (epochs) protocol, learning
   * its settings from the stream ({@link SelfTuning#defaults}; batch: the global-row candidate and
   * the trainer chosen on validation folds). Tuned on ml-100k only (docs/evaluation.md has the
   * grids and the numbers).
   *
   * <p>Three personal candidates and the global row: the fourth personal candidate of {@link
   * #defaultsWithoutLearning} (the feature step with the plain pull) was dropped when the global
   * row joined; no group had chosen it, and without it every ml-100k, ml-latest-small and CiaoDVD
   * number stayed within 0.0001, at the cost per event of before.
   */
  public static ModelConfig defaults(ModelKind kind, Loss loss, boolean stream) {
    ModelConfig fixed = defaultsWithoutLearning(kind, loss, stream);
    return fixed.toBuilder()
        .adaptiveCandidates(fixed.adaptiveCandidates().subList(1, 4))
        .tuning(stream ? SelfTuning.defaults() : SelfTuning.globalRowOnly())
        .build();
  }

  /**
   * k of the random batch protocol when it learns its settings and no k is given: with 60 epochs
   * over the data, more factors keep paying (ml-100k batch global 0.9119 at 32, 0.9084 at 128,
   * 0.9057 with AdaGrad chosen; docs/evaluation.md). The stream keeps 32: one pass learns no more
   * with more, and every factor costs on every event.
   */
  public static final int BATCH_FACTORS = 128;

  /**
   * The defaults as they were before the engine learned settings from the stream: the configured
   * step sizes, four personal candidates, no global-row candidate ({@link SelfTuning#off}). The
   * ranking model keeps them; {@code model.learn-settings=false} gives them back.
   */
  public static ModelConfig defaultsWithoutLearning(ModelKind kind, Loss loss, boolean stream) {
    StepSizes steps =
        stream ? new StepSizes(0.002, 0.04, 0.12, 0.005) : new StepSizes(0.001, 0.02, 0.01, 0.005);
    Regularization reg = new Regularization(0.02, stream ? 0.05 : 0.1, 0.01, 0.01);
    double personalFeature = stream ? 0.08 : 0.04;
    List<PersonalSettings> candidates =
        List.of(
            new PersonalSettings(personal(steps, personalFeature), reg),
            new PersonalSettings(personal(steps, personalFeature / 2), reg),
            new PersonalSettings(
                personal(steps, personalFeature * 1.5), reg.withPersonalFeature(0.03)),
            new PersonalSettings(personal(steps, personalFeature), reg.withPersonalFeature(0.1)));
    PersonalSettings plain =
        new PersonalSettings(
            personal(steps, steps.factor()), reg.withPersonalFeature(reg.feature()));
    return new ModelConfig(
        kind,
        loss,
        32,
        stream ? 0.1 : 0.05,
        42,
        steps,
        stream ? 1 : 0.98,
        reg,
        60,
        5,
        plain,
        new PersonalSettings(
            personal(steps, steps.factor()), new Regularization(0.1, 0.1, reg.feature(), 0.1)),
        candidates,
        plain,
        7,
        1000,
        SelfTuning.off(),
        null);
  }

  /** A personal block steps b_u and q_u like the global rows, and w_u at {@code featureStep}. */
  private static StepSizes personal(StepSizes global, double featureStep) {
    return new StepSizes(0, global.bias(), global.factor(), featureStep);
  }

  /** A copy of this configuration to change a few settings of. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a copy of a configuration; {@link #build} validates it. */
  public static final class Builder {
    private ModelKind kind;
    private Loss loss;
    private int factors;
    private double initStd;
    private long seed;
    private StepSizes globalSteps;
    private double rateDecay;
    private Regularization globalRegularization;
    private int epochs;
    private int personalEpochs;
    private PersonalSettings local;
    private PersonalSettings mtl;
    private List<PersonalSettings> adaptiveCandidates;
    private PersonalSettings paper;
    private int groups;
    private int regroupEvery;
    private SelfTuning tuning;
    private NeighbourSettings neighbours;

    private Builder(ModelConfig c) {
      kind = c.kind;
      loss = c.loss;
      factors = c.factors;
      initStd = c.initStd;
      seed = c.seed;
      globalSteps = c.globalSteps;
      rateDecay = c.rateDecay;
      globalRegularization = c.globalRegularization;
      epochs = c.epochs;
      personalEpochs = c.personalEpochs;
      local = c.local;
      mtl = c.mtl;
      adaptiveCandidates = c.adaptiveCandidates;
      paper = c.paper;
      groups = c.groups;
      regroupEvery = c.regroupEvery;
      tuning = c.tuning;
      neighbours = c.neighbours;
    }

    public Builder factors(int factors) {
      this.factors = factors;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder globalSteps(StepSizes steps) {
      this.globalSteps = steps;
      return this;
    }

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder personalEpochs(int personalEpochs) {
      this.personalEpochs = personalEpochs;
      return this;
    }

    public Builder groups(int groups) {
      this.groups = groups;
      return this;
    }

    public Builder regroupEvery(int regroupEvery) {
      this.regroupEvery = regroupEvery;
      return this;
    }

    public Builder adaptiveCandidates(List<PersonalSettings> candidates) {
      this.adaptiveCandidates = candidates;
      return this;
    }

    public Builder tuning(SelfTuning tuning) {
      this.tuning = tuning;
      return this;
    }

    /** The item-neighbourhood correction of adaptive's rating predictions; null for none. */
    public Builder neighbours(NeighbourSettings neighbours) {
      this.neighbours = neighbours;
      return this;
    }

    public ModelConfig build() {
      return new ModelConfig(
          kind,
          loss,
          factors,
          initStd,
          seed,
          globalSteps,
          rateDecay,
          globalRegularization,
          epochs,
          personalEpochs,
          local,
          mtl,
          adaptiveCandidates,
          paper,
          groups,
          regroupEvery,
          tuning,
          neighbours);
    }
  }

  /**
   * How the global side steps a user's row: its bias and factor steps (no personal feature weights)
   * and its regularization; the adaptive mode's global-row candidate steps the same way.
   */
  public PersonalSettings globalRowSettings() {
    return new PersonalSettings(
        new StepSizes(0, globalSteps.bias(), globalSteps.factor(), 0), globalRegularization);
  }

  /**
   * These settings with another share of users that keep a block per adaptive candidate ({@link
   * SelfTuning#candidateShare}).
   */
  public ModelConfig withCandidateShare(double share) {
    return toBuilder().tuning(tuning.withCandidateShare(share)).build();
  }

  /**
   * The adaptive mode's learner of this configuration: its personal candidates, the global row as
   * the last candidate and every group's default when {@link SelfTuning#globalRowCandidate}, and a
   * selector asking {@link SelfTuning#selectionEvidence} to leave it.
   */
  public AdaptiveLearner adaptiveLearner(Model model) {
    int personal = adaptiveCandidates.size();
    boolean row = tuning.globalRowCandidate();
    return new AdaptiveLearner(
        model,
        adaptiveCandidates,
        row ? globalRowSettings() : null,
        new CandidateSelector(
            groups, personal + (row ? 1 : 0), row ? personal : -1, tuning.selectionEvidence()),
        tuning.candidateShare());
  }

  public Model model(int featureDimension) {
    return Model.of(kind, loss, factors, featureDimension);
  }

  public Initializer initializer() {
    return new Initializer(seed, initStd);
  }
}
