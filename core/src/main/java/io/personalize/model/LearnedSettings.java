package io.personalize.model;

import java.util.Arrays;

/**
 * What the global side has learned about the stream and ships to the per-user side with every
 * checkpoint: the step multipliers the race of shadow models chose, the step multiplier of a user's
 * first events, and the initial row a new user starts from (the Reptile estimate). A POJO of
 * numbers and arrays, so Flink keeps it without Kryo.
 */
public class LearnedSettings {
  /** The chosen (or, while the race runs, leading) multiplier of the bias step sizes. */
  public double biasMultiplier = 1;

  /** The chosen (or leading) multiplier of the factor step sizes. */
  public double factorMultiplier = 1;

  /**
   * The step multiplier of a user's first {@link #firstEvents} events (personal and global row).
   */
  public double earlyMultiplier = 1;

  public int firstEvents;

  /** A new user's starting bias. */
  public double initialBias;

  /** Added to a new user's random initial factors (length k, or empty). */
  public double[] initialFactors = new double[0];

  /** Step-size races finished so far. */
  public long races;

  /** Whether a step-size race is running (the multipliers may change when it ends). */
  public boolean racing;

  /** Early events that have moved the initial row (Reptile inner steps). */
  public long metaSamples;

  public LearnedSettings() {}

  /** The settings before anything was learned: multipliers 1, a zero initial row. */
  public static LearnedSettings initial(int factors, int firstEvents, boolean racing) {
    LearnedSettings s = new LearnedSettings();
    s.firstEvents = firstEvents;
    s.initialFactors = new double[factors];
    s.racing = racing;
    return s;
  }

  /** Whether an event of a user with {@code events} earlier events is one of its first. */
  public boolean early(long events) {
    return events < firstEvents;
  }

  /**
   * {@code base} with this bias and factor multiplier, and the early one if {@code early}. The
   * early multiplier leaves the feature step alone: it is learned on the global rows, which have no
   * personal feature weights (and on ml-100k, doubling the early feature step cost 0.002 RMSE).
   */
  public StepSizes scale(StepSizes base, boolean early) {
    double m = early ? earlyMultiplier : 1;
    return base.scaled(biasMultiplier * m, factorMultiplier * m);
  }

  /** A new user's starting block: the random initial row moved by the learned initial row. */
  public PersonalParameters start(
      int factors, int featureDimension, Initializer initializer, long seed) {
    PersonalParameters row =
        PersonalParameters.initial(factors, featureDimension, initializer, seed);
    row.bias += initialBias;
    for (int f = 0; f < Math.min(factors, initialFactors.length); f++) {
      row.factors[f] += initialFactors[f];
    }
    return row;
  }

  public LearnedSettings copy() {
    LearnedSettings c = new LearnedSettings();
    c.copyFrom(this);
    return c;
  }

  public void copyFrom(LearnedSettings o) {
    biasMultiplier = o.biasMultiplier;
    factorMultiplier = o.factorMultiplier;
    earlyMultiplier = o.earlyMultiplier;
    firstEvents = o.firstEvents;
    initialBias = o.initialBias;
    initialFactors = o.initialFactors.clone();
    races = o.races;
    racing = o.racing;
    metaSamples = o.metaSamples;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "steps bias x%s factor x%s (after %d races%s), first %d events x%s, initial bias %.4f,"
            + " |initial factors| %.4f from %d early events",
        biasMultiplier,
        factorMultiplier,
        races,
        racing ? ", one running" : "",
        firstEvents,
        earlyMultiplier,
        initialBias,
        Math.sqrt(Arrays.stream(initialFactors).map(v -> v * v).sum()),
        metaSamples);
  }
}
