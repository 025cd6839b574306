package io.personalize.eval;

import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.UserSample;
import io.personalize.model.features.FeatureSpace;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one evaluation run does: protocol, target, split sizes and model settings.
 *
 * @param protocol how events are split
 * @param target rating (squared loss) or like-signal (logistic loss)
 * @param likeThreshold a value at or above this is a like (default 4)
 * @param testFraction the test share of the batch and user-split protocols (default 0.2)
 * @param validationFraction the share of each user's training events held out to choose the
 *     adaptive mode's per-group settings in the batch protocols (default 0.1)
 * @param model hyper-parameters
 * @param modes which modes to run (those the protocol cannot run are skipped)
 * @param features the item feature space (genre vocabulary, hashed buckets), as in the job
 * @param topN the recommending half's settings, for the top-N protocols
 * @param sampleMaxUsers about how many users the adaptive candidates' sample keeps at most, as in
 *     the job ({@code sample.max-users}); the evaluator scores every user for the shadow modes
 */
public record EvaluationConfig(
    Protocol protocol,
    Target target,
    double likeThreshold,
    double testFraction,
    double validationFraction,
    ModelConfig model,
    Set<Mode> modes,
    FeatureSpace features,
    TopNSettings topN,
    long sampleMaxUsers) {

  /** A run with the job's default recommendation settings and bound of the samples. */
  public EvaluationConfig(
      Protocol protocol,
      Target target,
      double likeThreshold,
      double testFraction,
      double validationFraction,
      ModelConfig model,
      Set<Mode> modes,
      FeatureSpace features) {
    this(
        protocol,
        target,
        likeThreshold,
        testFraction,
        validationFraction,
        model,
        modes,
        features,
        TopNSettings.defaults(),
        UserSample.DEFAULT_MAX_USERS);
  }

  /** A run with the default feature space (the MovieLens genres, 16 hashed buckets). */
  public EvaluationConfig(
      Protocol protocol,
      Target target,
      double likeThreshold,
      double testFraction,
      double validationFraction,
      ModelConfig model,
      Set<Mode> modes) {
    this(
        protocol,
        target,
        likeThreshold,
        testFraction,
        validationFraction,
        model,
        modes,
        new FeatureSpace(FeatureSpace.MOVIELENS_GENRES, 16));
  }

  public EvaluationConfig {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1), was " + testFraction);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1), was " + validationFraction);
    }
    if (!Double.isFinite(likeThreshold)) {
      throw new IllegalArgumentException("likeThreshold must be finite");
    }
    java.util.Objects.requireNonNull(topN, "topN");
    if (sampleMaxUsers < 1) {
      throw new IllegalArgumentException("sampleMaxUsers must be >= 1, was " + sampleMaxUsers);
    }
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("no mode to run");
    }
    Set<Mode> runnable = EnumSet.noneOf(Mode.class);
    for (Mode mode : modes) {
      if (!(protocol.isStream() && mode.needsEpochs())) {
        runnable.add(mode);
      }
    }
    if (runnable.isEmpty()) {
      throw new IllegalArgumentException(
          "none of the modes " + modes + " runs in " + protocol.label());
    }
    modes = Set.copyOf(runnable);
  }

  public FeatureSpace featureSpace() {
    return features;
  }

  public boolean runs(Mode mode) {
    return modes.contains(mode);
  }
}
