package io.personalize.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Pixie-style candidates: walks with restart on the {@link CoInteractionGraph} from a user's recent
 * items, scored with Pixie's boost for items reached from several start items and divided by
 * popularity.
 *
 * <ol>
 *   <li>Start items: the user's recent items, the k-th most recent (k = 0 the latest) weighted
 *       2^(-k / recencyHalfLife); items with no out-edges cannot start a walk and give their share
 *       to the others. With none left (a new user, or only items no one followed yet), the walks
 *       start at {@link CoInteractionGraph#NO_ITEM}, as a new user's.
 *   <li>Each start item q gets round(steps * weight_q / total weight) steps. A walk from q moves to
 *       an out-neighbor drawn by edge weight, counts a visit there, and returns to q with the
 *       restart probability, after {@code maxWalkLength} steps, or at an item with no out-edges;
 *       walks repeat until q's steps are spent. {@link WalkSettings.Visits#EXPECTED} replaces the
 *       sampled counts by their expectation: the visit probabilities after 1..maxWalkLength steps
 *       (power iteration from q, mass that restarts or reaches a dead end leaves), scaled to q's
 *       steps.
 *   <li>The start item q itself counts one visit per walk start (step 0, before the first step; no
 *       step of the budget), as in random walk with restart / personalized PageRank, where the
 *       restart returns the walker to q: visits_q(q) = q's walks (B / H expected, B the budget, H
 *       the mean walk length) plus the walks' returns through the graph. With the user's items
 *       excluded (the default) this changes nothing; without (sessions, which come back to their
 *       items) the recent items rank by their recency weight: on the yoochoose sample walks' MRR@20
 *       0.224 -> 0.352, HR@20 0.618 -> 0.685 (26% of next clicks repeat the current item, 34% an
 *       earlier one of the session, and the graph has no self-edges).
 *   <li>score(i) = (sum over start items q of sqrt(visits_q(i)))^2 / max(weighted in-degree(i),
 *       minWeight)^alpha. Plain visits favour items many edges lead to; alpha = 1 divides that out.
 *   <li>The top {@code count} by score, ties by id; never an excluded item nor {@link
 *       CoInteractionGraph#NO_ITEM}. Walks still pass through excluded items.
 * </ol>
 *
 * <p>Sampling draws a neighbor by a scan over the list's weights, strongest first (decay scales a
 * list's weights alike, so they need no update as time passes): at 50 neighbors 35 ns a step,
 * against 50 ns for a binary search over cumulative weights, which would also cost 8 more bytes an
 * edge. The same seed and the same graph give the same candidates. Expected visits are kept per
 * start item until a row they read changes ({@link VisitCache}: exact, up to {@link
 * #DEFAULT_CACHE_CAPACITY}). Holds scratch arrays sized to the graph (about 64 bytes per item): not
 * thread-safe, one per operator or evaluator thread.
 */
public final class RandomWalks {
  /**
   * Visited items and rows read kept between queries (about 12 MB at 12 bytes each): the expansions
   * of about 400 start items in a catalog where two steps reach 2,500 items, of all of them in one
   * of 1,700 items as ml-100k.
   */
  static final long DEFAULT_CACHE_CAPACITY = 1 << 20;

  private final CoInteractionGraph graph;
  private final WalkSettings settings;
  // Per start item.
  private int[] counts = new int[0];
  private double[] expected = new double[0];
  private int[] reached = new int[0];
  private boolean[] isReached = new boolean[0];
  private int reachedCount;
  // Summed over start items.
  private double[] boost = new double[0];
  private int[] scored = new int[0];
  private boolean[] isScored = new boolean[0];
  private int scoredCount;
  // Power iteration.
  private double[] mass = new double[0];
  private double[] nextMass = new double[0];
  private int[] frontier = new int[0];
  private int[] nextFrontier = new int[0];
  private boolean[] onNextFrontier = new boolean[0];
  private int[] rows = new int[0];
  private final VisitCache cache;
  // The caller's index of each slot's item, kept while the slot holds the same id string (a
  // released slot's next item is another string): a list's candidates were hundreds of map lookups
  // by id, a tenth of the job's recommendation thread (docs/performance.md).
  private ToIntFunction<String> indexedBy;
  private String[] indexedIds = new String[0];
  private int[] indices = new int[0];

  public RandomWalks(CoInteractionGraph graph, WalkSettings settings) {
    this(graph, settings, DEFAULT_CACHE_CAPACITY);
  }

  /**
   * @param cacheCapacity the most visited items and rows read that {@link VisitCache} keeps for
   *     expected walks (0 keeps nothing)
   */
  public RandomWalks(CoInteractionGraph graph, WalkSettings settings, long cacheCapacity) {
    this.graph = graph;
    this.settings = settings;
    this.cache = new VisitCache(cacheCapacity);
  }

  public WalkSettings settings() {
    return settings;
  }

  /** Start items whose expected visits were reused, unchanged since computed. */
  public long expansionsReused() {
    return cache.hits();
  }

  /** Start items whose expected visits were computed (none kept, or a row read had changed). */
  public long expansionsComputed() {
    return cache.misses();
  }

  /**
   * The top {@code count} candidates for a user.
   *
   * @param recentItems the user's recent items, oldest first (as {@link UserSequence#items})
   * @param exclude items never returned (the user's own, unless configured otherwise); asked only
   *     about items whose score could still place them in the top {@code count}
   * @param seed the walks' seed (unused by {@link WalkSettings.Visits#EXPECTED}); derive it from
   *     the run's seed, the user and the event, so that a replay gives the same lists
   */
  public List<Candidate> candidates(
      String[] recentItems, Predicate<String> exclude, int count, long seed) {
    walk(recentItems, seed);
    return top(slot -> exclude.test(graph.idAt(slot)), slot -> -1, count);
  }

  /**
   * The same candidates as {@link #candidates(String[], Predicate, int, long)}, each with its index
   * in the caller's item index, which this keeps per graph slot between calls made with the same
   * {@code index}.
   *
   * @param index the caller's index of an item id, -1 for an id it does not know (asked again next
   *     time); once it gives an id an index, it must give the same one for as long as it is passed
   *     here (an append-only catalog does)
   * @param exclude by that index: items never returned
   */
  public List<Candidate> candidates(
      String[] recentItems,
      ToIntFunction<String> index,
      IntPredicate exclude,
      int count,
      long seed) {
    walk(recentItems, seed);
    if (index != indexedBy) {
      indexedBy = index;
      Arrays.fill(indexedIds, null);
    }
    return top(slot -> exclude.test(indexAt(slot)), this::indexAt, count);
  }

  /** Adds each start item's visits to {@code boost}, over {@code scored}. */
  private void walk(String[] recentItems, long seed) {
    ensureCapacity(graph.slotCapacity());
    int[] starts = new int[Math.max(1, recentItems.length)];
    double[] weights = new double[starts.length];
    int walkable = 0;
    for (int k = 0; k < recentItems.length; k++) {
      int slot = graph.slotOf(recentItems[recentItems.length - 1 - k]);
      if (slot >= 0 && graph.targetsAt(slot) != null) {
        starts[walkable] = slot;
        weights[walkable++] = Math.pow(2, -k / settings.recencyHalfLife());
      }
    }
    if (walkable == 0) {
      int none = graph.slotOf(CoInteractionGraph.NO_ITEM);
      if (none < 0 || graph.targetsAt(none) == null) {
        return;
      }
      starts[0] = none;
      weights[0] = 1;
      walkable = 1;
    }
    long[] budgets = budgets(Arrays.copyOf(weights, walkable), settings.steps());
    SplittableRandom random = new SplittableRandom(seed);
    for (int q = 0; q < walkable; q++) {
      if (budgets[q] == 0) {
        continue;
      }
      if (settings.visits() == WalkSettings.Visits.SAMPLED) {
        sample(starts[q], budgets[q], random);
      } else {
        expect(starts[q], budgets[q]);
      }
    }
  }

  /**
   * The caller's index of the item in {@code slot}, looked up once while the slot holds it; an item
   * the index does not know (-1) is asked again next time.
   */
  private int indexAt(int slot) {
    String id = graph.idAt(slot);
    if (id != null && indexedIds[slot] == id) { // a released slot (null) is never a hit
      return indices[slot];
    }
    int index = indexedBy.applyAsInt(id);
    if (index >= 0) {
      indices[slot] = index;
      indexedIds[slot] = id;
    }
    return index;
  }

  /**
   * Whether walks for these recent items start at {@link CoInteractionGraph#NO_ITEM}: none of them
   * has an out-edge (a new user, or only items no one followed yet).
   */
  public boolean startsFromNoItem(String[] recentItems) {
    for (String item : recentItems) {
      int slot = graph.slotOf(item);
      if (slot >= 0 && graph.targetsAt(slot) != null) {
        return false;
      }
    }
    return true;
  }

  /** Each start item's steps: round(steps * weight / total weight). */
  static long[] budgets(double[] weights, int steps) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    long[] budgets = new long[weights.length];
    for (int q = 0; q < weights.length; q++) {
      budgets[q] = Math.round(steps * weights[q] / total);
    }
    return budgets;
  }

  /** Sampled walks from {@code start} until {@code budget} visits; adds sqrt(visits) to boost. */
  private void sample(int start, long budget, SplittableRandom random) {
    double restart = settings.restartProbability();
    long steps = 0;
    long walks = 0;
    while (steps < budget) {
      walks++;
      int at = start;
      for (int hop = 0; hop < settings.maxWalkLength() && steps < budget; hop++) {
        at = step(at, random);
        counts[at]++;
        reach(at);
        steps++;
        if (graph.targetsAt(at) == null || random.nextDouble() < restart) {
          break;
        }
      }
    }
    // The start item: one visit per walk start (the walker is there before its first step).
    counts[start] += (int) walks;
    reach(start);
    for (int r = 0; r < reachedCount; r++) {
      int slot = reached[r];
      addBoost(slot, Math.sqrt(counts[slot]));
      counts[slot] = 0;
      isReached[slot] = false;
    }
    reachedCount = 0;
  }

  /**
   * A neighbor of {@code slot} drawn by edge weight: a scan from the strongest edge, which lists
   * keep first, so the scan usually stops early.
   */
  private int step(int slot, SplittableRandom random) {
    double[] weights = graph.weightsAt(slot);
    double u = random.nextDouble() * graph.totalWeightAt(slot);
    int last = weights.length - 1;
    int n = 0;
    while (n < last && (u -= weights[n]) >= 0) {
      n++;
    }
    return graph.targetsAt(slot)[n];
  }

  /** Adds the start item's share of the expected visits: sqrt(budget * visits / steps per walk). */
  private void expect(int start, long budget) {
    VisitCache.Visits visits = cache.valid(start, graph);
    if (visits == null) {
      visits = expectedVisits(start);
      cache.put(start, visits);
    }
    double root = Math.sqrt(budget);
    for (int v = 0; v < visits.slots().length; v++) {
      addBoost(visits.slots()[v], root * visits.rootShares()[v]);
    }
  }

  /**
   * The expected visits of {@link #sample}'s walks: after step k, the walk is at i with probability
   * (1 - restart)^(k-1) * (e_start P^k)_i, P the transition matrix by edge weight (rows of dead
   * ends zero); summed over k = 1..maxWalkLength, that is one walk's expected visits v_i, and one
   * walk takes H = sum_i v_i steps on average. A budget of B steps is B / H walks: B * v_i / H
   * visits of i, kept as sqrt(v_i / H) (times sqrt(B) when used), with the rows read on the way.
   */
  private VisitCache.Visits expectedVisits(int start) {
    double keep = 1 - settings.restartProbability();
    int size = 1;
    frontier[0] = start;
    mass[start] = 1;
    double stepsPerWalk = 0;
    int rowsRead = 0;
    long stampSum = 0;
    // Restart probability 1: every walk is one step (and no frontier keeps zero mass).
    int hops = keep == 0 ? 1 : settings.maxWalkLength();
    for (int hop = 1; hop <= hops && size > 0; hop++) {
      double carry = hop == 1 ? 1 : keep;
      int nextSize = 0;
      for (int f = 0; f < size; f++) {
        int from = frontier[f];
        if (rowsRead == rows.length) { // walks longer than two steps can read a row again
          rows = Arrays.copyOf(rows, Math.max(16, rowsRead * 2));
        }
        rows[rowsRead++] = from;
        stampSum += graph.rowStampAt(from);
        double m = mass[from];
        mass[from] = 0;
        int[] to = graph.targetsAt(from);
        if (to == null) {
          continue; // a dead end: the walk restarts
        }
        double[] w = graph.weightsAt(from);
        double share = m * carry / graph.totalWeightAt(from);
        for (int n = 0; n < to.length; n++) {
          int t = to[n];
          if (!onNextFrontier[t]) {
            onNextFrontier[t] = true;
            nextFrontier[nextSize++] = t;
          }
          nextMass[t] += share * w[n];
        }
      }
      double[] swapMass = mass;
      mass = nextMass;
      nextMass = swapMass;
      int[] swapFrontier = frontier;
      frontier = nextFrontier;
      nextFrontier = swapFrontier;
      size = nextSize;
      for (int f = 0; f < size; f++) {
        int slot = frontier[f];
        onNextFrontier[slot] = false;
        reach(slot);
        expected[slot] += mass[slot];
        stepsPerWalk += mass[slot];
      }
    }
    for (int f = 0; f < size; f++) {
      mass[frontier[f]] = 0;
    }
    // The start item: mass 1 at step 0 of each walk, a visit that takes no step.
    expected[start] += 1;
    reach(start);
    int[] slots = Arrays.copyOf(reached, reachedCount);
    double[] rootShares = new double[reachedCount];
    for (int r = 0; r < reachedCount; r++) {
      int slot = reached[r];
      rootShares[r] = Math.sqrt(expected[slot] / stepsPerWalk);
      expected[slot] = 0;
      isReached[slot] = false;
    }
    reachedCount = 0;
    return new VisitCache.Visits(slots, rootShares, Arrays.copyOf(rows, rowsRead), stampSum);
  }

  private void reach(int slot) {
    if (!isReached[slot]) {
      isReached[slot] = true;
      reached[reachedCount++] = slot;
    }
  }

  private void addBoost(int slot, double value) {
    if (!isScored[slot]) {
      isScored[slot] = true;
      scored[scoredCount++] = slot;
    }
    boost[slot] += value;
  }

  private List<Candidate> top(IntPredicate excluded, IntUnaryOperator index, int count) {
    int none = graph.slotOf(CoInteractionGraph.NO_ITEM);
    Comparator<Candidate> worstFirst =
        Comparator.comparingDouble(Candidate::score)
            .thenComparing(Candidate::item, Comparator.reverseOrder());
    PriorityQueue<Candidate> best = new PriorityQueue<>(worstFirst);
    double alpha = settings.popularityExponent();
    double floor = graph.settings().minWeight();
    for (int s = 0; s < scoredCount; s++) {
      int slot = scored[s];
      double b = boost[slot];
      boost[slot] = 0;
      isScored[slot] = false;
      if (slot == none || count == 0) {
        continue;
      }
      double score = b * b / popularity(Math.max(graph.weightedInDegree(slot), floor), alpha);
      String id = graph.idAt(slot);
      // Once the heap is full most items cannot enter it: test that first, and only then ask the
      // caller's predicate (map lookups in the job) and allocate. Same result: an item that
      // cannot enter is left out whether excluded or not.
      if (best.size() == count && !beatsWorst(score, id, best.peek())) {
        continue;
      }
      if (excluded.test(slot)) {
        continue;
      }
      if (best.size() == count) {
        best.poll();
      }
      best.add(new Candidate(id, score, index.applyAsInt(slot)));
    }
    scoredCount = 0;
    List<Candidate> result = new ArrayList<>(best);
    result.sort(worstFirst.reversed());
    return result;
  }

  /**
   * weightedInDegree^alpha; the exponents with a cheaper exact form (0, 0.25, 0.5, 1) take it:
   * Math.pow was a third of a cached query's time.
   */
  static double popularity(double weightedInDegree, double alpha) {
    if (alpha == 0) {
      return 1;
    } else if (alpha == 0.25) {
      return Math.sqrt(Math.sqrt(weightedInDegree));
    } else if (alpha == 0.5) {
      return Math.sqrt(weightedInDegree);
    } else if (alpha == 1) {
      return weightedInDegree;
    }
    return Math.pow(weightedInDegree, alpha);
  }

  /** Whether (score, id) goes after {@code worst} in the heap's worst-first order. */
  private static boolean beatsWorst(double score, String id, Candidate worst) {
    int byScore = Double.compare(score, worst.score());
    return byScore != 0 ? byScore > 0 : id.compareTo(worst.item()) < 0;
  }

  private void ensureCapacity(int slots) {
    if (counts.length >= slots) {
      return;
    }
    int n = Math.max(slots, counts.length * 2);
    counts = new int[n];
    expected = new double[n];
    reached = new int[n];
    isReached = new boolean[n];
    boost = new double[n];
    scored = new int[n];
    isScored = new boolean[n];
    mass = new double[n];
    nextMass = new double[n];
    frontier = new int[n];
    nextFrontier = new int[n];
    onNextFrontier = new boolean[n];
    rows = new int[n];
    indexedIds = Arrays.copyOf(indexedIds, n);
    indices = Arrays.copyOf(indices, n);
  }
}
