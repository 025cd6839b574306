package io.personalize.bench;

import io.personalize.graph.Candidate;
import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.GraphSettings;
import io.personalize.graph.ItemPair;
import io.personalize.graph.RandomWalks;
import io.personalize.graph.UserSequence;
import io.personalize.graph.WalkSettings;
import io.personalize.model.EventKind;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.Loss;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.ItemCatalog;
import io.personalize.online.Ids;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.rank.ItemSimilarity;
import io.personalize.rank.Mmr;
import io.personalize.rank.NegativeSampler;
import io.personalize.rank.PopularityTracker;
import io.personalize.rank.RankingSteps;
import io.personalize.rank.SignalWeights;
import io.personalize.recommend.ItemHashes;
import io.personalize.recommend.ItemIndex;
import io.personalize.recommend.ListBuilder;
import io.personalize.recommend.ListRequest;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommendationDefaults;
import io.personalize.recommend.RecommendedList;
import io.personalize.recommend.SeenItems;
import io.personalize.util.IntHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event cost of the recommending half (option {@code recommend.enabled}) at its defaults,
 * on an ml-100k-sized stream with sessions ({@link Ml100kLikeStream#withSessions}).
 *
 * <ul>
 *   <li>{@link #rankingLearn}: the per-user operator's ranking step, {@link RankingSteps#use} of
 *       the event's item and its 4 negatives, then {@link UserModels#learnPlan} (read the user's 4
 *       adaptive blocks, each learns the 5 examples, write them back); the ranking model is {@link
 *       RecommendationDefaults#rankingModel} of the default rating model (k = 32).
 *   <li>{@link #rankingGlobal}: the global operator's side of the same examples, {@link
 *       RankingSteps#learnGlobal}.
 *   <li>{@link #negatives}: what the user-sequence operator does per event for the ranking model:
 *       draw 4 negatives ({@link NegativeSampler}, mixed sampling) that are not among the user's
 *       seen items ({@link SeenItems}, up to 1,000), count the item, remember it as seen.
 *   <li>{@link #graphUpdate}: the item graph's update for one event, {@link UserSequence#remember}
 *       (the pairs the event makes) and {@link CoInteractionGraph#add} of each pair, then {@link
 *       CoInteractionGraph#expire} at the event's time; default {@link GraphSettings}.
 *   <li>{@link #buildList}: one list, {@link ListBuilder#build} with the default {@link
 *       ListSettings} (walks from the user's 20 recent items, the 200 best candidates ranked by the
 *       user's ranking model, MMR over the best 30, K = 10, seen items left out, popularity fill).
 *   <li>{@link #recommendList}: what the per-user operator does around it per list: the user's
 *       chosen block, the seen items as a set, then {@link #buildList}'s work.
 * </ul>
 *
 * <p>Setup replays the whole stream once through every structure (negatives drawn as the job draws
 * them, both halves of the ranking model learn, sequences, graph, popularity, seen and recent
 * items), so every call meets the steady state: a trained ranking model, a graph built from 100,000
 * events (items that made pairs, up to 50 neighbors each). The graph benchmark goes on from there,
 * its times moving forward by the stream's span on each cycle. The list benchmarks take the next
 * event's user with that user's state at the end of the replay.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecommendationStepBenchmark {
  private static final long SEED = 7;
  private static final int RECENT_ITEMS = 20;

  /** {@code walks.steps}: with the recency half-life, how many start items get a step at all. */
  @Param({"2000"})
  public int walkSteps;

  /**
   * Whether walks keep each start item's expansion between lists ({@link RandomWalks}' default).
   * The graph does not change between calls here, so with {@code true} every expansion after the
   * first is reused: the cost of a list between two graph changes in the job.
   */
  @Param({"true", "false"})
  public boolean expansionsKept;

  private ItemCatalog catalog;
  private IntFunction<FeatureVector> features;
  private SharedParameters shared;
  private GlobalTrainer global;
  private UserModels models;
  private RankingSteps steps;
  private NegativeSampler sampler;
  private GraphSettings graphSettings;
  private CoInteractionGraph graph;
  private PopularityTracker popularity;
  private ListBuilder builder;
  private RandomWalks walks;
  private Mmr mmr;
  private int mmrLength;
  private int walkCandidates;
  private int[][] mmrPool;
  private double[][] mmrRelevance;
  private ItemSimilarity similarity;
  private double pairWeight;

  private String[] userIds;
  private UserState[] states;
  private PersonalParameters[] globalRows;
  private SeenItems[] seen;
  private IntHashSet[] seenSets;
  private final IntHashSet seenScratch = new IntHashSet();
  private ItemHashes hashes;
  private PersonalParameters[] chosen;
  private UserSequence[] sequences;

  private int[] user;
  private int[] item;
  private int[] group;
  private long[] timeMillis;
  private int[][] negatives;
  private int[] drawn;
  private long span;
  private long cycle;
  private long nowMillis;
  private int next;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() {
    ModelConfig rating = ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true);
    ModelConfig ranking = RecommendationDefaults.rankingModel(rating);
    Ml100kLikeStream stream =
        Ml100kLikeStream.withSessions(SEED, rating.groups(), rating.regroupEvery());
    catalog = stream.catalog;
    hashes = new ItemHashes(catalog::id);
    features = catalog::features;
    int dimension = stream.space.dimension();
    Model model = ranking.model(dimension);
    shared =
        new SharedParameters(
            model.factors(), dimension, 0, ranking.initializer(), i -> Ids.hash(catalog.id(i)));
    shared.ensureItem(Ml100kLikeStream.ITEMS - 1);
    global =
        new GlobalTrainer(
            model,
            shared,
            ranking.initializer(),
            ranking.globalSteps(),
            ranking.globalRegularization());
    models = new UserModels(ranking, dimension, 0, Set.of(), i -> Ids.hash(catalog.id(i)));
    SignalWeights signals = SignalWeights.defaults();
    pairWeight = signals.weight(EventKind.RATING);
    steps = new RankingSteps(signals, RecommendationDefaults.NEGATIVES, null);
    sampler = new NegativeSampler(RecommendationDefaults.NEGATIVE_SAMPLING, SEED);
    sampler.ensureItem(Ml100kLikeStream.ITEMS - 1);
    graphSettings = GraphSettings.defaults();
    graph = new CoInteractionGraph(graphSettings);
    popularity =
        PopularityTracker.decaying(
            RecommendationDefaults.POPULARITY_TOP,
            RecommendationDefaults.POPULARITY_HALF_LIFE.toMillis(),
            catalog::id);

    int users = Ml100kLikeStream.USERS;
    userIds = new String[users];
    states = new UserState[users];
    globalRows = new PersonalParameters[users];
    seen = new SeenItems[users];
    sequences = new UserSequence[users];
    for (int u = 0; u < users; u++) {
      userIds[u] = "u" + u;
      states[u] = models.newUser(userIds[u], Ids.hash(userIds[u]));
      globalRows[u] = global.newUserRow(Ids.hash(userIds[u]));
      seen[u] = new SeenItems();
      sequences[u] = new UserSequence();
    }

    user = stream.user;
    item = stream.item;
    group = stream.group;
    timeMillis = stream.timeMillis;
    negatives = new int[user.length][];
    drawn = new int[RecommendationDefaults.NEGATIVES];
    int[] lastGroup = new int[users];
    long pairs = 0;
    // One pass through the stream, in the job's order per event.
    for (int e = 0; e < user.length; e++) {
      int u = user[e];
      int i = item[e];
      String id = catalog.id(i);
      negatives[e] = java.util.Arrays.copyOf(drawn, drawNegatives(u, i));
      sampler.add(i, 1);
      seen[u].remember(id, RecommendationDefaults.SEEN_ITEMS);
      steps.use(i, EventKind.RATING, negatives[e], negatives[e].length);
      models.learnPlan(states[u], shared, steps, features, group[e]);
      steps.learnGlobal(global, globalRows[u], features);
      states[u].rememberItem(id, RECENT_ITEMS);
      pairs += updateGraph(u, id, timeMillis[e]);
      popularity.add(i, timeMillis[e]);
      lastGroup[u] = group[e];
    }
    nowMillis = timeMillis[user.length - 1];
    span = nowMillis - timeMillis[0] + 24L * 3600 * 1000;

    ItemIndex items =
        new ItemIndex() {
          @Override
          public int size() {
            return catalog.size();
          }

          @Override
          public String id(int i) {
            return catalog.id(i);
          }

          @Override
          public int indexOf(String id) {
            return catalog.indexOf(id);
          }
        };
    ListSettings list = RecommendationDefaults.listSettings();
    WalkSettings walkSettings = WalkSettings.defaults().withSteps(walkSteps);
    walks =
        expansionsKept
            ? new RandomWalks(graph, walkSettings)
            : new RandomWalks(graph, walkSettings, 0);
    builder = new ListBuilder(list, walks, items);
    similarity = ItemSimilarity.featuresElseFactors(catalog::metadata, shared);
    mmr = new Mmr(list.mmrBeta());
    mmrLength = list.length();
    walkCandidates = list.candidates();
    seenSets = new IntHashSet[users];
    chosen = new PersonalParameters[users];
    mmrPool = new int[users][];
    mmrRelevance = new double[users][];
    Model scoring = models.model();
    for (int u = 0; u < users; u++) {
      seenSets[u] = seen[u].into(new IntHashSet());
      chosen[u] = models.chosenBlock(states[u], lastGroup[u]);
      // What the list builder hands MMR: the user's best-scored walk candidates, as many as the
      // pool.
      List<Candidate> found =
          walks.candidates(states[u].recentItems, id -> false, list.mmrPool(), u);
      mmrPool[u] = new int[found.size()];
      mmrRelevance[u] = new double[found.size()];
      for (int n = 0; n < found.size(); n++) {
        int i = catalog.indexOf(found.get(n).item());
        mmrPool[u][n] = i;
        mmrRelevance[u][n] = scoring.score(shared, chosen[u], i, catalog.features(i));
      }
    }
    System.err.printf(
        java.util.Locale.ROOT,
        "%nsetup: %,d events made %,d pairs (%.2f per event); graph: %,d items with out-edges,"
            + " %,d edges (%.1f per item)%n",
        user.length,
        pairs,
        (double) pairs / user.length,
        graph.size(),
        graph.edgeCount(),
        (double) graph.edgeCount() / graph.size());
    next = 0;
    cycle = 0;
  }

  private int drawNegatives(int u, int positive) {
    SeenItems user = seen[u];
    return sampler.sample(drawn, drawn.length, i -> i == positive || user.contains(hashes.of(i)));
  }

  private int updateGraph(int u, String id, long time) {
    List<ItemPair> pairs = sequences[u].remember(id, pairWeight, time, graphSettings);
    for (ItemPair pair : pairs) {
      graph.add(pair);
    }
    graph.expire(time);
    return pairs.size();
  }

  private int nextEvent() {
    int e = next;
    if (e + 1 == user.length) {
      next = 0;
      cycle++;
    } else {
      next = e + 1;
    }
    return e;
  }

  @Benchmark
  public double rankingLearn() {
    int e = nextEvent();
    steps.use(item[e], EventKind.RATING, negatives[e], negatives[e].length);
    return models.learnPlan(states[user[e]], shared, steps, features, group[e]);
  }

  @Benchmark
  public double rankingGlobal() {
    int e = nextEvent();
    steps.use(item[e], EventKind.RATING, negatives[e], negatives[e].length);
    return steps.learnGlobal(global, globalRows[user[e]], features);
  }

  @Benchmark
  public int negatives() {
    int e = nextEvent();
    int u = user[e];
    int i = item[e];
    int n = drawNegatives(u, i);
    sampler.add(i, 1);
    seen[u].remember(hashes.of(i), RecommendationDefaults.SEEN_ITEMS);
    return n;
  }

  @Benchmark
  public int graphUpdate() {
    int e = nextEvent();
    int u = user[e];
    return updateGraph(u, catalog.id(item[e]), timeMillis[e] + (cycle + 1) * span);
  }

  @Benchmark
  public RecommendedList buildList() {
    int u = user[nextEvent()];
    IntHashSet seenIds = seenSets[u];
    return builder.build(request(u, chosen[u], seenIds));
  }

  /** The walks alone: a list's candidates from the user's recent items (part of buildList). */
  @Benchmark
  public List<Candidate> walks() {
    int u = user[nextEvent()];
    IntHashSet seenIds = seenSets[u];
    return walks.candidates(
        states[u].recentItems,
        id -> seenIds.contains(SeenItems.hash(id)),
        walkCandidates,
        Ids.hash(userIds[u]) ^ cycle);
  }

  /** MMR alone: re-ranking the user's pool of scored candidates into a list (part of buildList). */
  @Benchmark
  public int[] mmrRerank() {
    int u = user[nextEvent()];
    return mmr.rerank(mmrPool[u], mmrRelevance[u], mmrLength, similarity);
  }

  @Benchmark
  public RecommendedList recommendList() {
    int e = nextEvent();
    int u = user[e];
    UserState state = states[u];
    PersonalParameters block = models.chosenBlock(state, group[e]);
    IntHashSet seenIds = seen[u].into(seenScratch);
    return builder.build(request(u, block, seenIds));
  }

  private ListRequest request(int u, PersonalParameters block, IntHashSet seenIds) {
    UserState state = states[u];
    Model model = models.model();
    return new ListRequest(
        state.recentItems,
        i -> seenIds.contains(hashes.of(i)),
        i -> model.score(shared, block, i, catalog.features(i)),
        popularity,
        nowMillis,
        similarity,
        null,
        Ids.hash(state.userId) ^ (SEED * 31 + state.events));
  }

  /** A model that diverged (NaN) or an empty graph would time a different computation: fail. */
  @TearDown(Level.Trial)
  public void check() {
    boolean finite = Double.isFinite(shared.mean);
    for (int i = 0; finite && i < shared.items(); i++) {
      finite = Double.isFinite(shared.itemBias(i));
    }
    if (!finite) {
      throw new IllegalStateException("the ranking model diverged during the benchmark");
    }
    if (graph.size() == 0) {
      throw new IllegalStateException("the item graph is empty");
    }
  }
}
