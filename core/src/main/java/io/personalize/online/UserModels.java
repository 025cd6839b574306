package io.personalize.online;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.CandidateSelector;
import io.personalize.model.FeatureVector;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Initializer;
import io.personalize.model.LearnedSettings;
import io.personalize.model.Mode;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.PersonalLearner;
import io.personalize.model.PersonalParameters;
import io.personalize.model.PersonalSettings;
import io.personalize.model.SharedParameters;
import io.personalize.model.UserSample;
import io.personalize.rank.RankingSteps;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The per-user online step, in plain Java, for the evaluator's prequential protocol and the job's
 * per-user operator alike: the adaptive model ({@link AdaptiveLearner#step}) and, when they are on,
 * the local and multi-task modes, all predicting an event before any of them learns it. One
 * instance per evaluator run or operator subtask; the candidate selector it holds learns from the
 * users it steps.
 *
 * <p>A user's parameters live in a {@link UserState} of flat arrays (what Flink keeps in RocksDB);
 * each step reads them into reusable blocks, steps, and writes them back.
 *
 * <p>The multi-task mode pulls toward the user's row of the global model, and the adaptive mode's
 * global-row candidate predicts with it. The per-user side keeps its own copy of that row and steps
 * it as the global trainer does (same shared block, same step sizes and regularization, before the
 * shared block learns the event), so in the evaluator, where the shared block is the master, the
 * copy follows the global model's row up to its storage in floats.
 */
public final class UserModels {
  private final ModelConfig config;
  private final Model model;
  private final Initializer initializer;
  private final AdaptiveLearner adaptive;
  private final PersonalLearner personal;
  private final PersonalSettings globalRowSettings;
  private final SharedParameters untrained;
  private final boolean local;
  private final boolean mtl;
  private final int rowLength;
  private final AdaptiveUserState scratchState;
  private final AdaptiveUserState scratchOneBlock;
  private final PersonalParameters globalRow;
  private final PersonalParameters localBlock;
  private final PersonalParameters mtlBlock;
  private final boolean globalRowCandidate;
  private final double shadowShare;
  private double shadowShareNow;
  private long maxSampledUsers = Long.MAX_VALUE;
  private LearnedSettings learned;

  /** Salt of the shadow modes' sample, apart from the adaptive candidates' (AdaptiveLearner). */
  private static final long SHADOW_SALT = 0x5AD0_5AD0_5AD0_5AD0L;

  /**
   * @param modes which personal modes besides adaptive to run: {@link Mode#LOCAL} and {@link
   *     Mode#MTL} are read from it, anything else is ignored
   * @param itemSeed the seed of an item's initial factors by its index in the caller's shared block
   *     (a hash of its id, as the global model seeds it)
   */
  public UserModels(
      ModelConfig config,
      int featureDimension,
      double initialMean,
      Set<Mode> modes,
      java.util.function.IntToLongFunction itemSeed) {
    this(config, featureDimension, initialMean, modes, 1, itemSeed);
  }

  /**
   * @param shadowShare the share of the users (drawn by a hash of the user id) that the local and
   *     multi-task modes score and keep blocks for, in (0, 1]: comparisons, not what the engine
   *     predicts with, so a sample measures them
   */
  public UserModels(
      ModelConfig config,
      int featureDimension,
      double initialMean,
      Set<Mode> modes,
      double shadowShare,
      java.util.function.IntToLongFunction itemSeed) {
    if (!(shadowShare > 0 && shadowShare <= 1)) {
      throw new IllegalArgumentException("shadowShare must be in (0, 1]: " + shadowShare);
    }
    this.shadowShare = shadowShare;
    this.shadowShareNow = shadowShare;
    this.config = config;
    this.model = config.model(featureDimension);
    this.initializer = config.initializer();
    this.globalRowSettings = config.globalRowSettings();
    this.globalRowCandidate = config.tuning().globalRowCandidate();
    this.adaptive = config.adaptiveLearner(model);
    this.personal = new PersonalLearner(model);
    // The local mode's shared block: the global model as it starts, never trained.
    this.untrained =
        new SharedParameters(model.factors(), featureDimension, initialMean, initializer, itemSeed);
    this.local = modes.contains(Mode.LOCAL);
    this.mtl = modes.contains(Mode.MTL);
    int k = model.kind().globalHasUserRows() ? model.factors() : 0;
    this.rowLength = 1 + k;
    PersonalParameters[] blocks = new PersonalParameters[config.adaptiveCandidates().size()];
    for (int c = 0; c < blocks.length; c++) {
      blocks[c] = new PersonalParameters(k, model.featureDimension());
    }
    this.scratchState = new AdaptiveUserState(blocks);
    this.scratchOneBlock =
        new AdaptiveUserState(
            new PersonalParameters[] {new PersonalParameters(k, model.featureDimension())});
    this.globalRow = new PersonalParameters(k, 0);
    this.localBlock = new PersonalParameters(k, model.featureDimension());
    this.mtlBlock = new PersonalParameters(k, model.featureDimension());
    useSettings(LearnedSettings.initial(k, 0, false));
  }

  /**
   * The settings the global side learned (step multipliers, a new user's initial row): used from
   * the next event on. The evaluator passes the global trainer's own object, the job a copy that
   * came with a checkpoint.
   */
  public void useSettings(LearnedSettings settings) {
    this.learned = settings;
    adaptive.useSettings(settings);
  }

  public LearnedSettings settings() {
    return learned;
  }

  public CandidateSelector selector() {
    return adaptive.selector();
  }

  public AdaptiveLearner adaptive() {
    return adaptive;
  }

  public Model model() {
    return model;
  }

  /**
   * Whether {@code mode} is scored by {@link #step}: for every user (adaptive), or for the users in
   * the shadow modes' share (local and mtl).
   */
  public boolean runs(Mode mode) {
    return mode == Mode.ADAPTIVE || (mode == Mode.LOCAL && local) || (mode == Mode.MTL && mtl);
  }

  /** Whether the shadow modes score the user of this seed. */
  private boolean shadowed(long seed) {
    return UserSample.includes(seed, SHADOW_SALT, shadowShareNow);
  }

  /**
   * Bounds each sample of users (the adaptive candidates' and the shadow modes') to about {@code
   * maxUsers}: from the next {@link #countUsers} on, a share that would take more of the users
   * counted shrinks to {@code maxUsers} over them.
   */
  public void boundSamples(long maxUsers) {
    if (maxUsers < 1) {
      throw new IllegalArgumentException("maxUsers must be >= 1: " + maxUsers);
    }
    this.maxSampledUsers = maxUsers;
  }

  /**
   * The users the group coordinator counts now: each sample's share becomes the smaller of its
   * configured share and the bound over {@code users} ({@link #boundSamples}); a share of 1 is
   * every user, not a sample, and stays. A share that shrinks draws fewer of the new users, and a
   * user it no longer draws leaves the sample at its next step and does not come back (a share that
   * grows again draws only new users). 0 (unknown) changes nothing.
   */
  public void countUsers(long users) {
    if (users < 1 || maxSampledUsers == Long.MAX_VALUE) {
      return;
    }
    double bound = (double) maxSampledUsers / users;
    if (shadowShare < 1) {
      shadowShareNow = Math.min(shadowShare, bound);
    }
    adaptive.shrinkSample(bound);
  }

  /** The shadow modes' share now ({@link #countUsers}). */
  public double shadowShareNow() {
    return shadowShareNow;
  }

  /**
   * A user that a shrunk sample no longer draws keeps what every user outside it keeps: one
   * adaptive block (its group's best personal candidate's) and no shadow blocks.
   */
  private void leaveShrunkSamples(UserState state, int group) {
    boolean everyCandidate = state.adaptiveBlocks.length > 1;
    boolean shadowBlocks = state.localBlock.length > 0 || state.mtlBlock.length > 0;
    if ((!everyCandidate && !shadowBlocks) || state.userId == null) {
      return;
    }
    long seed = Ids.hash(state.userId);
    if (everyCandidate && !adaptive.inSample(seed)) {
      state.adaptiveBlocks =
          new float[][] {state.adaptiveBlocks[adaptive.blockKeptOnLeaving(group)]};
    }
    if (shadowBlocks && !shadowed(seed)) {
      state.localBlock = new float[0];
      state.mtlBlock = new float[0];
      if (!globalRowCandidate) {
        state.userRow = new float[0];
      }
    }
  }

  /**
   * A new user's state: every block starts from the global model's initial row of the user. A user
   * in the adaptive mode's sampled share keeps a block per candidate, any other one personal block
   * ({@link AdaptiveLearner#blocksOfUser}).
   *
   * @param seed the user's initial-row seed: the same as the global model uses for the user's row,
   *     {@code Ids.hash} of the id, by which a shrunk sample draws the user again ({@link
   *     #countUsers})
   */
  public UserState newUser(String userId, long seed) {
    int k = rowLength - 1;
    PersonalParameters start = learned.start(k, model.featureDimension(), initializer, seed);
    UserState state = new UserState();
    state.userId = userId;
    state.adaptiveBlocks = new float[adaptive.blocksOfUser(seed)][];
    for (int c = 0; c < state.adaptiveBlocks.length; c++) {
      state.adaptiveBlocks[c] = StoredBlocks.store(start, null);
    }
    boolean shadowed = shadowed(seed);
    if ((mtl && shadowed) || globalRowCandidate) {
      state.userRow = new float[rowLength];
      writeRow(start, state.userRow);
    }
    if (mtl && shadowed) {
      state.mtlBlock = StoredBlocks.store(start, null);
    }
    if (local && shadowed) {
      // Each user alone: from the plain initial row, nothing learned from other users.
      state.localBlock =
          StoredBlocks.store(
              PersonalParameters.initial(k, model.featureDimension(), initializer, seed), null);
    }
    return state;
  }

  /**
   * Scores the event with every mode that runs, then lets each learn it, and counts the event.
   * Writes the raw predictions into {@code out}, indexed by {@link Mode#ordinal()} (modes that do
   * not run are left as they are; a shadow mode that runs but keeps no block for this user, outside
   * the shadow share, gets NaN).
   *
   * @param group the user's group before the event, which decides the adaptive setting
   */
  public void step(
      UserState state,
      SharedParameters shared,
      int item,
      FeatureVector x,
      double label,
      int group,
      double[] out) {
    checkShape(state);
    state.upgrade();
    // Only a share below the configured one can have drawn a user that it no longer draws.
    if (shadowShareNow < shadowShare || adaptive.sampleShrunk()) {
      leaveShrunkSamples(state, group);
    }
    if (local) {
      out[Mode.LOCAL.ordinal()] = Double.NaN;
    }
    if (mtl) {
      out[Mode.MTL.ordinal()] = Double.NaN;
    }
    if (local && state.localBlock.length > 0) {
      untrained.ensureItem(item);
      StoredBlocks.load(state.localBlock, localBlock);
      out[Mode.LOCAL.ordinal()] =
          personal.learn(untrained, localBlock, null, item, x, label, config.local());
      state.localBlock = StoredBlocks.store(localBlock, state.localBlock);
    }
    boolean hasRow = state.userRow.length > 0;
    if (hasRow) {
      readRow(state.userRow, globalRow);
    }
    if (mtl && state.mtlBlock.length > 0) {
      StoredBlocks.load(state.mtlBlock, mtlBlock);
      out[Mode.MTL.ordinal()] =
          personal.learn(shared, mtlBlock, globalRow, item, x, label, config.mtl());
      state.mtlBlock = StoredBlocks.store(mtlBlock, state.mtlBlock);
      // The anchor moves as the global trainer moves the user's row, after mtl has used it (here,
      // or as the adaptive mode's global-row candidate below); a model whose global form has no
      // user rows (logistic) never moves it.
      if (!globalRowCandidate && model.kind().globalHasUserRows()) {
        personal.learn(
            shared,
            globalRow,
            null,
            item,
            x,
            label,
            new PersonalSettings(
                learned.scale(globalRowSettings.steps(), learned.early(state.events)),
                globalRowSettings.regularization()));
      }
    }
    AdaptiveUserState scratch = readAdaptive(state);
    scratch.globalRow = globalRowCandidate && hasRow ? globalRow : null;
    out[Mode.ADAPTIVE.ordinal()] = adaptive.step(shared, scratch, item, x, label, group);
    writeAdaptive(scratch, state);
    if (hasRow && model.kind().globalHasUserRows()) {
      writeRow(globalRow, state.userRow);
    }
    state.events++;
  }

  /**
   * The per-user half of a ranking model's step: the user's adaptive blocks learn the examples
   * {@code steps} planned for one event (the positive and its sampled negatives), and the event is
   * counted once. Returns the prediction of the positive before learning, NaN for an empty plan.
   * Only the adaptive mode learns rankings; the local and multi-task modes are rating-model
   * comparisons.
   */
  public double learnPlan(
      UserState state,
      SharedParameters shared,
      RankingSteps steps,
      IntFunction<FeatureVector> features,
      int group) {
    checkShape(state);
    state.upgrade();
    AdaptiveUserState scratch = readAdaptive(state);
    scratch.globalRow = null;
    double positive = steps.learnPersonal(adaptive, shared, scratch, features, group);
    writeAdaptive(scratch, state);
    state.events = scratch.events;
    return positive;
  }

  /** The user's adaptive blocks and event count, read into the scratch state of their shape. */
  private AdaptiveUserState readAdaptive(UserState state) {
    float[][] blocks = state.adaptiveBlocks;
    AdaptiveUserState scratch =
        blocks.length == scratchState.blocks.length ? scratchState : scratchOneBlock;
    if (scratch == scratchOneBlock && blocks.length != 1) {
      throw new IllegalStateException(
          "user state with "
              + blocks.length
              + " adaptive blocks; this model keeps 1 or "
              + scratchState.blocks.length);
    }
    for (int c = 0; c < blocks.length; c++) {
      StoredBlocks.load(blocks[c], scratch.blocks[c]);
    }
    scratch.events = state.events;
    return scratch;
  }

  private static void writeAdaptive(AdaptiveUserState scratch, UserState state) {
    for (int c = 0; c < state.adaptiveBlocks.length; c++) {
      state.adaptiveBlocks[c] = StoredBlocks.store(scratch.blocks[c], state.adaptiveBlocks[c]);
    }
  }

  /** The block the user's group predicts with. */
  public PersonalParameters chosenBlock(UserState state, int group) {
    state.upgrade();
    PersonalParameters block = new PersonalParameters(rowLength - 1, model.featureDimension());
    int index = chosenIndex(state, adaptive.selector().best(group));
    if (index == LastStep.GLOBAL_ROW) {
      readRow(state.userRow, block);
    } else {
      StoredBlocks.load(state.adaptiveBlocks[index], block);
    }
    return block;
  }

  /**
   * The stored block candidate {@code best} predicts with: the global-row candidate is the row
   * alone (zero personal feature weights); a user with one personal block predicts with it for
   * every personal candidate.
   */
  private int chosenIndex(UserState state, int best) {
    int personal = scratchState.blocks.length;
    if (best >= personal) {
      return LastStep.GLOBAL_ROW;
    }
    return state.adaptiveBlocks.length == personal ? best : 0;
  }

  /**
   * Records in {@code state} what its latest step was made with, from which the queryable profile
   * and personal model are derived ({@link UserViews}).
   *
   * @param group the user's group the step used
   */
  public void recordStep(
      UserState state, int group, long boundariesVersion, long checkpointVersion) {
    LastStep step = state.lastStep != null ? state.lastStep : new LastStep();
    step.group = group;
    step.boundariesVersion = boundariesVersion;
    step.checkpointVersion = checkpointVersion;
    step.candidate = adaptive.selector().best(group);
    step.block = chosenIndex(state, step.candidate);
    step.modelKind = model.kind().name();
    step.factors = rowLength - 1;
    step.featureDimension = model.featureDimension();
    state.lastStep = step;
  }

  /** A user's blocks, as their last step recorded them, must fit this model's. */
  private void checkShape(UserState state) {
    LastStep last = state.lastStep;
    if (last != null
        && !IncompatibleStateException.fits(
            last.factors, last.featureDimension, rowLength - 1, model.featureDimension())) {
      throw new IncompatibleStateException(
          "a user (" + state.userId + ")",
          last.factors,
          last.featureDimension,
          rowLength - 1,
          model.featureDimension());
    }
  }

  /** Reads the global row's stored [b_u, q_u] into {@code into}. */
  static void readRow(float[] flat, PersonalParameters into) {
    into.bias = flat[0];
    for (int i = 1; i < flat.length; i++) {
      into.factors[i - 1] = flat[i];
    }
  }

  /** Stores the global row's [b_u, q_u], rounded to floats, into {@code flat}. */
  private static void writeRow(PersonalParameters from, float[] flat) {
    flat[0] = (float) from.bias;
    for (int i = 1; i < flat.length; i++) {
      flat[i] = (float) from.factors[i - 1];
    }
  }
}
