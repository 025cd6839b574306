package io.personalize.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The global model's per-event step with settings learned from the stream ({@link SelfTuning}):
 *
 * <ul>
 *   <li><b>Step sizes by races.</b> Every {@code raceEvery} events a race starts: each challenger
 *       (the model's bias and factor steps times one of the configured multipliers) gets a copy of
 *       the model, and for {@code raceEvents} events the model and every challenger predict each
 *       event before learning it, adding up their losses. The lowest sum wins and is the model from
 *       then on; the others are dropped. The race starts from the model as it is (not from
 *       scratch), so it compares the steps for the stream as it is now; a stream's first events,
 *       when every user and item is new, would favour large steps. A user's challenger rows are
 *       copied from the model's row at the user's first event in the race, which is the row as it
 *       was when the race started. Between races an event costs one global step.
 *   <li><b>Early steps by shadow rows.</b> While a user is in its first {@code firstEvents} events,
 *       one shadow of its row per early multiplier predicts and learns each event (reading the
 *       shared block, never writing it); once {@code earlyEvidence} early events were seen, the
 *       multiplier with the lowest summed loss is the one the user's real row, and the per-user
 *       side, step at in a user's first events. Only a share of the new users has shadows ({@link
 *       SelfTuning#earlyShare}): the choice needs a sample, not everyone.
 *   <li><b>The initial row by Reptile</b> (first-order meta-learning, as in MetaRec): after a
 *       user's first events, the initial bias and the mean of the initial factors move a step
 *       {@code metaStep} toward where the user's row went: {@code theta <- theta + eps (phi_u -
 *       theta)}.
 * </ul>
 *
 * <p>Everything learned is in {@link #settings()}, which the per-user side uses (in the evaluator
 * the same object, in the job a copy shipped with every checkpoint). Callers own the user rows, as
 * with {@link GlobalTrainer}.
 */
public final class SelfTuningTrainer {
  /**
   * Shadowed early events seen before the early multiplier may leave its default (the first
   * candidate).
   */
  public static final int EARLY_EVIDENCE = 5_000;

  /** Salt of the early shadows' sample of users ({@link UserSample}). */
  private static final long EARLY_SALT = 0xEA51_7E0F_5EED_0001L;

  private final Model model;
  private final Initializer initializer;
  private final SelfTuning tuning;
  private final StepSizes base;
  private final Regularization regularization;
  private final LearnedSettings settings;
  private final PersonalLearner shadowLearner;
  private final double[] earlyLoss;
  private final PersonalSettings[] earlySettings;
  private final PersonalParameters before;
  private final List<Long> raceWinners = new ArrayList<>();

  private SharedParameters shared;
  private GlobalTrainer trainer;
  private StepSizes earlyRowSteps;
  private long events;
  private long earlyEvents;

  /** The running race: 0 when none; races are numbered from 1. */
  private long race;

  private int[] itemEvents = new int[64];
  private StepSizes earlySharedSteps;

  private long raceStartedAt;
  private GlobalTrainer[] challengers = new GlobalTrainer[0];
  private double[] raceLoss = new double[0];

  public SelfTuningTrainer(
      Model model,
      SharedParameters shared,
      Initializer initializer,
      StepSizes steps,
      Regularization regularization,
      SelfTuning tuning) {
    this.model = model;
    this.initializer = initializer;
    this.tuning = tuning;
    this.base = steps;
    this.regularization = regularization;
    this.shared = shared;
    int k = model.kind().globalHasUserRows() ? model.factors() : 0;
    this.settings = LearnedSettings.initial(k, tuning.firstEvents(), false);
    this.settings.earlyMultiplier = tuning.earlyMultipliers().get(0);
    this.before = new PersonalParameters(k, 0);
    this.earlyLoss = new double[tuning.earlyMultipliers().size()];
    this.earlySettings = new PersonalSettings[earlyLoss.length];
    this.shadowLearner = new PersonalLearner(model);
    useSteps(1, 1);
  }

  public Model model() {
    return model;
  }

  public SelfTuning tuning() {
    return tuning;
  }

  /** What has been learned so far; updated in place by every event. */
  public LearnedSettings settings() {
    return settings;
  }

  /** The model's shared block; a new object after a race a challenger won. */
  public SharedParameters shared() {
    return shared;
  }

  /** The model's trainer, e.g. for a ranking model's examples. */
  public GlobalTrainer trainer() {
    return trainer;
  }

  /** Whether a step-size race is running. */
  public boolean racing() {
    return race != 0 && challengers.length > 0;
  }

  /** Races finished so far. */
  public long races() {
    return raceWinners.size();
  }

  /** A new user's row: the learned initial row plus the user's random factors. */
  public GlobalUserRow newUser(long seed) {
    return newUser(seed, 0);
  }

  /**
   * A user's row as of {@code events} learned events (a restored user, whose caller then sets the
   * row's values): early shadows only if the user is still in its first events and in the early
   * share ({@link SelfTuning#earlyShare}).
   */
  public GlobalUserRow newUser(long seed, long events) {
    GlobalUserRow user = new GlobalUserRow(seed, startRow(seed));
    user.events = events;
    if (settings.early(events)
        && earlySettings.length > 1
        && UserSample.includes(seed, EARLY_SALT, tuning.earlyShare())) {
      user.early = new PersonalParameters[earlySettings.length];
      for (int e = 0; e < user.early.length; e++) {
        user.early[e] = user.row.copy();
      }
    }
    return user;
  }

  private PersonalParameters startRow(long seed) {
    if (!model.kind().globalHasUserRows()) {
      return trainer.newUserRow(seed);
    }
    return settings.start(model.factors(), 0, initializer, seed);
  }

  /** The model's row of a user, after any race the user's challenger rows took part in. */
  public PersonalParameters row(GlobalUserRow user) {
    settle(user);
    return user.row;
  }

  /**
   * Predicts the event with the model, then lets the model, any challengers and the user's early
   * shadows learn it; returns the model's prediction made before learning.
   */
  public double learn(GlobalUserRow user, int item, FeatureVector x, double label) {
    settle(user);
    boolean early = settings.early(user.events);
    Loss loss = model.loss();
    if (early && user.early != null) {
      // Shadows first: they read the shared block as the model predicts with it.
      for (int e = 0; e < user.early.length; e++) {
        double p =
            shadowLearner.learn(shared, user.early[e], null, item, x, label, earlySettings[e]);
        earlyLoss[e] += loss.loss(p, label);
      }
    }
    boolean racing = racing();
    if (racing && user.race != race) {
      user.race = race;
      user.challengers = new PersonalParameters[challengers.length];
      for (int c = 0; c < challengers.length; c++) {
        user.challengers[c] = user.row.copy();
      }
    }
    StepSizes rowSteps = early ? earlyRowSteps : trainer.rowSteps();
    boolean meta = early && tuning.metaStep() > 0 && model.kind().globalHasUserRows();
    if (meta) {
      before.copyFrom(user.row);
    }
    if (item >= itemEvents.length) {
      itemEvents = java.util.Arrays.copyOf(itemEvents, Math.max(item + 1, itemEvents.length * 2));
    }
    // An item's first events move its row at the early multiplier too: a sparse catalog is
    // mostly new items (on CiaoDVD this alone took the global model from 0.9711 to 0.9644 RMSE).
    boolean earlyItem = settings.early(itemEvents[item]++);
    double prediction =
        trainer.learn(
            user.row, item, x, label, 1, rowSteps, earlyItem ? earlySharedSteps : trainer.steps());
    if (meta) {
      metaUpdate(user.row);
    }
    if (racing) {
      raceLoss[0] += loss.loss(prediction, label);
      for (int c = 0; c < challengers.length; c++) {
        GlobalTrainer challenger = challengers[c];
        StepSizes steps = early ? early(challenger.rowSteps()) : challenger.rowSteps();
        StepSizes sharedSteps = earlyItem ? early(challenger.steps()) : challenger.steps();
        double p = challenger.learn(user.challengers[c], item, x, label, 1, steps, sharedSteps);
        raceLoss[c + 1] += loss.loss(p, label);
      }
    }
    user.events++;
    if (early && user.early != null) {
      if (++earlyEvents >= EARLY_EVIDENCE) {
        chooseEarly();
      }
      if (!settings.early(user.events)) {
        user.early = null;
      }
    }
    events++;
    advanceRace();
    return prediction;
  }

  private void advanceRace() {
    if (!tuning.races()) {
      return;
    }
    if (race != 0 && events - raceStartedAt >= tuning.raceEvents()) {
      finishRace();
    } else if (race == 0 && events % tuning.raceEvery() == 0) {
      startRace();
    }
  }

  private void startRace() {
    race = raceWinners.size() + 1;
    raceStartedAt = events;
    List<SelfTuning.RateMultipliers> rates = tuning.rates();
    challengers = new GlobalTrainer[rates.size()];
    for (int c = 0; c < challengers.length; c++) {
      SelfTuning.RateMultipliers m = rates.get(c);
      challengers[c] =
          new GlobalTrainer(
              model,
              shared.copy(),
              initializer,
              steps(settings.biasMultiplier * m.bias(), settings.factorMultiplier * m.factor()),
              regularization);
    }
    raceLoss = new double[challengers.length + 1];
    settings.racing = true;
  }

  private void finishRace() {
    int best = 0;
    for (int c = 1; c < raceLoss.length; c++) {
      if (raceLoss[c] < raceLoss[best]) {
        best = c;
      }
    }
    raceWinners.add((long) best);
    if (best > 0) {
      SelfTuning.RateMultipliers m = tuning.rates().get(best - 1);
      shared = challengers[best - 1].shared();
      useSteps(settings.biasMultiplier * m.bias(), settings.factorMultiplier * m.factor());
    }
    settings.races = raceWinners.size();
    settings.racing = false;
    challengers = new GlobalTrainer[0];
    race = 0;
  }

  /** Adopts the winner's row of a user who took part in a finished race. */
  private void settle(GlobalUserRow user) {
    if (user.race == 0 || user.race == race) {
      return;
    }
    long winner = raceWinners.get((int) user.race - 1);
    if (winner > 0) {
      user.row = user.challengers[(int) winner - 1];
    }
    user.race = 0;
    user.challengers = null;
  }

  /**
   * Reptile, one inner step at a time: the initial row moves {@code metaStep} times the step the
   * user's row just took. Summed over a user's first events this is {@code eps (phi_u - theta)},
   * Reptile's update, and a user with fewer first events than the window contributes the steps it
   * took, so the initial row is not learned from heavy users alone.
   */
  private void metaUpdate(PersonalParameters row) {
    double eps = tuning.metaStep();
    settings.initialBias += eps * (row.bias - before.bias);
    double[] q0 = settings.initialFactors;
    for (int f = 0; f < q0.length; f++) {
      q0[f] += eps * (row.factors[f] - before.factors[f]);
    }
    settings.metaSamples++;
  }

  private void chooseEarly() {
    int best = 0;
    for (int e = 1; e < earlyLoss.length; e++) {
      if (earlyLoss[e] < earlyLoss[best]) {
        best = e;
      }
    }
    double m = tuning.earlyMultipliers().get(best);
    if (m != settings.earlyMultiplier) {
      settings.earlyMultiplier = m;
      refreshEarlySteps();
    }
  }

  private void useSteps(double biasMultiplier, double factorMultiplier) {
    settings.biasMultiplier = biasMultiplier;
    settings.factorMultiplier = factorMultiplier;
    trainer =
        new GlobalTrainer(
            model, shared, initializer, steps(biasMultiplier, factorMultiplier), regularization);
    refreshEarlySteps();
  }

  private StepSizes steps(double biasMultiplier, double factorMultiplier) {
    return base.scaled(biasMultiplier, factorMultiplier);
  }

  /** Steps (of a row, or of a new item's shared parameters) at the early multiplier. */
  private StepSizes early(StepSizes steps) {
    double m = settings.earlyMultiplier;
    return steps.scaled(m, m);
  }

  private void refreshEarlySteps() {
    StepSizes row = trainer.rowSteps();
    earlyRowSteps = early(row);
    earlySharedSteps = early(trainer.steps());
    for (int e = 0; e < earlySettings.length; e++) {
      double m = tuning.earlyMultipliers().get(e);
      earlySettings[e] = new PersonalSettings(row.scaled(m, m), regularization);
    }
  }

  /** An item's learned events, restored: whether its next events are early. */
  public void restoreItemEvents(int item, long count) {
    if (item >= itemEvents.length) {
      itemEvents = java.util.Arrays.copyOf(itemEvents, Math.max(item + 1, itemEvents.length * 2));
    }
    itemEvents[item] = (int) Math.min(Integer.MAX_VALUE, count);
  }

  /** Early events seen so far (the evidence behind the early multiplier). */
  public long earlyEvents() {
    return earlyEvents;
  }

  /** Summed loss of each early multiplier's shadows (for the report). */
  public double[] earlyLosses() {
    return earlyLoss.clone();
  }

  /** Events learned. */
  public long events() {
    return events;
  }

  /**
   * Restores what was learned into this fresh trainer, whose shared block the caller restores. A
   * race that was running is not part of a snapshot: it starts again at the next race time. Nor are
   * the early shadows of users in their first events: they start again from the user's row.
   */
  public void restore(
      LearnedSettings restored,
      long restoredEvents,
      double[] restoredEarlyLoss,
      long restoredEarlyEvents) {
    LearnedSettings copy = restored.copy();
    copy.racing = false;
    settings.copyFrom(copy);
    events = restoredEvents;
    if (restoredEarlyLoss.length == earlyLoss.length) {
      System.arraycopy(restoredEarlyLoss, 0, earlyLoss, 0, earlyLoss.length);
      earlyEvents = restoredEarlyEvents;
    }
    for (long r = 0; r < settings.races; r++) {
      raceWinners.add(0L);
    }
    useSteps(settings.biasMultiplier, settings.factorMultiplier);
  }
}
