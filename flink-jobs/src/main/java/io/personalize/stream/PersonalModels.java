package io.personalize.stream;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.CandidateSelector;
import io.personalize.model.FeatureVector;
import io.personalize.model.Initializer;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.PersonalLearner;
import io.personalize.model.PersonalParameters;
import io.personalize.model.PersonalSettings;
import io.personalize.model.SharedParameters;
import io.personalize.model.StepSizes;
import java.util.Arrays;

/**
 * The per-user operator's per-event step, in plain Java: the adaptive model ({@link
 * AdaptiveLearner#step}, the same call the evaluator makes) and, when shadows are on, the local and
 * multi-task modes, all predicting before any of them learns. One instance per operator subtask;
 * the candidate selector it holds learns from the subtask's users.
 */
public final class PersonalModels {
  /** Indices into {@link #step}'s output. */
  public static final int ADAPTIVE = 0;

  public static final int LOCAL = 1;
  public static final int MTL = 2;

  private final ModelConfig config;
  private final Model model;
  private final Initializer initializer;
  private final AdaptiveLearner adaptive;
  private final PersonalLearner personal;
  private final PersonalSettings globalRowSettings;
  private final SharedParameters untrained;
  private final boolean shadows;
  private final int rowLength;
  private final int blockLength;
  private final AdaptiveUserState scratchState;
  private final PersonalParameters globalRow;
  private final PersonalParameters localBlock;
  private final PersonalParameters mtlBlock;
  private final PersonalParameters mtlAnchor;

  public PersonalModels(
      ModelConfig config, FeatureSpace space, double initialMean, boolean shadows) {
    this.config = config;
    this.model = config.model(space.dimension());
    this.initializer = config.initializer();
    this.adaptive =
        new AdaptiveLearner(
            model,
            config.adaptiveCandidates(),
            new CandidateSelector(config.groups(), config.adaptiveCandidates().size()));
    this.personal = new PersonalLearner(model);
    StepSizes g = config.globalSteps();
    this.globalRowSettings =
        new PersonalSettings(
            new StepSizes(0, g.bias(), g.factor(), 0), config.globalRegularization());
    this.untrained =
        new SharedParameters(
            model.factors(), space.dimension(), initialMean, new Initializer(config.seed(), 0));
    this.shadows = shadows;
    int k = model.kind().globalHasUserRows() ? model.factors() : 0;
    this.rowLength = 1 + k;
    this.blockLength = 1 + k + model.featureDimension();
    PersonalParameters[] blocks = new PersonalParameters[config.adaptiveCandidates().size()];
    for (int c = 0; c < blocks.length; c++) {
      blocks[c] = new PersonalParameters(k, model.featureDimension());
    }
    this.scratchState = new AdaptiveUserState(blocks);
    this.globalRow = new PersonalParameters(k, 0);
    this.localBlock = new PersonalParameters(k, model.featureDimension());
    this.mtlBlock = new PersonalParameters(k, model.featureDimension());
    this.mtlAnchor = new PersonalParameters(k, 0);
  }

  public CandidateSelector selector() {
    return adaptive.selector();
  }

  public Model model() {
    return model;
  }

  public boolean shadows() {
    return shadows;
  }

  /** A new user's state: every block starts from the global model's initial row of the user. */
  public UserState newUser(String userId) {
    int k = rowLength - 1;
    PersonalParameters start =
        PersonalParameters.initial(k, model.featureDimension(), initializer, Ids.hash(userId));
    UserState state = new UserState();
    state.userId = userId;
    state.adaptive = new double[config.adaptiveCandidates().size()][];
    for (int c = 0; c < state.adaptive.length; c++) {
      state.adaptive[c] = flatten(start, blockLength);
    }
    state.globalRow = Arrays.copyOf(flatten(start, blockLength), rowLength);
    if (shadows) {
      state.local = flatten(start, blockLength);
      state.mtl = flatten(start, blockLength);
    }
    return state;
  }

  /**
   * Scores the event with every mode, then lets every mode learn it. Writes raw predictions into
   * {@code out} ({@link #ADAPTIVE}, {@link #LOCAL}, {@link #MTL}; the shadows only when on) and
   * updates {@code state}.
   */
  public void step(
      UserState state,
      SharedParameters shared,
      int item,
      FeatureVector x,
      double label,
      int group,
      double[] out) {
    for (int c = 0; c < state.adaptive.length; c++) {
      read(state.adaptive[c], scratchState.blocks[c]);
    }
    scratchState.events = state.events;
    if (shadows) {
      untrained.ensureItem(item);
      read(state.local, localBlock);
      read(state.mtl, mtlBlock);
      read(state.globalRow, mtlAnchor);
      out[LOCAL] = personal.learn(untrained, localBlock, null, item, x, label, config.local());
      out[MTL] = personal.learn(shared, mtlBlock, mtlAnchor, item, x, label, config.mtl());
      write(localBlock, state.local);
      write(mtlBlock, state.mtl);
    }
    out[ADAPTIVE] = adaptive.step(shared, scratchState, item, x, label, group);
    for (int c = 0; c < state.adaptive.length; c++) {
      write(scratchState.blocks[c], state.adaptive[c]);
    }
    // The user's global row moves as the global model moves it: the anchor of mtl.
    read(state.globalRow, globalRow);
    personal.learn(shared, globalRow, null, item, x, label, globalRowSettings);
    write(globalRow, state.globalRow);
    state.events++;
  }

  /** The block the user's group predicts with, for queryable state. */
  public PersonalParameters chosenBlock(UserState state, int group) {
    PersonalParameters block = new PersonalParameters(rowLength - 1, model.featureDimension());
    read(state.adaptive[adaptive.selector().best(group)], block);
    return block;
  }

  private static double[] flatten(PersonalParameters p, int length) {
    double[] flat = new double[length];
    write(p, flat);
    return flat;
  }

  private static void read(double[] flat, PersonalParameters into) {
    into.bias = flat[0];
    int k = into.factors.length;
    System.arraycopy(flat, 1, into.factors, 0, Math.min(k, flat.length - 1));
    int f = Math.min(into.featureWeights.length, flat.length - 1 - k);
    if (f > 0) {
      System.arraycopy(flat, 1 + k, into.featureWeights, 0, f);
    }
  }

  private static void write(PersonalParameters from, double[] flat) {
    flat[0] = from.bias;
    int k = Math.min(from.factors.length, flat.length - 1);
    System.arraycopy(from.factors, 0, flat, 1, k);
    int f = Math.min(from.featureWeights.length, flat.length - 1 - k);
    if (f > 0) {
      System.arraycopy(from.featureWeights, 0, flat, 1 + k, f);
    }
  }
}
