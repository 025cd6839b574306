package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates MovieLens-like rating data with a known structure, deterministically for a seed.
 *
 * <ul>
 *   <li>Users: ids {@code "1".."users"}. Activity is heavy-tailed (log-normal weights, every user
 *       has at least one event, no user rates an item twice, and no user rates more than half of
 *       the items unless {@code events} needs it).
 *   <li>Items: ids {@code "1".."items"}, popularity Zipf-like over a random order of the items.
 *       Every item has 1-3 genres from {@link #GENRES} and a release year, and is listed in {@link
 *       Dataset#items()} whether rated or not. Titles look like {@code "Item 17 (1994)"}.
 *   <li>Ratings: integers 1..5 ({@link #SCALE}) from a hidden low-rank model: global mean + user
 *       bias + item bias + user factors · item factors + a user's taste for recent or old films +
 *       noise, rounded and clipped. Item factors are built mostly from the factors of their genres,
 *       so a user's preference depends partly on genres and item features carry signal.
 *   <li>Time: each user is active in a window inside {@link #SPAN_MILLIS} (200 days) from {@link
 *       #START_MILLIS}; timestamps are whole seconds, and the list is sorted by time
 *       (non-decreasing).
 * </ul>
 *
 * <p>Only {@link java.util.Random} (whose algorithm is specified) and plain arithmetic are used, so
 * the output is the same on every JVM.
 */
public final class SyntheticData {
  /** The genre names items are given. */
  public static final List<String> GENRES =
      List.of(
          "Action",
          "Adventure",
          "Animation",
          "Comedy",
          "Crime",
          "Documentary",
          "Drama",
          "Horror",
          "Romance",
          "Sci-Fi");

  /** The ratings it generates: whole stars from 1 to 5. */
  public static final RatingScale SCALE = new RatingScale(1, 5);

  /** 2020-01-01T00:00:00Z, the earliest timestamp. */
  public static final long START_MILLIS = 1_577_836_800_000L;

  /** 200 days: every timestamp is in {@code [START_MILLIS, START_MILLIS + SPAN_MILLIS)}. */
  public static final long SPAN_MILLIS = 200L * 24 * 60 * 60 * 1000;

  /** Number of hidden factors. */
  static final int RANK = 8;

  private static final double[] GENRE_PREVALENCE = {
    0.12, 0.08, 0.04, 0.18, 0.07, 0.03, 0.22, 0.06, 0.10, 0.10
  };
  private static final double GLOBAL_MEAN = 3.55;
  private static final double USER_BIAS_SD = 0.35;
  private static final double ITEM_BIAS_SD = 0.35;
  private static final double POPULARITY_BONUS = 0.15;
  private static final double FACTOR_SCALE = 0.9;
  private static final double GENRE_WEIGHT = 0.85;
  private static final double AGE_TASTE_SD = 0.3;
  private static final double NOISE_SD = 0.5;
  private static final double ACTIVITY_SIGMA = 1.3;
  private static final double POPULARITY_EXPONENT = 0.9;
  private static final int MAX_EVENTS = 500_000_000;

  private SyntheticData() {}

  /**
   * Generates a data set named {@code "generated"} with layout {@code "generated"}.
   *
   * @param seed the same seed gives the same data set
   * @param users number of users, at least 1; every one has at least one event
   * @param items number of items, at least 1
   * @param events number of events, at least {@code users} and at most {@code users * items}
   */
  public static Dataset generate(long seed, int users, int items, int events) {
    if (users < 1 || items < 1) {
      throw new IllegalArgumentException(
          "users and items must be at least 1, got " + users + " and " + items);
    }
    if (events < users || events > (long) users * items || events > MAX_EVENTS) {
      throw new IllegalArgumentException(
          "events must be between users ("
              + users
              + ") and min(users * items, "
              + MAX_EVENTS
              + ") ("
              + Math.min((long) users * items, MAX_EVENTS)
              + "), got "
              + events);
    }
    Random genreRandom = new Random(derive(seed, 1));
    Random itemRandom = new Random(derive(seed, 2));
    Random userRandom = new Random(derive(seed, 3));
    Random activityRandom = new Random(derive(seed, 4));
    Random choiceRandom = new Random(derive(seed, 5));
    Random ratingRandom = new Random(derive(seed, 6));
    Random timeRandom = new Random(derive(seed, 7));

    // Genres: a factor vector each.
    double[][] genreFactors = new double[GENRES.size()][RANK];
    for (double[] g : genreFactors) {
      fillGaussian(g, genreRandom, 1.0);
    }

    // Items: genres, year, popularity, bias, factors.
    int[] popularityRank = permutation(items, itemRandom); // item index -> rank 0..items-1
    double[] popularity = new double[items];
    double[] itemBias = new double[items];
    double[] itemAge = new double[items];
    double[][] itemFactors = new double[items][RANK];
    Map<String, ItemInfo> infos = new LinkedHashMap<>();
    double meanLogRank = 0;
    for (int i = 0; i < items; i++) {
      meanLogRank += Math.log(popularityRank[i] + 1.0) / items;
    }
    for (int i = 0; i < items; i++) {
      popularity[i] = Math.pow(popularityRank[i] + 1.0, -POPULARITY_EXPONENT);
      boolean[] has = drawGenres(itemRandom);
      List<String> genres = new ArrayList<>(3);
      int count = 0;
      for (int g = 0; g < has.length; g++) {
        if (has[g]) {
          genres.add(GENRES.get(g));
          count++;
        }
      }
      double[] q = itemFactors[i];
      fillGaussian(q, itemRandom, Math.sqrt(1 - GENRE_WEIGHT * GENRE_WEIGHT));
      for (int g = 0; g < has.length; g++) {
        if (has[g]) {
          for (int k = 0; k < RANK; k++) {
            q[k] += GENRE_WEIGHT * genreFactors[g][k] / Math.sqrt(count);
          }
        }
      }
      int year = 2019 - (int) Math.floor(-12.0 * Math.log(1 - itemRandom.nextDouble()));
      year = Math.max(year, 1930);
      itemAge[i] = (2019 - year - 12.0) / 12.0;
      // Popular items are rated a bit higher, as in MovieLens.
      itemBias[i] =
          ITEM_BIAS_SD * itemRandom.nextGaussian()
              - POPULARITY_BONUS * (Math.log(popularityRank[i] + 1.0) - meanLogRank);
      String id = Integer.toString(i + 1);
      infos.put(id, new ItemInfo(id, "Item " + id + " (" + year + ")", genres, year));
    }

    // Users: bias, factors, taste for old films, activity weight.
    double[] userBias = new double[users];
    double[] ageTaste = new double[users];
    double[][] userFactors = new double[users][RANK];
    double[] activity = new double[users];
    for (int u = 0; u < users; u++) {
      userBias[u] = USER_BIAS_SD * userRandom.nextGaussian();
      ageTaste[u] = AGE_TASTE_SD * userRandom.nextGaussian();
      fillGaussian(userFactors[u], userRandom, 1.0);
      activity[u] = Math.exp(ACTIVITY_SIGMA * userRandom.nextGaussian());
    }
    // Nobody rates more than half of the items unless the density demands it.
    long perUserMean = (events + (long) users - 1) / users;
    int capacity = (int) Math.min(items, Math.max((items + 1) / 2, 2 * perUserMean));
    int[] perUser = allocate(activity, events, capacity, activityRandom);

    // Events, user by user, then sorted by time.
    int[] eventUser = new int[events];
    int[] eventItem = new int[events];
    double[] eventValue = new double[events];
    long[] keys = new long[events];
    double[] cumulative = new double[items];
    double total = 0;
    for (int i = 0; i < items; i++) {
      total += popularity[i];
      cumulative[i] = total;
    }
    double factorNorm = FACTOR_SCALE / Math.sqrt(RANK);
    long spanSeconds = SPAN_MILLIS / 1000;
    int e = 0;
    for (int u = 0; u < users; u++) {
      int[] chosen = chooseItems(perUser[u], popularity, cumulative, choiceRandom);
      double arrival = 0.8 * timeRandom.nextDouble();
      double window = (1 - arrival) * (0.05 + 0.95 * timeRandom.nextDouble());
      for (int item : chosen) {
        double score =
            GLOBAL_MEAN
                + userBias[u]
                + itemBias[item]
                + factorNorm * dot(userFactors[u], itemFactors[item])
                + ageTaste[u] * itemAge[item]
                + NOISE_SD * ratingRandom.nextGaussian();
        long second = (long) ((arrival + window * timeRandom.nextDouble()) * spanSeconds);
        second = Math.min(Math.max(second, 0), spanSeconds - 1);
        eventUser[e] = u;
        eventItem[e] = item;
        eventValue[e] = SCALE.clamp(Math.rint(score));
        keys[e] = (second << 31) | e;
        e++;
      }
    }
    Arrays.sort(keys);
    String[] userIds = new String[users];
    for (int u = 0; u < users; u++) {
      userIds[u] = Integer.toString(u + 1);
    }
    String[] itemIds = infos.keySet().toArray(new String[0]);
    List<Interaction> interactions = new ArrayList<>(events);
    for (long key : keys) {
      int index = (int) (key & 0x7fff_ffffL);
      long millis = START_MILLIS + (key >>> 31) * 1000;
      interactions.add(
          new Interaction(
              userIds[eventUser[index]], itemIds[eventItem[index]], eventValue[index], millis));
    }
    return new Dataset("generated", "generated", interactions, infos, SCALE);
  }

  /** 1..3 distinct genres, more common ones more often. */
  private static boolean[] drawGenres(Random random) {
    double r = random.nextDouble();
    int count = r < 0.45 ? 1 : r < 0.80 ? 2 : 3;
    boolean[] has = new boolean[GENRE_PREVALENCE.length];
    for (int drawn = 0; drawn < count; ) {
      double target = random.nextDouble();
      int g = 0;
      while (g < GENRE_PREVALENCE.length - 1 && target >= GENRE_PREVALENCE[g]) {
        target -= GENRE_PREVALENCE[g];
        g++;
      }
      if (!has[g]) {
        has[g] = true;
        drawn++;
      }
    }
    return has;
  }

  /**
   * Splits {@code events} among users in proportion to {@code weights} (a multinomial draw), with
   * at least 1 and at most {@code capacity} per user.
   */
  static int[] allocate(double[] weights, int events, int capacity, Random random) {
    int n = weights.length;
    int[] counts = new int[n];
    Arrays.fill(counts, 1);
    if (capacity == 1) {
      return counts;
    }
    Fenwick tree = new Fenwick(weights);
    for (int left = events - n; left > 0; ) {
      int u = tree.find(random.nextDouble() * tree.total());
      if (counts[u] >= capacity) {
        continue; // only float residue of a removed weight can lead here
      }
      counts[u]++;
      left--;
      if (counts[u] == capacity) {
        tree.add(u, -tree.weight(u));
      }
    }
    return counts;
  }

  /** {@code count} distinct items, drawn by popularity without replacement. */
  private static int[] chooseItems(
      int count, double[] popularity, double[] cumulative, Random random) {
    int items = popularity.length;
    int[] chosen = new int[count];
    if (count * 4 > items) {
      // Dense user: Efraimidis-Spirakis weighted sampling over all items.
      double[] keys = new double[items];
      for (int i = 0; i < items; i++) {
        keys[i] = Math.log(random.nextDouble() + Double.MIN_VALUE) / popularity[i];
      }
      Integer[] byKey = new Integer[items];
      for (int i = 0; i < items; i++) {
        byKey[i] = i;
      }
      Arrays.sort(byKey, (a, b) -> Double.compare(keys[b], keys[a]));
      for (int i = 0; i < count; i++) {
        chosen[i] = byKey[i];
      }
      return chosen;
    }
    Set<Integer> taken = new HashSet<>(count * 2);
    double total = cumulative[items - 1];
    for (int c = 0; c < count; ) {
      int item = Arrays.binarySearch(cumulative, random.nextDouble() * total);
      item = item >= 0 ? item : Math.min(-item - 1, items - 1);
      if (taken.add(item)) {
        chosen[c++] = item;
      }
    }
    return chosen;
  }

  /** A uniformly random order of {@code 0..n-1} (Fisher-Yates). */
  static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static void fillGaussian(double[] v, Random random, double sd) {
    for (int k = 0; k < v.length; k++) {
      v[k] = sd * random.nextGaussian();
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  /** SplitMix64 of {@code seed} and a stream number: independent seeds for separate streams. */
  private static long derive(long seed, int stream) {
    long z = seed + stream * 0x9E37_79B9_7F4A_7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  /** A Fenwick tree of non-negative weights: sampling by weight and updates in O(log n). */
  private static final class Fenwick {
    private final double[] tree;
    private final double[] weights;
    private final int highBit;

    Fenwick(double[] weights) {
      int n = weights.length;
      this.weights = weights.clone();
      this.tree = new double[n + 1];
      for (int i = 0; i < n; i++) {
        tree[i + 1] += weights[i];
        int parent = (i + 1) + ((i + 1) & -(i + 1));
        if (parent <= n) {
          tree[parent] += tree[i + 1];
        }
      }
      this.highBit = Integer.highestOneBit(n);
    }

    double weight(int i) {
      return weights[i];
    }

    void add(int i, double delta) {
      weights[i] += delta;
      for (int j = i + 1; j < tree.length; j += j & -j) {
        tree[j] += delta;
      }
    }

    double total() {
      double s = 0;
      for (int j = tree.length - 1; j > 0; j -= j & -j) {
        s += tree[j];
      }
      return s;
    }

    /** The index whose cumulative weight range holds {@code target}. */
    int find(double target) {
      int pos = 0;
      for (int step = highBit; step > 0; step >>= 1) {
        int next = pos + step;
        if (next < tree.length && tree[next] <= target) {
          pos = next;
          target -= tree[next];
        }
      }
      return Math.min(pos, weights.length - 1);
    }
  }
}
