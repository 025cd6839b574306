package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.Coordinator;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.PersonalLearner;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.ItemCatalog;
import io.personalize.state.PersonalModelView;
import io.personalize.state.UserProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-user online step of the evaluator and the job. */
class UserModelsTest {
  private static final FeatureSpace SPACE = GlobalModelTest.SPACE;

  /** The stream defaults, with every user keeping a block per candidate (share 1). */
  private static final ModelConfig CONFIG =
      GlobalModelTest.CONFIG.toBuilder()
          .tuning(GlobalModelTest.CONFIG.tuning().withCandidateShare(1))
          .build();

  private static final int K = 4;
  private static final int F = SPACE.dimension();
  private static final double MEAN = 3.5;
  private static final Set<Mode> SHADOWS = EnumSet.of(Mode.LOCAL, Mode.MTL);
  private static final int USERS = 20;
  private static final int ITEMS = 15;

  private static UserModels models(Set<Mode> modes) {
    return new UserModels(CONFIG, F, MEAN, modes, item -> item);
  }

  private static SharedParameters freshShared() {
    return new SharedParameters(K, F, MEAN, CONFIG.initializer());
  }

  private static GlobalTrainer trainer(SharedParameters shared) {
    return new GlobalTrainer(
        CONFIG.model(F),
        shared,
        CONFIG.initializer(),
        CONFIG.globalSteps(),
        CONFIG.globalRegularization());
  }

  /** [b_u, q_u]: a global row as UserState flattens it. */
  private static double[] flat(PersonalParameters row) {
    double[] flat = new double[1 + row.factors.length];
    flat[0] = row.bias;
    System.arraycopy(row.factors, 0, flat, 1, row.factors.length);
    return flat;
  }

  /** The largest difference between a stored row copy and the trainer's row. */
  private static double deviation(float[] stored, PersonalParameters row) {
    double[] expected = flat(row);
    assertThat(stored).hasSize(expected.length);
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(stored[i] - expected[i]));
    }
    return max;
  }

  private static float[] floats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  private static double[] doubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }

  /** What storing a block does to it: every parameter rounded to a float. */
  private static void roundToFloats(PersonalParameters block) {
    block.bias = (float) block.bias;
    for (int i = 0; i < block.factors.length; i++) {
      block.factors[i] = (float) block.factors[i];
    }
    for (int i = 0; i < block.featureWeights.length; i++) {
      block.featureWeights[i] = (float) block.featureWeights[i];
    }
  }

  /**
   * State written before the blocks were floats (the stored savepoint v1) holds them in doubles,
   * and state written before 2026-12-05 its global row: its next step moves them into floats and
   * then steps exactly as a state written since would.
   */
  @Test
  void stateRestoredWithBlocksInDoublesStepsAsTheFloatStateDoes() {
    UserModels models = models(SHADOWS);
    UserModels same = models(SHADOWS);
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    UserState current = models.newUser("u", 4);
    UserState restored = same.newUser("u", 4);
    restored.adaptive = new double[restored.adaptiveBlocks.length][];
    for (int c = 0; c < restored.adaptive.length; c++) {
      restored.adaptive[c] = doubles(restored.adaptiveBlocks[c]);
    }
    restored.local = doubles(restored.localBlock);
    restored.mtl = doubles(restored.mtlBlock);
    restored.globalRow = doubles(restored.userRow);
    restored.adaptiveBlocks = new float[0][];
    restored.localBlock = new float[0];
    restored.mtlBlock = new float[0];
    restored.userRow = new float[0];
    double[] outCurrent = new double[Mode.values().length];
    double[] outRestored = new double[Mode.values().length];
    Random random = new Random(3);
    for (int e = 0; e < 10; e++) {
      int item = catalog.indexOf("i" + random.nextInt(ITEMS));
      double label = 1 + random.nextInt(5);
      models.step(current, shared, item, catalog.features(item), label, 1, outCurrent);
      same.step(restored, shared, item, catalog.features(item), label, 1, outRestored);
      assertThat(outRestored).as("event %d", e).containsExactly(outCurrent);
    }
    assertThat(restored.adaptive).isNull();
    assertThat(restored.globalRow).isNull();
    assertThat(restored.userRow).containsExactly(current.userRow);
    assertThat(restored.local).isNull();
    assertThat(restored.mtl).isNull();
    // Arrays.equals compares floats by their bits: a sparse block's NaN marker equals itself.
    assertThat(Arrays.deepEquals(restored.adaptiveBlocks, current.adaptiveBlocks)).isTrue();
    assertThat(Arrays.equals(restored.localBlock, current.localBlock)).isTrue();
    assertThat(Arrays.equals(restored.mtlBlock, current.mtlBlock)).isTrue();
  }

  @Test
  void aNewUsersBlocksAllStartFromItsInitialGlobalRow() {
    UserModels models = models(SHADOWS);
    UserState state = models.newUser("u7", 7);
    double[] q0 = PersonalParameters.initial(K, 0, CONFIG.initializer(), 7).factors;
    // [b_u = 0, q0, w_u = 0 (F values)]
    double[] block = new double[1 + K + F];
    System.arraycopy(q0, 0, block, 1, K);
    assertThat(state.userId).isEqualTo("u7");
    assertThat(state.events).isZero();
    assertThat(state.adaptiveBlocks)
        .hasNumberOfRows(CONFIG.adaptiveCandidates().size())
        .hasNumberOfRows(3);
    // No feature deviations yet: a block stores none (StoredBlocks).
    float[] stored = floats(Arrays.copyOf(block, 1 + K));
    for (float[] candidate : state.adaptiveBlocks) {
      assertThat(candidate).containsExactly(stored);
    }
    assertThat(state.userRow).hasSize(1 + K).containsExactly(floats(Arrays.copyOf(block, 1 + K)));
    // The same start as the global trainer's row of the user.
    assertThat(state.userRow).containsExactly(floats(flat(trainer(freshShared()).newUserRow(7))));
    assertThat(state.localBlock).containsExactly(stored);
    assertThat(state.mtlBlock).containsExactly(stored);
    assertThat(state.adaptive).as("no blocks in doubles").isNull();
    assertThat(state.local).isNull();
    assertThat(state.mtl).isNull();
    // Blocks are separate arrays.
    state.adaptiveBlocks[0][0] = 1;
    assertThat(state.adaptiveBlocks[1][0]).isZero();
    assertThat(state.localBlock[0]).isZero();

    UserState plain = models(EnumSet.noneOf(Mode.class)).newUser("u7", 7);
    assertThat(plain.adaptiveBlocks).hasNumberOfRows(3);
    // The global row is kept without mtl too: it is the adaptive mode's "borrow everything".
    assertThat(plain.userRow).containsExactly(state.userRow);
    assertThat(plain.localBlock).isEmpty();
    assertThat(plain.mtlBlock).isEmpty();
  }

  @Test
  void aLogisticModelHasNoFactorsInItsBlocks() {
    ModelConfig logistic = ModelConfig.defaults(ModelKind.LOGISTIC, Loss.LOGISTIC, true);
    UserModels models = new UserModels(logistic, F, 0, SHADOWS, item -> item);
    UserState state = models.newUser("u", 1);
    // k = 0: b_u and w_u, and no w_u stored before it has a nonzero value; the global row is b_u
    // alone.
    assertThat(state.adaptiveBlocks[0]).hasSize(1);
    assertThat(state.userRow).hasSize(1);
    assertThat(state.mtlBlock).hasSize(1);
  }

  /**
   * The evaluator's claim: UserModels keeps its own copy of the user's global row (the mtl anchor)
   * and steps it as the global trainer steps the master row, so, stepping first and then letting
   * the trainer learn on the same shared block, as the evaluator does, the copy is the trainer's
   * row after every event up to its storage in floats (bit for bit while it was kept in doubles).
   */
  @Test
  void theMtlAnchorFollowsTheGlobalTrainersRowUpToFloats() {
    SharedParameters shared = freshShared();
    GlobalTrainer trainer = trainer(shared);
    UserModels models = models(SHADOWS);
    ItemCatalog catalog = new ItemCatalog(SPACE);
    Random random = new Random(21);
    for (int i = 0; i < ITEMS; i++) {
      catalog.describe("i" + i, GlobalModelTest.randomDescription(random));
    }
    PersonalParameters[] rows = new PersonalParameters[USERS];
    UserState[] states = new UserState[USERS];
    long[] counts = new long[USERS];
    GroupBoundaries boundaries = GroupBoundaries.initial(CONFIG.groups());
    double[] out = new double[Mode.values().length];
    double maxDeviation = 0;
    for (int e = 0; e < 1_500; e++) {
      int u = random.nextInt(USERS);
      int item = catalog.indexOf("i" + random.nextInt(ITEMS));
      double label = 1 + random.nextInt(5);
      FeatureVector x = catalog.features(item);
      if (rows[u] == null) {
        rows[u] = trainer.newUserRow(u);
        states[u] = models.newUser("u" + u, u);
      }
      models.step(states[u], shared, item, x, label, boundaries.groupOf(counts[u]), out);
      trainer.learn(rows[u], item, x, label);
      catalog.observe(item);
      counts[u]++;
      if ((e + 1) % 100 == 0) {
        boundaries = Coordinator.boundaries(boundaries.version() + 1, CONFIG.groups(), counts);
      }
      maxDeviation = Math.max(maxDeviation, deviation(states[u].userRow, rows[u]));
    }
    assertThat(boundaries.version()).isEqualTo(15);
    // The rows did move: the claim is not about initial rows.
    assertThat(states[0].userRow)
        .isNotEqualTo(floats(flat(PersonalParameters.initial(K, 0, CONFIG.initializer(), 0))));
    assertThat(maxDeviation).as("largest |copy - trainer's row| over every event").isLessThan(1e-5);
  }

  @Test
  void localLearnsAgainstAnUntrainedSharedBlock() {
    SharedParameters fresh = freshShared();
    SharedParameters trained = freshShared();
    GlobalTrainer trainer = trainer(trained);
    ItemCatalog catalog = new ItemCatalog(SPACE);
    Random random = new Random(5);
    PersonalParameters other = trainer.newUserRow(99);
    for (int e = 0; e < 500; e++) {
      int item = catalog.indexOf("i" + random.nextInt(ITEMS));
      trainer.learn(other, item, catalog.features(item), 1 + random.nextInt(5));
    }
    UserModels withFresh = models(SHADOWS);
    UserModels withTrained = models(SHADOWS);
    UserState a = withFresh.newUser("u", 1);
    UserState b = withTrained.newUser("u", 1);
    // The local mode by hand: the user's initial block, alone against a never-trained block.
    PersonalLearner learner = new PersonalLearner(CONFIG.model(F));
    SharedParameters untrained = freshShared();
    PersonalParameters alone = PersonalParameters.initial(K, F, CONFIG.initializer(), 1);
    roundToFloats(alone);
    double[] outA = new double[Mode.values().length];
    double[] outB = new double[Mode.values().length];
    for (int e = 0; e < 40; e++) {
      int item = catalog.indexOf("i" + random.nextInt(ITEMS));
      FeatureVector x = catalog.features(item);
      double label = 1 + random.nextInt(5);
      withFresh.step(a, fresh, item, x, label, 1, outA);
      withTrained.step(b, trained, item, x, label, 1, outB);
      double expected = learner.learn(untrained, alone, null, item, x, label, CONFIG.local());
      roundToFloats(alone);
      // Local never reads the shared block it is given: the same predictions either way, those
      // of the user alone against the untrained block.
      assertThat(outB[Mode.LOCAL.ordinal()]).as("event %d", e).isEqualTo(expected);
      assertThat(outA[Mode.LOCAL.ordinal()]).as("event %d", e).isEqualTo(expected);
      // The modes that do read it see the difference.
      assertThat(outB[Mode.ADAPTIVE.ordinal()]).isNotEqualTo(outA[Mode.ADAPTIVE.ordinal()]);
      assertThat(outB[Mode.MTL.ordinal()]).isNotEqualTo(outA[Mode.MTL.ordinal()]);
    }
    assertThat(b.localBlock).containsExactly(a.localBlock);
    assertThat(b.localBlock[0]).isEqualTo((float) alone.bias);
    assertThat(b.mtlBlock).isNotEqualTo(a.mtlBlock);
  }

  /**
   * With the default share, a user outside it keeps one personal block beside its global row; its
   * step writes both, and its view is that block whenever a personal candidate is chosen.
   */
  @Test
  void aUserOutsideTheSampledShareKeepsOneBlockAndItsViewIsThatBlock() {
    UserModels models =
        new UserModels(GlobalModelTest.CONFIG, F, MEAN, EnumSet.noneOf(Mode.class), item -> item);
    int oneBlock = 0;
    UserState state = null;
    for (int seed = 0; seed < 400; seed++) {
      UserState user = models.newUser("u" + seed, seed);
      assertThat(user.adaptiveBlocks.length).isIn(1, 3);
      if (user.adaptiveBlocks.length == 1) {
        oneBlock++;
        state = user;
      }
    }
    // Share 0.5: about 200 of 400 keep one block (standard deviation 10).
    assertThat(oneBlock).isBetween(160, 240);
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    int item = catalog.indexOf("i1");
    float[] before = state.adaptiveBlocks[0].clone();
    float[] rowBefore = state.userRow.clone();
    double[] out = new double[Mode.values().length];
    models.step(state, shared, item, catalog.features(item), 5, 1, out);
    assertThat(state.adaptiveBlocks).hasNumberOfRows(1);
    assertThat(state.adaptiveBlocks[0]).isNotEqualTo(before);
    assertThat(state.userRow).isNotEqualTo(rowBefore);
    assertThat(models.selector().events(1)).as("no evidence from this user").isZero();
    for (int n = 0; n < 2; n++) {
      models.selector().recordEvent(2, new double[] {1.0, 0.75, 0.5, 0.875}, 1);
    }
    assertThat(models.selector().best(2)).isEqualTo(2);
    models.recordStep(state, 2, 1, 1);
    PersonalModelView view = UserViews.model(state);
    assertThat(view.bias).isEqualTo(state.adaptiveBlocks[0][0]);
    assertThat(view.factors)
        .containsExactly(doubles(Arrays.copyOfRange(state.adaptiveBlocks[0], 1, 1 + K)));
  }

  /** A user stepped by a model of another number of factors is refused before anything moves. */
  @Test
  void aUserOfAnotherModelShapeIsRefused() {
    UserModels models =
        new UserModels(GlobalModelTest.CONFIG, F, MEAN, EnumSet.noneOf(Mode.class), item -> item);
    UserState state = models.newUser("u1", 1);
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    int item = catalog.indexOf("i1");
    double[] out = new double[Mode.values().length];
    models.step(state, shared, item, catalog.features(item), 5, 1, out);
    models.recordStep(state, 1, 1, 1);
    state.lastStep.factors = K + 1;
    float[] before = state.adaptiveBlocks[0].clone();

    assertThatThrownBy(() -> models.step(state, shared, item, catalog.features(item), 5, 1, out))
        .isInstanceOf(IncompatibleStateException.class)
        .hasMessageStartingWith("the restored state of a user (u1) has " + (K + 1) + " factors");
    assertThat(state.adaptiveBlocks[0]).isEqualTo(before);
  }

  /**
   * A shadow share: the users drawn keep local and mtl blocks and are scored exactly as with every
   * user shadowed; the others keep neither block, get NaN for both modes and the same adaptive
   * prediction.
   */
  @Test
  void theShadowModesKeepBlocksForTheirShareOfUsersOnly() {
    UserModels sampled = new UserModels(CONFIG, F, MEAN, SHADOWS, 0.5, item -> item);
    UserModels every = models(SHADOWS);
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    int item = catalog.indexOf("i1");
    int shadowed = 0;
    for (int seed = 0; seed < 200; seed++) {
      UserState user = sampled.newUser("u" + seed, seed);
      UserState full = every.newUser("u" + seed, seed);
      boolean kept = user.localBlock.length > 0;
      assertThat(user.mtlBlock.length > 0).isEqualTo(kept);
      double[] out = new double[Mode.values().length];
      double[] expected = new double[Mode.values().length];
      sampled.step(user, shared, item, catalog.features(item), 4, 1, out);
      every.step(full, shared, item, catalog.features(item), 4, 1, expected);
      assertThat(out[Mode.ADAPTIVE.ordinal()]).isEqualTo(expected[Mode.ADAPTIVE.ordinal()]);
      if (kept) {
        shadowed++;
        assertThat(out[Mode.LOCAL.ordinal()]).isEqualTo(expected[Mode.LOCAL.ordinal()]);
        assertThat(out[Mode.MTL.ordinal()]).isEqualTo(expected[Mode.MTL.ordinal()]);
      } else {
        assertThat(out[Mode.LOCAL.ordinal()]).isNaN();
        assertThat(out[Mode.MTL.ordinal()]).isNaN();
        assertThat(user.localBlock).isEmpty();
      }
    }
    // Share 0.5: about 100 of 200 (standard deviation 7).
    assertThat(shadowed).isBetween(70, 130);
    assertThatThrownBy(() -> new UserModels(CONFIG, F, MEAN, SHADOWS, 0, i -> i))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Samples bounded by a count of users: once the users counted pass the bound over a share, a user
   * the smaller share no longer draws keeps, from its next step on, what a user outside it keeps
   * (one adaptive block, its group's best personal candidate's, and no shadow blocks) and steps as
   * such a user does; the users still drawn are untouched, and new users are drawn at the smaller
   * share.
   */
  @Test
  void usersABoundedSampleNoLongerDrawsLeaveItAtTheirNextStep() {
    UserModels models = new UserModels(GlobalModelTest.CONFIG, F, MEAN, SHADOWS, 0.5, i -> i);
    models.boundSamples(20);
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    int item = catalog.indexOf("i1");
    List<UserState> users = new ArrayList<>();
    for (int u = 0; u < 200; u++) {
      users.add(models.newUser("u" + u, Ids.hash("u" + u)));
    }
    models.countUsers(40); // the bound takes half of 40: the shares of a half stay
    assertThat(models.adaptive().sampleShrunk()).isFalse();

    models.countUsers(200); // a tenth now
    assertThat(models.shadowShareNow()).isEqualTo(0.1);
    int group = 1;
    int everyCandidate = 0;
    int shadowed = 0;
    for (UserState user : users) {
      boolean hadEvery = user.adaptiveBlocks.length > 1;
      boolean hadShadows = user.localBlock.length > 0;
      UserState twin = copy(user);
      long seed = Ids.hash(user.userId);
      int kept = models.adaptive().blockKeptOnLeaving(group);
      if (hadEvery && !models.adaptive().inSample(seed)) {
        twin.adaptiveBlocks = new float[][] {user.adaptiveBlocks[kept].clone()};
      }
      boolean leavesShadows = hadShadows && models.shadowShareNow() < 1 && !shadowed(models, user);
      if (leavesShadows) {
        twin.localBlock = new float[0];
        twin.mtlBlock = new float[0];
      }
      double[] out = new double[Mode.values().length];
      double[] expected = new double[Mode.values().length];
      models.step(user, shared, item, catalog.features(item), 4, group, out);
      assertThat(user.adaptiveBlocks).hasNumberOfRows(twin.adaptiveBlocks.length);
      assertThat(user.localBlock.length > 0).isEqualTo(hadShadows && !leavesShadows);
      assertThat(user.mtlBlock.length > 0).isEqualTo(user.localBlock.length > 0);
      if (user.adaptiveBlocks.length == 1 && hadEvery) {
        // Stepped as a user outside the sample: its one block at the group's best personal
        // candidate, compared with the kept block stepped by a user state that had only it.
        UserState alone = copy(twin);
        alone.localBlock = new float[0];
        alone.mtlBlock = new float[0];
        double[] aloneOut = new double[Mode.values().length];
        UserModels one =
            new UserModels(GlobalModelTest.CONFIG, F, MEAN, EnumSet.noneOf(Mode.class), i -> i);
        one.selector().restoreMean(List.of(models.selector().snapshot()));
        one.step(alone, shared, item, catalog.features(item), 4, group, aloneOut);
        assertThat(user.adaptiveBlocks[0]).containsExactly(alone.adaptiveBlocks[0]);
        assertThat(out[Mode.ADAPTIVE.ordinal()]).isEqualTo(aloneOut[Mode.ADAPTIVE.ordinal()]);
      }
      if (user.adaptiveBlocks.length > 1) {
        everyCandidate++;
      }
      if (user.localBlock.length > 0) {
        shadowed++;
      }
    }
    // A tenth of 200: about 20 each (standard deviation 4); none gained blocks.
    assertThat(everyCandidate).isBetween(8, 35);
    assertThat(shadowed).isBetween(8, 35);
    int newEvery = 0;
    for (int u = 200; u < 600; u++) {
      if (models.newUser("u" + u, Ids.hash("u" + u)).adaptiveBlocks.length > 1) {
        newEvery++;
      }
    }
    // A tenth of 400: about 40 (standard deviation 6).
    assertThat(newEvery).isBetween(20, 60);

    UserModels everyone = new UserModels(CONFIG, F, MEAN, SHADOWS, 1, i -> i);
    everyone.boundSamples(20);
    everyone.countUsers(200);
    assertThat(everyone.adaptive().sampleShrunk()).as("a share of 1 is not a sample").isFalse();
    assertThat(everyone.shadowShareNow()).isEqualTo(1.0);
    assertThat(everyone.newUser("u1", Ids.hash("u1")).localBlock).isNotEmpty();
  }

  /** Whether the shadow modes' share now draws the user: a new state of its id keeps blocks. */
  private static boolean shadowed(UserModels models, UserState user) {
    return models.newUser(user.userId, Ids.hash(user.userId)).localBlock.length > 0;
  }

  private static UserState copy(UserState state) {
    UserState copy = new UserState();
    copy.userId = state.userId;
    copy.events = state.events;
    copy.lastEventTimeMillis = state.lastEventTimeMillis;
    copy.adaptiveBlocks = new float[state.adaptiveBlocks.length][];
    for (int c = 0; c < state.adaptiveBlocks.length; c++) {
      copy.adaptiveBlocks[c] = state.adaptiveBlocks[c].clone();
    }
    copy.userRow = state.userRow.clone();
    copy.localBlock = state.localBlock.clone();
    copy.mtlBlock = state.mtlBlock.clone();
    return copy;
  }

  @Test
  void runsAndWhatStepWrites() {
    UserModels shadows = models(SHADOWS);
    assertThat(shadows.runs(Mode.ADAPTIVE)).isTrue();
    assertThat(shadows.runs(Mode.LOCAL)).isTrue();
    assertThat(shadows.runs(Mode.MTL)).isTrue();
    assertThat(shadows.runs(Mode.GLOBAL)).isFalse();
    assertThat(shadows.runs(Mode.ADAPTIVE_PAPER)).isFalse();

    // Modes other than LOCAL and MTL are ignored.
    UserModels plain = models(EnumSet.of(Mode.GLOBAL, Mode.ADAPTIVE_PAPER));
    for (Mode mode : Mode.values()) {
      assertThat(plain.runs(mode)).as("%s", mode).isEqualTo(mode == Mode.ADAPTIVE);
    }
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    int item = catalog.indexOf("i1");
    UserState state = plain.newUser("u", 3);
    double[] out = new double[Mode.values().length];
    Arrays.fill(out, -7);
    plain.step(state, shared, item, catalog.features(item), 4, 1, out);
    for (Mode mode : Mode.values()) {
      if (mode == Mode.ADAPTIVE) {
        assertThat(out[mode.ordinal()]).isNotEqualTo(-7.0);
      } else {
        assertThat(out[mode.ordinal()]).as("%s", mode).isEqualTo(-7.0);
      }
    }
    assertThat(state.events).isEqualTo(1);
    assertThat(state.userRow).as("stepped as the global row candidate").hasSize(1 + K);

    // With the shadows every one of the three is written; the others are left alone.
    UserState full = shadows.newUser("u", 3);
    Arrays.fill(out, -7);
    shadows.step(full, shared, item, catalog.features(item), 4, 1, out);
    for (Mode mode : Mode.values()) {
      assertThat(out[mode.ordinal()] != -7.0).as("%s", mode).isEqualTo(shadows.runs(mode));
    }
    // The first event: local and mtl start where adaptive does, and the shared block is the
    // untrained one here too, so all three predict the same: exactly for the two float blocks, up
    // to their rounding for adaptive, which may predict with the global row (kept in doubles).
    assertThat(out[Mode.LOCAL.ordinal()]).isEqualTo(out[Mode.MTL.ordinal()]);
    assertThat(out[Mode.ADAPTIVE.ordinal()]).isCloseTo(out[Mode.MTL.ordinal()], within(1e-6));
  }

  @Test
  void profileAndViewReportTheChosenBlock() {
    UserModels models = models(SHADOWS);
    SharedParameters shared = freshShared();
    ItemCatalog catalog = new ItemCatalog(SPACE);
    Random random = new Random(9);
    UserState state = models.newUser("u", 2);
    double[] out = new double[Mode.values().length];
    for (int e = 0; e < 12; e++) {
      int item = catalog.indexOf("i" + random.nextInt(ITEMS));
      models.step(state, shared, item, catalog.features(item), 1 + random.nextInt(5), 1, out);
      catalog.observe(item);
    }
    state.lastEventTimeMillis = 12_345;
    // Group 2 has seen no events (all were in group 1): make candidate 2 its leader by hand.
    for (int n = 0; n < 2; n++) {
      // Candidate 2 beats the global row (3) by the same amount twice: with no spread, that is
      // evidence enough.
      models.selector().recordEvent(2, new double[] {1.0, 0.75, 0.5, 0.875}, 1);
    }
    assertThat(models.selector().best(2)).isEqualTo(2);

    models.recordStep(state, 2, 8, 31);
    UserProfile profile = UserViews.profile(state);
    assertThat(profile.userId).isEqualTo("u");
    assertThat(profile.events).isEqualTo(12);
    assertThat(profile.group).isEqualTo(2);
    assertThat(profile.boundariesVersion).isEqualTo(8);
    assertThat(profile.checkpointVersion).isEqualTo(31);
    assertThat(profile.lastEventTimeMillis).isEqualTo(12_345);
    assertThat(profile.candidate).isEqualTo(2);

    PersonalModelView view = UserViews.model(state);
    assertThat(view.userId).isEqualTo("u");
    assertThat(view.modelKind).isEqualTo("HYBRID");
    assertThat(view.checkpointVersion).isEqualTo(31);
    PersonalParameters chosen = new PersonalParameters(K, F);
    StoredBlocks.load(state.adaptiveBlocks[2], chosen);
    assertThat(view.bias).isEqualTo(chosen.bias);
    assertThat(view.factors).containsExactly(chosen.factors);
    assertThat(view.featureWeights).containsExactly(chosen.featureWeights);
    // The candidates' blocks differ (different steps), so the view really is candidate 2's.
    PersonalParameters first = new PersonalParameters(K, F);
    StoredBlocks.load(state.adaptiveBlocks[0], first);
    assertThat(view.featureWeights).isNotEqualTo(first.featureWeights);
    PersonalParameters block = models.chosenBlock(state, 2);
    assertThat(block.bias).isEqualTo(view.bias);
    assertThat(block.factors).containsExactly(view.factors);
    // The view is a copy: changing it leaves the state alone.
    view.factors[0] += 1;
    assertThat((double) state.adaptiveBlocks[2][1]).isEqualTo(chosen.factors[0]);

    // Another group's step records that group's candidate and block.
    models.recordStep(state, 1, 9, 32);
    assertThat(UserViews.profile(state).candidate).isEqualTo(models.selector().best(1));
    assertThat(UserViews.profile(state).boundariesVersion).isEqualTo(9);
    PersonalParameters groupOne = models.chosenBlock(state, 1);
    assertThat(UserViews.model(state).factors).containsExactly(groupOne.factors);
  }

  /**
   * State written before the views were derived (no {@link LastStep}) still shows what it holds:
   * the profile's counts, no personal model until the user's next event.
   */
  @Test
  void stateFromBeforeTheDerivedViewsShowsItsCountsAndNoModel() {
    UserModels models = models(SHADOWS);
    UserState state = models.newUser("u", 2);
    state.events = 7;
    state.lastEventTimeMillis = 99;
    UserProfile profile = UserViews.profile(state);
    assertThat(profile.userId).isEqualTo("u");
    assertThat(profile.events).isEqualTo(7);
    assertThat(profile.lastEventTimeMillis).isEqualTo(99);
    assertThat(profile.group).isZero();
    assertThat(UserViews.model(state)).isNull();
  }

  /**
   * The global-row candidate: personal candidates that chase noise (bias steps of 0.9) all lose to
   * the user's global row, so every group ends up predicting with it, and then the adaptive mode's
   * prediction is the global model's own prediction of the event, up to the row's storage in
   * floats.
   */
  @Test
  void groupsWhosePersonalCandidatesAllLoseToGlobalPredictAsTheGlobalModel() {
    io.personalize.model.PersonalSettings wild =
        new io.personalize.model.PersonalSettings(
            new io.personalize.model.StepSizes(0, 0.9, 0.9, 0.9), CONFIG.globalRegularization());
    ModelConfig config =
        CONFIG.toBuilder()
            .adaptiveCandidates(java.util.List.of(wild, wild))
            .tuning(
                new io.personalize.model.SelfTuning(
                    java.util.List.of(), 1, 0, java.util.List.of(1.0), 0, 0, true, 0, 1, 1, 0, 1))
            .build();
    UserModels models = new UserModels(config, F, MEAN, EnumSet.noneOf(Mode.class), item -> item);
    SharedParameters shared = freshShared();
    GlobalTrainer global =
        new GlobalTrainer(
            config.model(F),
            shared,
            config.initializer(),
            config.globalSteps(),
            config.globalRegularization());
    UserState[] states = new UserState[USERS];
    PersonalParameters[] rows = new PersonalParameters[USERS];
    ItemCatalog catalog = new ItemCatalog(SPACE);
    Random random = new Random(11);
    double[] out = new double[Mode.values().length];
    int matched = 0;
    for (int e = 0; e < 4000; e++) {
      int u = random.nextInt(USERS);
      int i = catalog.indexOf("i" + random.nextInt(ITEMS));
      FeatureVector x = catalog.features(i);
      double y = 3.5 + random.nextGaussian();
      if (states[u] == null) {
        states[u] = models.newUser("u" + u, u);
        rows[u] = global.newUserRow(u);
      }
      int group = 1;
      boolean usesRow = models.selector().best(group) == 2;
      models.step(states[u], shared, i, x, y, group, out);
      double globalPrediction = global.learn(rows[u], i, x, y);
      if (usesRow) {
        assertThat(out[Mode.ADAPTIVE.ordinal()]).isCloseTo(globalPrediction, within(1e-5));
        matched++;
      }
      // The per-user copy of the row is stepped exactly as the global trainer steps the row.
      assertThat(deviation(states[u].userRow, rows[u])).isLessThan(1e-5);
    }
    assertThat(models.selector().best(1)).isEqualTo(2);
    assertThat(models.selector().meanLoss(1, 2))
        .isLessThan(models.selector().meanLoss(1, 0))
        .isLessThan(models.selector().meanLoss(1, 1));
    assertThat(matched).isGreaterThan(3900);
    models.recordStep(states[0], 1, 0, 0);
    assertThat(states[0].lastStep.block).isEqualTo(LastStep.GLOBAL_ROW);
    PersonalModelView view = UserViews.model(states[0]);
    assertThat(view.featureWeights).hasSize(F).containsOnly(0.0);
    // The view is the stored row: the trainer's row up to floats.
    assertThat(view.bias).isEqualTo((double) states[0].userRow[0]);
    assertThat(view.bias).isCloseTo(rows[0].bias, within(1e-5));
    for (int f = 0; f < K; f++) {
      assertThat(view.factors[f]).isEqualTo((double) states[0].userRow[1 + f]);
    }
    assertThat(deviation(states[0].userRow, rows[0])).isLessThan(1e-5);
  }
}
