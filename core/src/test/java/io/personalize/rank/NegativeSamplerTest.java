package io.personalize.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Empirical distributions of 100,000 draws against the expected probabilities, with two checks
 * each: the chi-square statistic below its 0.1% critical value for the degrees of freedom (a
 * correct sampler fails it one time in a thousand seeds; the seeds are fixed), and every frequency
 * within 0.006 of its probability (the standard deviation of a frequency is at most sqrt(0.25 /
 * 100,000) = 0.0016, so 0.006 is about 4 of them). Items of probability 0 must never be drawn.
 */
class NegativeSamplerTest {
  private static final int DRAWS = 100_000;
  private static final double MAX_ABS_DIFFERENCE = 0.006;

  /** Chi-square critical values at p = 0.001, by degrees of freedom 1..4. */
  private static final double[] CHI_SQUARE_999 = {0, 10.828, 13.816, 16.266, 18.467};

  private static final IntPredicate NOTHING = i -> false;

  /**
   * Counts 1, 16, 81, 256 and an item known without events: count^0.75 = 1, 8, 27, 64, 0, total
   * 100, so popularity probabilities are 0.01, 0.08, 0.27, 0.64, 0.
   */
  private static NegativeSampler sampler(NegativeSampling sampling, long seed) {
    NegativeSampler sampler = new NegativeSampler(sampling, seed);
    sampler.add(0, 1);
    sampler.add(1, 16);
    sampler.add(2, 81);
    sampler.add(3, 256);
    sampler.ensureItem(4);
    return sampler;
  }

  private static double[] frequencies(NegativeSampler sampler, IntPredicate excluded) {
    double[] frequency = new double[sampler.items()];
    for (int d = 0; d < DRAWS; d++) {
      int item = sampler.sample(excluded);
      assertThat(excluded.test(item)).as("drew excluded item %d", item).isFalse();
      frequency[item] += 1.0 / DRAWS;
    }
    return frequency;
  }

  private static void assertDistribution(double[] frequency, double[] expected) {
    assertThat(Arrays.stream(expected).sum()).isCloseTo(1, within(1e-12));
    double chiSquare = 0;
    int categories = 0;
    for (int i = 0; i < expected.length; i++) {
      assertThat(frequency[i])
          .as("frequency of item %d", i)
          .isCloseTo(expected[i], within(MAX_ABS_DIFFERENCE));
      if (expected[i] == 0) {
        assertThat(frequency[i]).as("item %d has probability 0", i).isZero();
      } else {
        double observed = frequency[i] * DRAWS;
        double wanted = expected[i] * DRAWS;
        chiSquare += (observed - wanted) * (observed - wanted) / wanted;
        categories++;
      }
    }
    assertThat(chiSquare).isLessThan(CHI_SQUARE_999[categories - 1]);
  }

  @Test
  void uniformIsUniformOverKnownItemsWithOrWithoutEvents() {
    assertDistribution(
        frequencies(sampler(NegativeSampling.uniform(), 1), NOTHING),
        new double[] {0.2, 0.2, 0.2, 0.2, 0.2});
  }

  @Test
  void popularityIsProportionalToCountToThe075() {
    assertDistribution(
        frequencies(sampler(NegativeSampling.popularity(), 2), NOTHING),
        new double[] {0.01, 0.08, 0.27, 0.64, 0});
  }

  @Test
  void mixedIsTheShareOfEach() {
    // 0.5 * popularity + 0.5 * uniform: 0.5 * (0.01, 0.08, 0.27, 0.64, 0) + 0.1
    assertDistribution(
        frequencies(sampler(NegativeSampling.mixed(0.5), 3), NOTHING),
        new double[] {0.105, 0.14, 0.235, 0.42, 0.1});
    // share 0.2: 0.2 * popularity + 0.8 * 0.2 = (0.162, 0.176, 0.214, 0.288, 0.16)
    assertDistribution(
        frequencies(sampler(NegativeSampling.mixed(0.2), 4), NOTHING),
        new double[] {0.162, 0.176, 0.214, 0.288, 0.16});
  }

  @Test
  void exclusionRestrictsEachDistributionToTheAllowedItems() {
    IntPredicate notThree = i -> i == 3;
    // uniform over {0, 1, 2, 4}
    assertDistribution(
        frequencies(sampler(NegativeSampling.uniform(), 5), notThree),
        new double[] {0.25, 0.25, 0.25, 0, 0.25});
    // weights 1, 8, 27 of 36
    assertDistribution(
        frequencies(sampler(NegativeSampling.popularity(), 6), notThree),
        new double[] {1.0 / 36, 8.0 / 36, 27.0 / 36, 0, 0});
    // mixture masses 0.105, 0.14, 0.235, 0.1 of 0.58
    assertDistribution(
        frequencies(sampler(NegativeSampling.mixed(0.5), 7), notThree),
        new double[] {0.105 / 0.58, 0.14 / 0.58, 0.235 / 0.58, 0, 0.1 / 0.58});
  }

  @Test
  void theExactDrawOverAllowedItemsKeepsTheDistribution() {
    // Weights 1, 1 and 10000^0.75 = 1000: with item 2 excluded a draw is allowed with probability
    // 2/1002, so 32 draws in a row fail with probability (1000/1002)^32 = 0.94 and the exact draw
    // over items 0 and 1 decides most of the time. It must still be 1/2 each.
    NegativeSampler sampler = new NegativeSampler(NegativeSampling.popularity(), 8);
    sampler.add(0, 1);
    sampler.add(1, 1);
    sampler.add(2, 10_000);
    assertDistribution(frequencies(sampler, i -> i == 2), new double[] {0.5, 0.5, 0});
  }

  @Test
  void whenOnlyItemsWithoutEventsRemainPopularityDrawsUniformlyAmongThem() {
    NegativeSampler sampler = sampler(NegativeSampling.popularity(), 9);
    sampler.ensureItem(5);
    IntPredicate counted = i -> i <= 3;
    assertDistribution(frequencies(sampler, counted), new double[] {0, 0, 0, 0, 0.5, 0.5});
  }

  @Test
  void whenEveryItemIsExcludedThereIsNoNegative() {
    NegativeSampler sampler = sampler(NegativeSampling.mixed(0.5), 10);
    assertThat(sampler.sample(i -> true)).isEqualTo(NegativeSampler.NONE);
    assertThat(new NegativeSampler(NegativeSampling.uniform(), 1).sample(NOTHING))
        .isEqualTo(NegativeSampler.NONE);
    int[] out = new int[3];
    assertThat(sampler.sample(out, 3, i -> i != 2)).isEqualTo(1);
    assertThat(out[0]).isEqualTo(2);
  }

  @Test
  void popularityBeforeAnyEventIsUniform() {
    NegativeSampler sampler = new NegativeSampler(NegativeSampling.popularity(), 11);
    sampler.ensureItem(3);
    assertDistribution(frequencies(sampler, NOTHING), new double[] {0.25, 0.25, 0.25, 0.25});
  }

  @Test
  void countsGrowAsEventsArrive() {
    NegativeSampler sampler = sampler(NegativeSampling.popularity(), 12);
    sampler.add(0, 15);
    assertThat(sampler.count(0)).isEqualTo(16);
    // weights 16^0.75 = 8, 8, 27, 64, 0: total 107
    assertDistribution(
        frequencies(sampler, NOTHING),
        new double[] {8.0 / 107, 8.0 / 107, 27.0 / 107, 64.0 / 107, 0});
    // A new item with 81 events weighs 27: total 134.
    sampler.add(7, 81);
    assertThat(sampler.items()).isEqualTo(8);
    assertDistribution(
        frequencies(sampler, NOTHING),
        new double[] {8.0 / 134, 8.0 / 134, 27.0 / 134, 64.0 / 134, 0, 0, 0, 27.0 / 134});
  }

  @Test
  void exponentZeroWeighsEveryItemWithEventsAlike() {
    NegativeSampler sampler = sampler(new NegativeSampling(1, 0), 13);
    assertDistribution(frequencies(sampler, NOTHING), new double[] {0.25, 0.25, 0.25, 0.25, 0});
  }

  @Test
  void sameSeedSameDrawsOtherSeedOtherDraws() {
    for (NegativeSampling sampling :
        new NegativeSampling[] {
          NegativeSampling.uniform(), NegativeSampling.popularity(), NegativeSampling.mixed(0.3)
        }) {
      int[] first = draws(sampler(sampling, 42));
      assertThat(draws(sampler(sampling, 42))).as("%s", sampling).containsExactly(first);
      assertThat(draws(sampler(sampling, 43))).as("%s", sampling).isNotEqualTo(first);
    }
  }

  private static int[] draws(NegativeSampler sampler) {
    int[] draws = new int[200];
    int[] out = new int[2];
    for (int d = 0; d < draws.length; d += 2) {
      draws[d] = sampler.sample(i -> i == 3);
      draws[d + 1] = sampler.sample(out, 2, i -> i == 0) == 2 ? out[0] * 10 + out[1] : -1;
    }
    return draws;
  }

  @Test
  void severalNegativesAreDistinctAndNeverExcluded() {
    NegativeSampler sampler = sampler(NegativeSampling.popularity(), 14);
    for (int i = 5; i < 50; i++) {
      sampler.add(i, i);
    }
    Set<Integer> user = Set.of(3, 10, 20, 30, 40, 49);
    int[] out = new int[10];
    for (int trial = 0; trial < 1000; trial++) {
      assertThat(sampler.sample(out, 10, user::contains)).isEqualTo(10);
      Set<Integer> seen = new HashSet<>();
      for (int item : out) {
        assertThat(user).doesNotContain(item);
        assertThat(seen.add(item)).as("item %d twice", item).isTrue();
      }
    }
    // Only items 0..4 known and item 3 excluded: 4 negatives at most.
    NegativeSampler small = sampler(NegativeSampling.mixed(0.5), 15);
    assertThat(small.sample(out, 10, i -> i == 3)).isEqualTo(4);
    assertThat(Arrays.stream(out, 0, 4).sorted().toArray()).containsExactly(0, 1, 2, 4);
  }

  @Test
  void countsOnlyGrow() {
    NegativeSampler sampler = new NegativeSampler(NegativeSampling.popularity(), 1);
    assertThatThrownBy(() -> sampler.add(0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sampler.ensureItem(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(sampler.count(99)).isZero();
  }

  @Test
  void samplingParsesAndPrintsItsKinds() {
    assertThat(NegativeSampling.parse("uniform")).isEqualTo(new NegativeSampling(0, 0.75));
    assertThat(NegativeSampling.parse(" Popularity ")).isEqualTo(new NegativeSampling(1, 0.75));
    assertThat(NegativeSampling.parse("mixed")).isEqualTo(new NegativeSampling(0.5, 0.75));
    assertThat(NegativeSampling.parse("mixed:0.3")).isEqualTo(new NegativeSampling(0.3, 0.75));
    for (String name : new String[] {"uniform", "popularity", "mixed:0.3"}) {
      assertThat(NegativeSampling.parse(name)).hasToString(name);
    }
    for (String bad : new String[] {"random", "mixed:", "mixed:x", "mixed:1.5"}) {
      assertThatThrownBy(() -> NegativeSampling.parse(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new NegativeSampling(0.5, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
