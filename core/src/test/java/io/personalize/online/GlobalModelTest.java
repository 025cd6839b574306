package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.FeatureVector;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Initializer;
import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.PersonalParameters;
import io.personalize.model.Regularization;
import io.personalize.model.StepSizes;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.FeatureSpace.ItemDescription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The global operator's model: SGD on every event, sparse versioned deltas, bounded user rows. */
class GlobalModelTest {
  static final FeatureSpace SPACE = new FeatureSpace(FeatureSpace.MOVIELENS_GENRES, 8);
  static final ModelConfig CONFIG =
      ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true).toBuilder().factors(4).build();

  /**
   * The defaults with nothing learned from the stream: the hand-computed steps below are the
   * configured ones (the learning itself is SelfTuningTrainerTest's).
   */
  static final ModelConfig PLAIN =
      CONFIG.toBuilder().tuning(io.personalize.model.SelfTuning.off()).build();

  static final double MEAN = 3.5;
  static final int K = 4;

  /** The feature of an undescribed item with 0 events: popularity bucket 0, value 1. */
  static final int POPULARITY_0 = SPACE.vector(ItemDescription.NONE, 0).index(0);

  /** An item's initial factors: seeded by a hash of its id, whatever index it gets. */
  private static double[] initialItemRow(String item) {
    double[] p = new double[K];
    CONFIG.initializer().fill(p, 0, K, Ids.hash(item), Initializer.ITEM_STREAM);
    return p;
  }

  private static double[] initialUserRow(String user) {
    return PersonalParameters.initial(K, 0, CONFIG.initializer(), Ids.hash(user)).factors;
  }

  @Test
  void theStreamDefaultsAreTheOnesTheArithmeticBelowUses() {
    assertThat(CONFIG.globalSteps()).isEqualTo(new StepSizes(0.002, 0.04, 0.12, 0.005));
    assertThat(CONFIG.globalRegularization()).isEqualTo(new Regularization(0.02, 0.05, 0.01, 0.01));
    FeatureVector x = SPACE.vector(ItemDescription.NONE, 0);
    assertThat(x.size()).isEqualTo(1);
    assertThat(x.value(0)).isEqualTo(1.0);
  }

  @Test
  void closeCheckpointIsNullWhenNothingChanged() {
    GlobalModel model = new GlobalModel(PLAIN, SPACE, MEAN, 100);
    assertThat(model.closeCheckpoint(1)).isNull();
    // Describing an item is not a change of the shared block.
    model.describeItem("i1", SPACE.describe(List.of("Drama"), 1995, Map.of()));
    assertThat(model.closeCheckpoint(2)).isNull();
    model.learn("u1", "i1", 4, 10);
    assertThat(model.eventsSinceCheckpoint()).isEqualTo(1);
    ModelDelta delta = model.closeCheckpoint(3);
    assertThat(delta).isNotNull();
    assertThat(model.eventsSinceCheckpoint()).isZero();
    assertThat(model.closeCheckpoint(4)).isNull();
    assertThat(model.version()).isEqualTo(1);
  }

  @Test
  void theFirstDeltaOfAnItemCarriesItsWholeValue() {
    GlobalModel model = new GlobalModel(PLAIN, SPACE, MEAN, 100);
    double prediction = model.learn("u1", "i1", 4, 1_000);
    // Before the step: b_u = b_i = 0, w = 0, q_u and p_i their initial rows, so
    // z = mu + q_u.p_i, summed in the model's order.
    double[] q0 = initialUserRow("u1");
    double[] p0 = initialItemRow("i1");
    double z = MEAN + 0 + 0;
    for (int f = 0; f < K; f++) {
      z += q0[f] * p0[f];
    }
    assertThat(prediction).isEqualTo(z);
    double e = prediction - 4;
    ModelDelta delta = model.closeCheckpoint(2_000);
    assertThat(delta.modelKind).isEqualTo("HYBRID");
    assertThat(delta.previousVersion).isZero();
    assertThat(delta.version).isEqualTo(1);
    assertThat(delta.createdAtMillis).isEqualTo(2_000);
    assertThat(delta.maxEventTimeMillis).isEqualTo(1_000);
    assertThat(delta.eventsCovered).isEqualTo(1);
    assertThat(delta.factors).isEqualTo(K);
    assertThat(delta.featureDimension).isEqualTo(SPACE.dimension());
    assertThat(delta.itemIds).containsExactly("i1");
    assertThat(delta.itemCountDeltas).containsExactly(1);
    // b_i = 0 - 0.04 (e + 0.02 * 0): the whole value, sent against a receiver's 0.
    assertThat(delta.itemBiasDeltas).containsExactly(-0.04 * e);
    // p_i = p0 - 0.12 (e q0 + 0.05 p0), the whole row (not its change from p0), as floats.
    float[] expected = new float[K];
    for (int f = 0; f < K; f++) {
      expected[f] = (float) (p0[f] - 0.12 * (e * q0[f] + 0.05 * p0[f]));
    }
    assertThat(delta.itemFactorDeltas).containsExactly(expected);
    // w_j = 0 - 0.005 (e * 1 + 0.01 * 0) on the item's one feature; mu moved by -0.002 e.
    assertThat(delta.featureIndices).containsExactly(POPULARITY_0);
    assertThat(delta.featureDeltas).containsExactly(-0.005 * e);
    assertThat(delta.meanDelta).isCloseTo(-0.002 * e, within(1e-15));
    // The user row stayed here: b_u = -0.04 e, q_u = q0 - 0.12 (e p0 + 0.05 q0).
    GlobalModelSnapshot s = model.snapshot();
    assertThat(s.userIds).containsExactly("u1");
    assertThat(s.userBias).containsExactly(-0.04 * e);
    for (int f = 0; f < K; f++) {
      assertThat(s.userFactors[f]).isEqualTo(q0[f] - 0.12 * (e * p0[f] + 0.05 * q0[f]));
    }
    // The mirror holds exactly what was sent.
    for (int f = 0; f < K; f++) {
      assertThat(s.publishedItemFactors[f]).isEqualTo((double) expected[f]);
    }
    assertThat(s.publishedItemBias).containsExactly(-0.04 * e);

    // A second event on the item: now only the change since what was sent travels.
    model.learn("u2", "i1", 2, 1_500);
    model.learn("u2", "i2", 5, 1_200);
    GlobalModelSnapshot before = model.snapshot();
    ModelDelta second = model.closeCheckpoint(3_000);
    assertThat(second.previousVersion).isEqualTo(1);
    assertThat(second.version).isEqualTo(2);
    assertThat(second.eventsCovered).isEqualTo(3);
    assertThat(second.maxEventTimeMillis).isEqualTo(1_500);
    assertThat(second.itemIds).containsExactly("i1", "i2");
    assertThat(second.itemCountDeltas).containsExactly(1, 1);
    for (int f = 0; f < K; f++) {
      assertThat(second.itemFactorDeltas[f])
          .isEqualTo((float) (before.itemFactors[f] - (double) expected[f]));
      // i2 is new to receivers: its whole row.
      assertThat(second.itemFactorDeltas[K + f]).isEqualTo((float) before.itemFactors[K + f]);
    }
    assertThat(second.itemBiasDeltas[0]).isEqualTo(before.itemBias[0] - (-0.04 * e));
    assertThat(second.itemBiasDeltas[1]).isEqualTo(before.itemBias[1]);
  }

  @Test
  void aSnapshotOfAnotherNumberOfFactorsIsRefusedAndNothingIsRestored() {
    GlobalModel original = new GlobalModel(PLAIN, SPACE, MEAN, 100);
    original.learn("u1", "i1", 4, 10);
    GlobalModelSnapshot snapshot = original.snapshot();
    GlobalModel other = new GlobalModel(PLAIN.toBuilder().factors(3).build(), SPACE, MEAN, 100);

    assertThatThrownBy(() -> other.restore(snapshot))
        .isInstanceOf(IncompatibleStateException.class)
        .hasMessageStartingWith(
            "the restored state of a global model has 4 factors and "
                + snapshot.featureWeights.length
                + " feature weights, and this job's model 3 and "
                + snapshot.featureWeights.length);
    assertThat(other.items()).isZero();
  }

  @Test
  void maxUsersEvictsTheLeastRecentlySeenRowAndAReturningUserStartsOver() {
    GlobalModel model = new GlobalModel(PLAIN, SPACE, MEAN, 2);
    GlobalModel unbounded = new GlobalModel(PLAIN, SPACE, MEAN, 100);
    for (GlobalModel m : List.of(model, unbounded)) {
      m.learn("u1", "i1", 5, 1);
      m.learn("u1", "i2", 4, 2);
      m.learn("u2", "i1", 3, 3);
      m.learn("u3", "i2", 1, 4);
    }
    assertThat(model.users()).isEqualTo(2);
    assertThat(model.usersEvicted()).isEqualTo(1);
    assertThat(unbounded.users()).isEqualTo(3);
    assertThat(unbounded.usersEvicted()).isZero();
    GlobalModelSnapshot s = model.snapshot();
    assertThat(s.userIds).containsExactly("u2", "u3");

    // u1 returns on a new item i3 (index 2): b_i3 = 0, p_i3 its initial row, x_i3 = the
    // popularity-0 feature; u1's row is its initial one again (b_u = 0, q_u = q0), so
    // z = mu + 0 + 0 + q0.p0(i3) + w_j * 1.
    double[] q0 = initialUserRow("u1");
    double[] p0 = initialItemRow("i3");
    double z = s.mean + 0 + 0;
    for (int f = 0; f < K; f++) {
      z += q0[f] * p0[f];
    }
    z += s.featureWeights[POPULARITY_0] * 1.0;
    assertThat(model.learn("u1", "i3", 2, 5)).isEqualTo(z);
    assertThat(model.users()).isEqualTo(2);
    assertThat(model.usersEvicted()).isEqualTo(2);
    assertThat(model.snapshot().userIds).containsExactly("u3", "u1");
    // The model that kept u1's trained row predicts something else.
    assertThat(unbounded.learn("u1", "i3", 2, 5)).isNotEqualTo(z);
  }

  @Test
  void snapshotAndRestoreContinueIdentically() {
    Random random = new Random(3);
    GlobalModel original = new GlobalModel(CONFIG, SPACE, MEAN, 20);
    for (int i = 0; i < 15; i++) {
      original.describeItem("i" + i, randomDescription(random));
    }
    long time = 0;
    for (int n = 0; n < 600; n++) {
      learnRandom(original, random, ++time);
      if (random.nextInt(50) == 0) {
        original.closeCheckpoint(time);
      }
    }
    GlobalModelSnapshot snapshot = original.snapshot();
    GlobalModel restored = new GlobalModel(CONFIG, SPACE, MEAN, 20);
    restored.restore(snapshot);
    assertThat(restored.version()).isEqualTo(original.version());
    assertThat(restored.users()).isEqualTo(original.users()).isEqualTo(20);
    assertThat(restored.items()).isEqualTo(original.items());
    assertThat(restored.eventsSinceCheckpoint()).isEqualTo(original.eventsSinceCheckpoint());
    assertSameModel(restored.snapshot(), snapshot);

    for (int n = 0; n < 600; n++) {
      long seed = random.nextLong();
      ++time;
      double a = learnRandom(original, new Random(seed), time);
      double b = learnRandom(restored, new Random(seed), time);
      assertThat(b).as("event %d after the restore", n).isEqualTo(a);
      if (n == 100) {
        ModelDelta da = original.closeCheckpoint(time);
        ModelDelta db = restored.closeCheckpoint(time);
        assertThat(db.version).isEqualTo(da.version);
        assertThat(db.previousVersion).isEqualTo(da.previousVersion);
        assertThat(db.eventsCovered).isEqualTo(da.eventsCovered);
        assertThat(db.maxEventTimeMillis).isEqualTo(da.maxEventTimeMillis);
        assertThat(db.meanDelta).isEqualTo(da.meanDelta);
        // The restored model resends every item (its dirty marks were not stored), the same
        // change for those the original sends.
        Map<String, Integer> at = new HashMap<>();
        for (int d = 0; d < db.items(); d++) {
          at.put(db.itemIds[d], d);
        }
        assertThat(at.keySet()).containsAll(List.of(da.itemIds));
        for (int d = 0; d < da.items(); d++) {
          int r = at.get(da.itemIds[d]);
          assertThat(db.itemBiasDeltas[r]).isEqualTo(da.itemBiasDeltas[d]);
          assertThat(db.itemCountDeltas[r]).isEqualTo(da.itemCountDeltas[d]);
          for (int f = 0; f < K; f++) {
            assertThat(db.itemFactorDeltas[r * K + f]).isEqualTo(da.itemFactorDeltas[d * K + f]);
          }
        }
      }
    }
    assertSameModel(restored.snapshot(), original.snapshot());
    assertThat(restored.usersEvicted()).isPositive();
  }

  /** Everything but the mirror of what was sent, which differs by design after a restore. */
  static void assertSameModel(GlobalModelSnapshot actual, GlobalModelSnapshot expected) {
    assertThat(actual.mean).isEqualTo(expected.mean);
    assertThat(actual.featureWeights).containsExactly(expected.featureWeights);
    assertThat(actual.itemIds).containsExactly(expected.itemIds);
    assertThat(actual.itemBias).containsExactly(expected.itemBias);
    assertThat(actual.itemFactors).containsExactly(expected.itemFactors);
    assertThat(actual.itemCounts).containsExactly(expected.itemCounts);
    assertThat(actual.userIds).containsExactly(expected.userIds);
    assertThat(actual.userBias).containsExactly(expected.userBias);
    assertThat(actual.userFactors).containsExactly(expected.userFactors);
    assertThat(actual.eventsLearned).isEqualTo(expected.eventsLearned);
    assertThat(actual.version).isEqualTo(expected.version);
    for (int i = 0; i < expected.itemIds.length; i++) {
      assertThat(actual.descriptionIndices[i]).containsExactly(expected.descriptionIndices[i]);
      assertThat(actual.descriptionValues[i]).containsExactly(expected.descriptionValues[i]);
    }
  }

  static ItemDescription randomDescription(Random random) {
    List<String> genres = FeatureSpace.MOVIELENS_GENRES;
    return SPACE.describe(
        List.of(genres.get(random.nextInt(genres.size())), genres.get(random.nextInt(5))),
        1940 + random.nextInt(80),
        random.nextBoolean() ? Map.of("tag=" + random.nextInt(5), 1.0) : Map.of());
  }

  private static double learnRandom(GlobalModel model, Random random, long time) {
    return model.learn(
        "u" + random.nextInt(30), "i" + random.nextInt(25), 1 + random.nextInt(5), time);
  }
}
