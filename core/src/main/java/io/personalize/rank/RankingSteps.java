package io.personalize.rank;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.EventKind;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SharedParameters;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The one place that turns an observed event into the training examples of the "will interact"
 * ranking model (the additive model with {@code Loss.LOGISTIC}): the positive, the event's item
 * with label 1 and its type's {@link SignalWeights weight}, then up to {@code negatives} sampled
 * items with label 0 and weight 1, none of them the positive or an item the caller excludes (the
 * user's items). The global side learns them with {@link GlobalTrainer#learn}, the personal side
 * with {@link AdaptiveLearner#learnExample}, as the rating model learns its events.
 *
 * <p>Use: {@link #plan} once per event, then {@link #learnPersonal} (which reads the shared block)
 * before {@link #learnGlobal} (which writes it) when both run in one process, as the evaluator
 * does. The job draws an event's negatives once, upstream in an operator keyed by user, and both of
 * its model operators learn them ({@link #use}). The sampler's counts are the caller's to keep: one
 * {@code add} per event, after its negatives are drawn.
 *
 * <p>An event type of weight 0 plans nothing: no example is learned and no event counted. Holds one
 * plan at a time in reused arrays; not thread-safe.
 */
public final class RankingSteps {
  private final SignalWeights signals;
  private final NegativeSampler sampler;
  private final int[] items;
  private final double[] labels;
  private final double[] weights;
  private final int[] negativeBuffer;
  private int size;

  /**
   * @param negatives sampled negatives per positive, >= 0
   * @param sampler draws the negatives of {@link #plan}; null when they always come from elsewhere
   *     ({@link #use} only)
   */
  public RankingSteps(SignalWeights signals, int negatives, NegativeSampler sampler) {
    if (negatives < 0) {
      throw new IllegalArgumentException("negatives per positive must be >= 0, was " + negatives);
    }
    this.signals = signals;
    this.sampler = sampler;
    this.items = new int[1 + negatives];
    this.labels = new double[1 + negatives];
    this.weights = new double[1 + negatives];
    this.negativeBuffer = new int[negatives];
  }

  /**
   * Plans the examples of one event on {@code item}; returns their number: 0 for a type of weight
   * 0, else 1 plus the negatives drawn (fewer than configured only when the catalog has no more
   * items the user has not touched).
   */
  public int plan(int item, EventKind kind, IntPredicate userItems) {
    if (signals.weight(kind) == 0) {
      size = 0;
      return 0;
    }
    int drawn =
        sampler.sample(negativeBuffer, negativeBuffer.length, i -> i == item || userItems.test(i));
    return use(item, kind, negativeBuffer, drawn);
  }

  /**
   * Plans the examples of one event whose negatives were drawn elsewhere: the job draws them once
   * per event, upstream, so that the global and the personal halves learn the same examples.
   * Returns their number, as {@link #plan}; negatives beyond the configured number are ignored.
   */
  public int use(int item, EventKind kind, int[] negatives, int count) {
    double weight = signals.weight(kind);
    size = 0;
    if (weight == 0) {
      return 0;
    }
    items[0] = item;
    labels[0] = 1;
    weights[0] = weight;
    int n = Math.min(count, items.length - 1);
    for (int k = 0; k < n; k++) {
      items[1 + k] = negatives[k];
      labels[1 + k] = 0;
      weights[1 + k] = 1;
    }
    size = 1 + n;
    return size;
  }

  /** Negatives per positive this plans. */
  public int negatives() {
    return negativeBuffer.length;
  }

  /** Examples in the current plan. */
  public int size() {
    return size;
  }

  public int item(int example) {
    return items[checked(example)];
  }

  public double label(int example) {
    return labels[checked(example)];
  }

  public double weight(int example) {
    return weights[checked(example)];
  }

  /**
   * The global model learns the plan (shared block and, for models that have one, the user's global
   * row); returns the prediction of the positive before learning, NaN for an empty plan.
   */
  public double learnGlobal(
      GlobalTrainer trainer, PersonalParameters userRow, IntFunction<FeatureVector> features) {
    double positive = Double.NaN;
    for (int e = 0; e < size; e++) {
      double prediction =
          trainer.learn(userRow, items[e], features.apply(items[e]), labels[e], weights[e]);
      if (e == 0) {
        positive = prediction;
      }
    }
    return positive;
  }

  /**
   * The user's personal blocks learn the plan, each candidate of the adaptive model recording its
   * weighted loss for the user's group, and the event is counted once; returns the prediction of
   * the positive before learning by the group's candidate, NaN for an empty plan.
   */
  public double learnPersonal(
      AdaptiveLearner learner,
      SharedParameters shared,
      AdaptiveUserState state,
      IntFunction<FeatureVector> features,
      int group) {
    double positive = Double.NaN;
    for (int e = 0; e < size; e++) {
      double prediction =
          learner.learnExample(
              shared, state, items[e], features.apply(items[e]), labels[e], weights[e], group);
      if (e == 0) {
        positive = prediction;
      }
    }
    if (size > 0) {
      state.events++;
    }
    return positive;
  }

  private int checked(int example) {
    if (example < 0 || example >= size) {
      throw new IndexOutOfBoundsException("example " + example + " of a plan of " + size);
    }
    return example;
  }
}
