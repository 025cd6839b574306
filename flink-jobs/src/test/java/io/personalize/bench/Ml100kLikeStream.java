package io.personalize.bench;

import io.personalize.model.Coordinator;
import io.personalize.model.FeatureVector;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.ItemCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A pre-generated event stream shaped like MovieLens 100k, for benchmarks: 943 users (each with at
 * least 20 events, heavy-tailed activity), 1,682 items (Zipf-like popularity, 1-4 of the 19 ml-100k
 * genres, a release year), 100,000 ratings 1..5 with ml-100k's rating frequencies, in a random
 * interleaving of the users.
 *
 * <p>Every event carries what the engine has at hand when it steps the model: the item's feature
 * vector from the engine's {@link ItemCatalog} (genres, year bucket and stream popularity bucket,
 * 3-6 non-zeros) and the user's group, both computed the way the prequential stream does
 * (popularity and counts as of the event, group boundaries recomputed every {@code regroupEvery}
 * events). Deterministic for a seed.
 */
final class Ml100kLikeStream {
  static final int USERS = 943;
  static final int ITEMS = 1_682;
  static final int EVENTS = 100_000;
  private static final int MIN_EVENTS_PER_USER = 20;

  /** The ml-100k genre vocabulary with the approximate share of items that have each genre. */
  private static final String[] GENRES = {
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
    "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi",
    "Thriller", "War", "Western"
  };

  private static final double[] GENRE_SHARE = {
    0.001, 0.149, 0.080, 0.025, 0.072, 0.300, 0.065, 0.030, 0.431, 0.013, 0.014, 0.055, 0.033,
    0.036, 0.147, 0.060, 0.149, 0.042, 0.016
  };

  /** Share of items with 1, 2, 3 and 4 genres. */
  private static final double[] GENRE_COUNT_SHARE = {0.50, 0.31, 0.14, 0.05};

  /** ml-100k's share of ratings 1, 2, 3, 4 and 5. */
  private static final double[] RATING_SHARE = {0.061, 0.114, 0.271, 0.342, 0.212};

  final FeatureSpace space;
  final int[] user;
  final int[] item;
  final double[] label;
  final FeatureVector[] x;
  final int[] group;

  /**
   * The event times (epoch ms, non-decreasing), for {@link #withSessions} streams; null for {@link
   * #generate}, whose events have no time.
   */
  final long[] timeMillis;

  /** The items' catalog as of the end of the stream (ids are "0".."1681"). */
  final ItemCatalog catalog;

  private Ml100kLikeStream(
      FeatureSpace space,
      int[] user,
      int[] item,
      double[] label,
      FeatureVector[] x,
      int[] group,
      long[] timeMillis,
      ItemCatalog catalog) {
    this.space = space;
    this.user = user;
    this.item = item;
    this.label = label;
    this.x = x;
    this.group = group;
    this.timeMillis = timeMillis;
    this.catalog = catalog;
  }

  int events() {
    return user.length;
  }

  /**
   * @param groups C, the number of user groups
   * @param regroupEvery events between recomputations of the group boundaries
   */
  static Ml100kLikeStream generate(long seed, int groups, int regroupEvery) {
    return generate(seed, groups, regroupEvery, false);
  }

  /** ml-100k's first rating, 1997-09-20 (epoch ms): where {@link #withSessions} times start. */
  static final long START_MILLIS = 874_724_710_000L;

  private static final long DAY_MILLIS = 24L * 3600 * 1000;

  /** ml-100k spans about 7 months: users arrive within its first 200 days. */
  private static final long FIRST_SESSION_SPAN_MILLIS = 200 * DAY_MILLIS;

  /** Sessions start before the end of ml-100k's 215 days. */
  private static final long END_MILLIS = START_MILLIS + 215 * DAY_MILLIS;

  private static final double SAME_SESSION = 0.9;
  private static final double IN_SESSION_GAP_MILLIS = 2 * 60_000;

  /**
   * The same kind of stream with event times, in sessions as ml-100k's users rate: each user
   * arrives at a uniform time in the first 200 days, with a first session; each next event of the
   * user comes in the same session with probability 0.9 (exponential gap, mean 2 minutes), else
   * starts a new session, at a uniform time between the user's arrival and day 215. Events are in
   * time order. Times matter to what the item graph pairs (a 24 h window) and decays; the uniform
   * interleaving of {@link #generate} would spread every user's events over the whole 7 months and
   * make few pairs.
   */
  static Ml100kLikeStream withSessions(long seed, int groups, int regroupEvery) {
    return generate(seed, groups, regroupEvery, true);
  }

  private static Ml100kLikeStream generate(
      long seed, int groups, int regroupEvery, boolean sessions) {
    SplittableRandom random = new SplittableRandom(seed);

    // Items: genres and a release year (most in the 1990s, a long tail back to the 1920s).
    List<List<String>> itemGenres = new ArrayList<>(ITEMS);
    List<Integer> itemYears = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      int count = 1 + draw(GENRE_COUNT_SHARE, random);
      double[] share = GENRE_SHARE.clone();
      List<String> genres = new ArrayList<>(count);
      for (int g = 0; g < count; g++) {
        int chosen = draw(share, random);
        genres.add(GENRES[chosen]);
        share[chosen] = 0;
      }
      itemGenres.add(genres);
      itemYears.add(
          random.nextDouble() < 0.65
              ? 1990 + random.nextInt(9)
              : 1989 - (int) Math.min(67, -15 * Math.log(1 - random.nextDouble())));
    }

    // Popularity: Zipf-like over a random order of the items.
    int[] order = permutation(ITEMS, random);
    double[] itemWeight = new double[ITEMS];
    for (int r = 0; r < ITEMS; r++) {
      itemWeight[order[r]] = 1.0 / (r + 1);
    }
    double[] itemCumulative = cumulative(itemWeight);

    // Activity: at least 20 events a user, the rest split by log-normal weights.
    double[] activity = new double[USERS];
    for (int u = 0; u < USERS; u++) {
      activity[u] = Math.exp(1.1 * gaussian(random));
    }
    double[] userCumulative = cumulative(activity);
    int[] perUser = new int[USERS];
    java.util.Arrays.fill(perUser, MIN_EVENTS_PER_USER);
    for (int e = USERS * MIN_EVENTS_PER_USER; e < EVENTS; e++) {
      perUser[search(userCumulative, random.nextDouble() * userCumulative[USERS - 1])]++;
    }
    int[] user = new int[EVENTS];
    int e = 0;
    for (int u = 0; u < USERS; u++) {
      for (int n = 0; n < perUser[u]; n++) {
        user[e++] = u;
      }
    }
    for (int a = EVENTS - 1; a > 0; a--) {
      int b = random.nextInt(a + 1);
      int swap = user[a];
      user[a] = user[b];
      user[b] = swap;
    }
    long[] times = sessions ? sessionTimes(user, new SplittableRandom(seed * 31 + 17)) : null;

    int[] item = new int[EVENTS];
    double[] label = new double[EVENTS];
    for (e = 0; e < EVENTS; e++) {
      item[e] = search(itemCumulative, random.nextDouble() * itemCumulative[ITEMS - 1]);
      label[e] = 1 + draw(RATING_SHARE, random);
    }

    // Replay the stream as the engine sees it: features and group as of each event.
    FeatureSpace space = new FeatureSpace(FeatureSpace.MOVIELENS_GENRES, 16);
    ItemCatalog features = new ItemCatalog(space);
    for (int i = 0; i < ITEMS; i++) {
      features.indexOf(String.valueOf(i));
      features.describe(
          String.valueOf(i),
          space.describe(itemGenres.get(i), itemYears.get(i), java.util.Map.of()));
    }
    FeatureVector[] x = new FeatureVector[EVENTS];
    int[] group = new int[EVENTS];
    long[] counts = new long[USERS];
    GroupBoundaries boundaries = GroupBoundaries.initial(groups);
    for (e = 0; e < EVENTS; e++) {
      x[e] = features.features(item[e]);
      group[e] = boundaries.groupOf(counts[user[e]]);
      features.observe(item[e]);
      counts[user[e]]++;
      if ((e + 1) % regroupEvery == 0) {
        boundaries = Coordinator.boundaries(boundaries.version() + 1, groups, counts);
      }
    }
    return new Ml100kLikeStream(space, user, item, label, x, group, times, features);
  }

  /**
   * Gives each event a time in its user's sessions and sorts {@code user} (in place) by time;
   * returns the times, parallel to the sorted array.
   */
  private static long[] sessionTimes(int[] user, SplittableRandom random) {
    // Which session of its user each event belongs to.
    int[] sessions = new int[USERS];
    int[] session = new int[user.length];
    boolean[] started = new boolean[USERS];
    for (int e = 0; e < user.length; e++) {
      int u = user[e];
      if (started[u] && random.nextDouble() >= SAME_SESSION) {
        sessions[u]++;
      }
      started[u] = true;
      session[e] = sessions[u];
    }
    // Session starts: the first at the user's arrival, the others uniform from there to the end.
    long[][] starts = new long[USERS][];
    for (int u = 0; u < USERS; u++) {
      long arrival = START_MILLIS + (long) (random.nextDouble() * FIRST_SESSION_SPAN_MILLIS);
      starts[u] = new long[sessions[u] + 1];
      starts[u][0] = arrival;
      for (int k = 1; k < starts[u].length; k++) {
        starts[u][k] = arrival + (long) (random.nextDouble() * (END_MILLIS - arrival));
      }
      java.util.Arrays.sort(starts[u]);
    }
    // Within a session, exponential gaps of mean 2 minutes.
    long[] times = new long[user.length];
    long[] keyed = new long[user.length];
    int[] last = new int[USERS];
    java.util.Arrays.fill(last, -1);
    long[] clock = new long[USERS];
    for (int e = 0; e < user.length; e++) {
      int u = user[e];
      if (session[e] != last[u]) {
        last[u] = session[e];
        clock[u] = starts[u][session[e]];
      } else {
        clock[u] += 1 + (long) (-IN_SESSION_GAP_MILLIS * Math.log(1 - random.nextDouble()));
      }
      times[e] = clock[u];
    }
    Integer[] order = new Integer[user.length];
    for (int e = 0; e < order.length; e++) {
      order[e] = e;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
    int[] users = user.clone();
    for (int e = 0; e < order.length; e++) {
      user[e] = users[order[e]];
      keyed[e] = times[order[e]];
    }
    return keyed;
  }

  /** Index drawn with probability proportional to {@code weights}. */
  private static int draw(double[] weights, SplittableRandom random) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double target = random.nextDouble() * total;
    for (int k = 0; k < weights.length; k++) {
      target -= weights[k];
      if (target < 0) {
        return k;
      }
    }
    for (int k = weights.length - 1; k >= 0; k--) {
      if (weights[k] > 0) {
        return k;
      }
    }
    throw new IllegalArgumentException("no positive weight");
  }

  private static double[] cumulative(double[] weights) {
    double[] sums = new double[weights.length];
    double total = 0;
    for (int k = 0; k < weights.length; k++) {
      total += weights[k];
      sums[k] = total;
    }
    return sums;
  }

  /** The first index whose cumulative weight exceeds {@code target}. */
  private static int search(double[] cumulative, double target) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int k = 0; k < n; k++) {
      p[k] = k;
    }
    for (int k = n - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      int swap = p[k];
      p[k] = p[j];
      p[j] = swap;
    }
    return p;
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
