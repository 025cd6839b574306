package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {

  @Test
  void theSameSeedGivesTheSameData() {
    Dataset a = SyntheticData.generate(7, 400, 300, 20_000);
    Dataset b = SyntheticData.generate(7, 400, 300, 20_000);
    Dataset c = SyntheticData.generate(8, 400, 300, 20_000);

    assertThat(a).isEqualTo(b);
    assertThat(a.interactions()).isEqualTo(b.interactions());
    assertThat(a.items()).isEqualTo(b.items());
    assertThat(c.interactions()).isNotEqualTo(a.interactions());
  }

  @Test
  void hasTheRequestedShape() {
    int users = 2000;
    int items = 1000;
    int events = 60_000;
    Dataset data = SyntheticData.generate(1, users, items, events);

    assertThat(data.name()).isEqualTo("generated");
    assertThat(data.layout()).isEqualTo("generated");
    assertThat(data.interactions()).hasSize(events);

    Map<String, Integer> perUser = counts(data, true);
    assertThat(perUser.keySet()).isEqualTo(ids(users));
    assertThat(perUser.values()).allSatisfy(n -> assertThat(n).isBetween(1, items / 2));
    Set<String> pairs = new HashSet<>();
    for (Interaction i : data.interactions()) {
      assertThat(pairs.add(i.userId() + "/" + i.itemId())).as("pair %s", i).isTrue();
    }

    assertThat(data.items().keySet()).isEqualTo(ids(items));
    assertThat(data.items().keySet()).containsAll(counts(data, false).keySet());
    assertThat(data.interactions())
        .extracting(Interaction::value)
        .containsOnly(1.0, 2.0, 3.0, 4.0, 5.0)
        .contains(1.0, 2.0, 3.0, 4.0, 5.0);

    long previous = Long.MIN_VALUE;
    for (Interaction i : data.interactions()) {
      assertThat(i.timeMillis())
          .isGreaterThanOrEqualTo(previous)
          .isGreaterThanOrEqualTo(SyntheticData.START_MILLIS)
          .isLessThan(SyntheticData.START_MILLIS + SyntheticData.SPAN_MILLIS);
      assertThat(i.timeMillis() % 1000).isZero();
      previous = i.timeMillis();
    }
    long first = data.interactions().get(0).timeMillis();
    assertThat(previous - first).isGreaterThan(SyntheticData.SPAN_MILLIS * 9 / 10);

    Set<String> allGenres = new HashSet<>();
    for (ItemInfo item : data.items().values()) {
      assertThat(item.genres()).hasSizeBetween(1, 3).doesNotHaveDuplicates();
      assertThat(SyntheticData.GENRES).containsAll(item.genres());
      allGenres.addAll(item.genres());
      assertThat(item.year()).isNotNull().isBetween(1930, 2019);
      assertThat(item.title()).endsWith("(" + item.year() + ")");
    }
    assertThat(allGenres).containsExactlyInAnyOrderElementsOf(SyntheticData.GENRES);
    assertThat(SyntheticData.GENRES).hasSize(10);
  }

  @Test
  void activityAndPopularityAreHeavyTailed() {
    Dataset data = SyntheticData.generate(3, 2000, 1000, 60_000);

    double topUsers = topTenPercentShare(counts(data, true).values(), 2000);
    double topItems = topTenPercentShare(counts(data, false).values(), 1000);

    // MovieLens: 0.32 (100k), 0.39 (1m partial), 0.48 (latest-small) for users; 0.43-0.60 items.
    assertThat(topUsers).as("share of events of the 10%% most active users").isGreaterThan(0.3);
    assertThat(topItems).as("share of events of the 10%% most popular items").isGreaterThan(0.3);
    assertThat(counts(data, true).values()).contains(1);
  }

  @Test
  void matrixFactorizationLearnsTheHiddenFactors() {
    Dataset data = SyntheticData.generate(11, 1000, 500, 50_000);
    Split split = split(data);

    double global = rmse(split.test, (u, i) -> split.mean);
    double biases = sgd(split, 0);
    double factors = sgd(split, 8);

    assertThat(biases).isLessThan(global - 0.05);
    assertThat(factors)
        .as("MF (biases %.3f, global %.3f)", biases, global)
        .isLessThan(biases - 0.1);
  }

  @Test
  void genresCarrySignal() {
    Dataset data = SyntheticData.generate(12, 1000, 500, 50_000);
    Split split = split(data);
    double[] userBias = new double[1000];
    double[] itemBias = new double[500];
    fitBiases(split, userBias, itemBias);

    // A user's mean residual per genre on the training events, shrunk towards 0.
    int genres = SyntheticData.GENRES.size();
    double[][] sum = new double[1000][genres];
    int[][] count = new int[1000][genres];
    int[][] itemGenres = itemGenres(data);
    for (int[] e : split.train) {
      double residual = e[2] - split.mean - userBias[e[0]] - itemBias[e[1]];
      for (int g : itemGenres[e[1]]) {
        sum[e[0]][g] += residual;
        count[e[0]][g]++;
      }
    }
    double base = rmse(split.test, (u, i) -> split.mean + userBias[u] + itemBias[i]);
    double withGenres =
        rmse(
            split.test,
            (u, i) -> {
              double taste = 0;
              for (int g : itemGenres[i]) {
                taste += sum[u][g] / (count[u][g] + 5.0);
              }
              return split.mean + userBias[u] + itemBias[i] + taste / itemGenres[i].length;
            });

    assertThat(withGenres).as("with genres (biases only %.3f)", base).isLessThan(base - 0.03);
  }

  @Test
  void handlesTinyAndFullyDenseInputs() {
    Dataset one = SyntheticData.generate(5, 1, 1, 1);
    assertThat(one.interactions()).hasSize(1);
    assertThat(one.interactions().get(0).userId()).isEqualTo("1");
    assertThat(one.items()).hasSize(1);

    Dataset dense = SyntheticData.generate(5, 4, 3, 12);
    assertThat(counts(dense, true).values()).containsOnly(3);
  }

  @Test
  void rejectsImpossibleSizes() {
    assertThatThrownBy(() -> SyntheticData.generate(1, 0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyntheticData.generate(1, 10, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyntheticData.generate(1, 10, 10, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("events");
    assertThatThrownBy(() -> SyntheticData.generate(1, 10, 10, 101))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ helpers

  private static Set<String> ids(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(Integer::toString).collect(Collectors.toSet());
  }

  private static Map<String, Integer> counts(Dataset data, boolean users) {
    Map<String, Integer> counts = new HashMap<>();
    for (Interaction i : data.interactions()) {
      counts.merge(users ? i.userId() : i.itemId(), 1, Integer::sum);
    }
    return counts;
  }

  private static double topTenPercentShare(Collection<Integer> counts, int population) {
    List<Integer> sorted = new ArrayList<>(counts);
    sorted.sort((a, b) -> Integer.compare(b, a));
    long top = sorted.stream().limit(population / 10).mapToLong(Integer::longValue).sum();
    long all = sorted.stream().mapToLong(Integer::longValue).sum();
    return (double) top / all;
  }

  private record Split(List<int[]> train, List<int[]> test, double mean) {}

  /** Random 80/20 split; events as {user index, item index, rating}. */
  private static Split split(Dataset data) {
    Random random = new Random(99);
    List<int[]> train = new ArrayList<>();
    List<int[]> test = new ArrayList<>();
    for (Interaction i : data.interactions()) {
      int[] e = {
        Integer.parseInt(i.userId()) - 1, Integer.parseInt(i.itemId()) - 1, (int) i.value()
      };
      (random.nextDouble() < 0.8 ? train : test).add(e);
    }
    double mean = train.stream().mapToInt(e -> e[2]).average().orElseThrow();
    return new Split(train, test, mean);
  }

  private interface Predictor {
    double predict(int user, int item);
  }

  private static double rmse(List<int[]> events, Predictor predictor) {
    double sum = 0;
    for (int[] e : events) {
      double error = e[2] - predictor.predict(e[0], e[1]);
      sum += error * error;
    }
    return Math.sqrt(sum / events.size());
  }

  /** Test RMSE of biases plus {@code rank} factors fitted by plain SGD. */
  private static double sgd(Split split, int rank) {
    int users = 1 + split.train.stream().mapToInt(e -> e[0]).max().orElseThrow();
    int items = 1 + split.train.stream().mapToInt(e -> e[1]).max().orElseThrow();
    users = Math.max(users, 1 + split.test.stream().mapToInt(e -> e[0]).max().orElseThrow());
    items = Math.max(items, 1 + split.test.stream().mapToInt(e -> e[1]).max().orElseThrow());
    Random random = new Random(5);
    double[] bu = new double[users];
    double[] bi = new double[items];
    double[][] p = new double[users][rank];
    double[][] q = new double[items][rank];
    for (double[] v : p) {
      for (int k = 0; k < rank; k++) {
        v[k] = 0.1 * random.nextGaussian();
      }
    }
    for (double[] v : q) {
      for (int k = 0; k < rank; k++) {
        v[k] = 0.1 * random.nextGaussian();
      }
    }
    double rate = 0.01;
    double reg = 0.05;
    for (int epoch = 0; epoch < 30; epoch++) {
      for (int[] e : split.train) {
        double[] pu = p[e[0]];
        double[] qi = q[e[1]];
        double error = e[2] - predict(split.mean, bu[e[0]], bi[e[1]], pu, qi);
        bu[e[0]] += rate * (error - reg * bu[e[0]]);
        bi[e[1]] += rate * (error - reg * bi[e[1]]);
        for (int k = 0; k < rank; k++) {
          double pk = pu[k];
          pu[k] += rate * (error * qi[k] - reg * pk);
          qi[k] += rate * (error * pk - reg * qi[k]);
        }
      }
    }
    return rmse(split.test, (u, i) -> predict(split.mean, bu[u], bi[i], p[u], q[i]));
  }

  private static double predict(double mean, double bu, double bi, double[] p, double[] q) {
    double s = mean + bu + bi;
    for (int k = 0; k < p.length; k++) {
      s += p[k] * q[k];
    }
    return s;
  }

  /** Regularized biases by a few rounds of alternating averages. */
  private static void fitBiases(Split split, double[] userBias, double[] itemBias) {
    for (int round = 0; round < 5; round++) {
      double[] sum = new double[itemBias.length];
      int[] n = new int[itemBias.length];
      for (int[] e : split.train) {
        sum[e[1]] += e[2] - split.mean - userBias[e[0]];
        n[e[1]]++;
      }
      for (int i = 0; i < itemBias.length; i++) {
        itemBias[i] = sum[i] / (n[i] + 10.0);
      }
      sum = new double[userBias.length];
      n = new int[userBias.length];
      for (int[] e : split.train) {
        sum[e[0]] += e[2] - split.mean - itemBias[e[1]];
        n[e[0]]++;
      }
      for (int u = 0; u < userBias.length; u++) {
        userBias[u] = sum[u] / (n[u] + 10.0);
      }
    }
  }

  private static int[][] itemGenres(Dataset data) {
    int[][] genres = new int[data.items().size()][];
    for (ItemInfo item : data.items().values()) {
      genres[Integer.parseInt(item.itemId()) - 1] =
          item.genres().stream().mapToInt(SyntheticData.GENRES::indexOf).toArray();
    }
    return genres;
  }
}
