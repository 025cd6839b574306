package io.personalize.model;

import java.util.List;

/**
 * How the engine learns its own settings from the stream (docs/method.md, "Settings learned from
 * the stream"): the global model's step sizes by a race of shadow models, and the start of a new
 * user (initial row and early step size) by first-order meta-learning over earlier users' first
 * events.
 *
 * @param rates the challengers of a step-size race: multipliers of the model's current bias and
 *     factor steps (empty: no races)
 * @param raceEvery events from one race's start to the next's (the first starts after as many)
 * @param raceEvents events a race lasts: the model and every challenger learn each of them, and the
 *     lowest prequential loss over them wins
 * @param earlyMultipliers candidates for the step multiplier of the first events of a user or an
 *     item: the first is used until enough early events were seen, then the one whose shadows of
 *     new users' rows have the lowest prequential loss ({@code List.of(1.0)}: no early steps)
 * @param firstEvents how many of a user's (or item's) first events are early: stepped at the early
 *     multiplier, and each moving the initial row by Reptile (0: off)
 * @param metaStep the Reptile step: the initial row moves this times each early step of a user's
 *     row (0: the initial row stays at zero bias and zero mean factors)
 * @param globalRowCandidate whether the adaptive selector's candidates include borrowing
 *     everything: the user's row of the global model, with no personal steps of its own
 * @param selectionEvidence with the global-row candidate, the standard errors of the mean paired
 *     loss difference by which another candidate must beat it to be chosen (0: any lower loss)
 * @param candidateShare the share of users, drawn by a hash of the user, that keep a block per
 *     candidate and are the selector's evidence; every other user keeps one personal block, stepped
 *     at its group's best personal candidate, and predicts with the group's choice (1: everyone
 *     keeps every candidate). The per-group choice needs a sample, not everyone.
 * @param validationFolds batch protocols: the disjoint held-out folds of the training events the
 *     adaptive mode chooses its settings on (and the global trainer is chosen on), each with a
 *     global model trained without it
 * @param adaGradRate batch protocols: the base rate of the AdaGrad trainer that competes with SGD
 *     for the global model on the validation folds ({@link AdaGradTrainer}); 0: SGD only
 * @param earlyShare the share of new users, drawn by a hash of the user, whose first events are
 *     also learned by one shadow row per early multiplier: the evidence the early multiplier is
 *     chosen on (1: every new user). Every user steps at the chosen multiplier either way.
 */
public record SelfTuning(
    List<RateMultipliers> rates,
    int raceEvery,
    int raceEvents,
    List<Double> earlyMultipliers,
    int firstEvents,
    double metaStep,
    boolean globalRowCandidate,
    double selectionEvidence,
    double candidateShare,
    int validationFolds,
    double adaGradRate,
    double earlyShare)
    implements java.io.Serializable {

  /** The stream default of {@link #candidateShare}; chosen on ml-100k (docs/evaluation.md). */
  public static final double DEFAULT_CANDIDATE_SHARE = 0.5;

  /**
   * The stream default of {@link #earlyShare}: the shadows are four rows per new user in the
   * parallelism-1 global operators' heap, most of it in a Zipf stream where most users stay in
   * their first events (docs/performance-log.md, "A million users on the default stream"). An
   * eighth of the users still gives ml-1m's first 3,000 users about 7,500 shadowed early events,
   * past the 5,000 the choice waits for.
   */
  public static final double DEFAULT_EARLY_SHARE = 0.125;

  /** Multipliers of the global model's bias and factor step sizes. */
  public record RateMultipliers(double bias, double factor) implements java.io.Serializable {
    public RateMultipliers {
      if (!(bias > 0 && factor > 0 && bias < 100 && factor < 100)) {
        throw new IllegalArgumentException(
            "step multipliers must be in (0, 100): " + bias + "x" + factor);
      }
    }

    /** "BIASxFACTOR", e.g. "2.5x1". */
    public static RateMultipliers parse(String text) {
      String[] parts = text.trim().split("x", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "a step multiplier pair is BIASxFACTOR (e.g. 2.5x1), was '" + text + "'");
      }
      try {
        return new RateMultipliers(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "a step multiplier pair is BIASxFACTOR (e.g. 2.5x1), was '" + text + "'", e);
      }
    }

    @Override
    public String toString() {
      return format(bias) + "x" + format(factor);
    }

    private static String format(double value) {
      return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
  }

  public SelfTuning {
    rates = List.copyOf(rates);
    earlyMultipliers = List.copyOf(earlyMultipliers);
    if (earlyMultipliers.isEmpty()) {
      throw new IllegalArgumentException("need at least one early step multiplier");
    }
    for (double m : earlyMultipliers) {
      if (!(m > 0 && m < 100)) {
        throw new IllegalArgumentException("early step multipliers must be in (0, 100): " + m);
      }
    }
    if (raceEvery < 1 || raceEvents < 0 || raceEvents > raceEvery || firstEvents < 0) {
      throw new IllegalArgumentException(
          "need raceEvery >= 1, 0 <= raceEvents <= raceEvery and firstEvents >= 0, were "
              + raceEvery
              + ", "
              + raceEvents
              + ", "
              + firstEvents);
    }
    if (!(selectionEvidence >= 0 && selectionEvidence < 10)) {
      throw new IllegalArgumentException(
          "selectionEvidence must be in [0, 10): " + selectionEvidence);
    }
    if (validationFolds < 1 || validationFolds > 10) {
      throw new IllegalArgumentException("validationFolds must be in 1..10: " + validationFolds);
    }
    if (!(adaGradRate >= 0 && adaGradRate < 1)) {
      throw new IllegalArgumentException("adaGradRate must be in [0, 1): " + adaGradRate);
    }
    if (!(candidateShare > 0 && candidateShare <= 1)) {
      throw new IllegalArgumentException("candidateShare must be in (0, 1]: " + candidateShare);
    }
    if (!(earlyShare > 0 && earlyShare <= 1)) {
      throw new IllegalArgumentException("earlyShare must be in (0, 1]: " + earlyShare);
    }
    if (!(metaStep >= 0 && metaStep < 1)) {
      throw new IllegalArgumentException("metaStep must be in [0, 1): " + metaStep);
    }
  }

  /**
   * The defaults: a race every 50,000 events, lasting 5,000, of the model against its bias and
   * factor steps twice and half as large (a tenth of the events pay for three global steps); early
   * multipliers 2 (where it starts), 1, 4 and 0.5 over the first 20 events of a user or item;
   * Reptile step 0.03; the global row a candidate of every group, chosen over by any lower loss.
   * Chosen on ml-100k only (docs/evaluation.md has the grid).
   */
  public static SelfTuning defaults() {
    return new SelfTuning(
        List.of(new RateMultipliers(2, 2), new RateMultipliers(0.5, 0.5)),
        50_000,
        5_000,
        List.of(2.0, 1.0, 4.0, 0.5),
        20,
        0.03,
        true,
        0,
        DEFAULT_CANDIDATE_SHARE,
        1,
        0,
        DEFAULT_EARLY_SHARE);
  }

  /**
   * The batch protocols' default: nothing learned from a stream (there is none), but the global row
   * a candidate of every group, left only for a candidate better by one standard error (clustered
   * by user) on the validation events, which are 5 disjoint folds of the training events (the
   * per-user time split: one fold, each user's latest events); and on those 5 folds the global
   * model's trainer, SGD or AdaGrad at base rate 0.02, chosen by its loss. With half a standard
   * error, CiaoDVD's user-split group 6 (25 users) chose a candidate 0.005 worse than global on its
   * test events; with two, ml-100k's user-split lost 0.003 more (0.9615 against 0.9587).
   */
  public static SelfTuning globalRowOnly() {
    return new SelfTuning(List.of(), 1, 0, List.of(1.0), 0, 0, true, 1, 1, 5, 0.02, 1);
  }

  /** Everything off: the configured steps, a zero initial row, no global-row candidate. */
  public static SelfTuning off() {
    return new SelfTuning(List.of(), 1, 0, List.of(1.0), 0, 0, false, 0, 1, 1, 0, 1);
  }

  /** Whether the batch global model's trainer is chosen between SGD and AdaGrad. */
  public boolean choosesTrainer() {
    return adaGradRate > 0;
  }

  /** These settings with another {@link #candidateShare}. */
  public SelfTuning withCandidateShare(double share) {
    return new SelfTuning(
        rates,
        raceEvery,
        raceEvents,
        earlyMultipliers,
        firstEvents,
        metaStep,
        globalRowCandidate,
        selectionEvidence,
        share,
        validationFolds,
        adaGradRate,
        earlyShare);
  }

  /** Whether the step sizes race at all. */
  public boolean races() {
    return !rates.isEmpty() && raceEvents > 0;
  }
}
