package io.personalize.model;

import java.util.List;

/**
 * Hyper-parameters of the model and its modes, validated on construction. Defaults ({@link
 * #defaults}) were tuned on ml-100k only; see docs/evaluation.md for how.
 *
 * @param kind which model (the default is the hybrid)
 * @param factors k, the length of q_u and p_i
 * @param initStd standard deviation of the initial factors
 * @param seed seed of initial factors and of shuffles
 * @param globalRate SGD step size of the global model
 * @param rateDecay per-epoch multiplier of the global step size (batch protocols)
 * @param globalRegularization L2 strengths of the global model
 * @param epochs T, epochs of global training (batch protocols)
 * @param personalEpochs epochs of own steps of the personal modes (batch protocols)
 * @param local how the local mode's blocks learn (each user alone, no global data)
 * @param mtl how the multi-task mode's blocks learn; its bias and factor strengths pull toward the
 *     user's global row
 * @param adaptiveCandidates candidate settings of the adaptive mode; each group picks one from data
 * @param paperRate eta2 of the literal batch form's own steps
 * @param groups C, the number of user groups
 * @param regroupEvery events between recomputations of the group boundaries (stream)
 */
public record ModelConfig(
    ModelKind kind,
    Loss loss,
    int factors,
    double initStd,
    long seed,
    double globalRate,
    double rateDecay,
    Regularization globalRegularization,
    int epochs,
    int personalEpochs,
    PersonalSettings local,
    PersonalSettings mtl,
    List<PersonalSettings> adaptiveCandidates,
    double paperRate,
    int groups,
    int regroupEvery) {

  public ModelConfig {
    require(factors > 0 || !kind.usesFactors(), "factors must be > 0 for " + kind);
    require(initStd >= 0 && initStd < 1, "initStd must be in [0, 1)");
    require(globalRate > 0 && globalRate < 1, "globalRate must be in (0, 1)");
    require(rateDecay > 0 && rateDecay <= 1, "rateDecay must be in (0, 1]");
    require(epochs >= 1, "epochs must be >= 1");
    require(personalEpochs >= 0, "personalEpochs must be >= 0");
    require(!adaptiveCandidates.isEmpty(), "need at least one adaptive candidate");
    require(paperRate > 0 && paperRate < 1, "paperRate must be in (0, 1)");
    require(groups >= 1, "groups must be >= 1");
    require(regroupEvery >= 1, "regroupEvery must be >= 1");
    adaptiveCandidates = List.copyOf(adaptiveCandidates);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Tuned defaults for a model kind and a stream (one pass) or batch (epochs) protocol. */
  public static ModelConfig defaults(ModelKind kind, Loss loss, boolean stream) {
    double rate = stream ? 0.02 : 0.01;
    Regularization reg = new Regularization(0.02, 0.05, 0.01, 0.1);
    PersonalSettings base = new PersonalSettings(rate, rate, reg);
    List<PersonalSettings> candidates =
        List.of(
            base,
            new PersonalSettings(rate, rate * 2, reg.withPersonalFeature(0.03)),
            new PersonalSettings(rate, rate * 0.5, reg.withPersonalFeature(0.3)),
            new PersonalSettings(rate * 1.5, rate * 3, reg.withPersonalFeature(0.01)));
    return new ModelConfig(
        kind,
        loss,
        32,
        0.1,
        42,
        rate,
        stream ? 1 : 0.95,
        reg,
        40,
        20,
        new PersonalSettings(rate, rate, reg.withPersonalFeature(reg.feature())),
        new PersonalSettings(rate, rate, new Regularization(0.1, 0.1, reg.feature(), 0.1)),
        candidates,
        rate,
        7,
        1000);
  }

  public Model model(int featureDimension) {
    return Model.of(kind, loss, factors, featureDimension);
  }

  public Initializer initializer() {
    return new Initializer(seed, initStd);
  }
}
