package io.personalize.eval;

import io.personalize.metrics.CatalogCoverage;
import io.personalize.metrics.IntraListDiversity;
import io.personalize.metrics.TopNAccumulator;
import io.personalize.model.Coordinator;
import io.personalize.model.GroupBoundaries;
import io.personalize.online.Ids;
import io.personalize.rank.ItemSimilarity;
import io.personalize.recommend.ListBuilder;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommendedList;
import io.personalize.recommend.RecommenderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The top-N protocols: one {@link RankingWorld} (the ranking model, the item graph, recent
 * popularity, every user's seen and recent items) learns the events, and every recommender of
 * {@link TopNSettings#recommenders} makes lists from it with its own {@link ListBuilder}, side by
 * side. docs/recommendations.md ("Evaluation") describes each protocol.
 */
final class TopNRun {
  /** K of leave-last-out and prequential-topn. */
  static final int K = 10;

  /** K of the session protocol (the session-rec framework's recall@20 and MRR@20). */
  static final int SESSION_K = 20;

  private final RunContext context;
  private final EventLog log;
  private final TopNSettings settings;

  TopNRun(RunContext context) {
    this.context = context;
    this.log = context.log;
    this.settings = context.config.topN();
  }

  List<RecommenderResult> run() {
    return switch (context.config.protocol()) {
      case LEAVE_LAST_OUT -> leaveLastOut();
      case PREQUENTIAL_TOPN -> prequential();
      case SESSION -> session();
      default -> throw new IllegalArgumentException(context.config.protocol() + " is not top-N");
    };
  }

  // ---------------------------------------------------------------- leave-last-out

  private List<RecommenderResult> leaveLastOut() {
    int users = log.users();
    int[] last = new int[users];
    int[] events = new int[users];
    Arrays.fill(last, -1);
    for (int e = 0; e < log.events(); e++) {
      last[log.user[e]] = e;
      events[log.user[e]]++;
    }
    boolean[] heldOut = new boolean[log.events()];
    for (int u = 0; u < users; u++) {
      if (events[u] >= 2) {
        heldOut[last[u]] = true;
      }
    }
    RankingWorld world = new RankingWorld(context);
    int epochs = settings.epochs();
    int n = log.events();
    context.progress.task("leave-last-out: " + epochs + " epoch(s)");
    for (int epoch = 0; epoch < epochs; epoch++) {
      if (epoch == 1) {
        // Later epochs learn with the groups of the users' training counts.
        world.boundaries = Coordinator.boundaries(0, world.groups, world.counts);
      }
      for (int e = 0; e < n; e++) {
        if (!heldOut[e]) {
          world.learn(e, epoch == 0);
        }
      }
      context.progress.update(epoch + 1, epochs);
    }
    context.progress.finishLine();
    GroupBoundaries groups = Coordinator.boundaries(0, world.groups, world.counts);
    world.boundaries = groups;

    List<RecommenderKind> kinds = settings.recommenders();
    List<ListBuilder> builders = new ArrayList<>();
    List<Scores> scores = new ArrayList<>();
    for (RecommenderKind kind : kinds) {
      builders.add(world.builder(settings.listOf(kind, K)));
      scores.add(new Scores(kind, K, world.groups));
    }
    ItemSimilarity genres = world.genres();
    context.progress.task("leave-last-out: lists");
    for (int u = 0; u < users; u++) {
      if (events[u] < 2) {
        continue;
      }
      int e = last[u];
      int item = world.indexOf(log.item[e]);
      int group = groups.groupOf(world.counts[u]);
      long now = log.time[e];
      int uu = u;
      int[] universe =
          item < 0
              ? null
              : sampledUniverse(
                  item,
                  world.catalog.size(),
                  i -> world.hasSeen(uu, i),
                  settings.sampledItems(),
                  context.hyper.seed() ^ Ids.hash(log.userIds.get(u)));
      for (int r = 0; r < kinds.size(); r++) {
        Scores s = scores.get(r);
        RecommendedList full = world.recommend(builders.get(r), u, now, null);
        s.full.add(group, item < 0 ? 0 : full.rankOf(item));
        s.coverage.add(full.items(), full.size());
        s.diversity.add(full.items(), full.size(), genres);
        int sampledRank =
            universe == null ? 0 : world.recommend(builders.get(r), u, now, universe).rankOf(item);
        s.main.add(group, sampledRank);
        s.count(u, group);
      }
      context.progress.update(u + 1, users);
    }
    context.progress.finishLine();
    List<RecommenderResult> results = new ArrayList<>();
    for (Scores s : scores) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("hr@10", s.main.hitRate(0));
      m.put("ndcg@10", s.main.ndcg(0));
      m.put("hr@10-full", s.full.hitRate(0));
      m.put("ndcg@10-full", s.full.ndcg(0));
      m.put("coverage@10", s.coverage.coverage(world.catalog.size()));
      m.put("ild@10", s.diversity.mean());
      m.put("mrr@10", s.main.mrr(0));
      results.add(s.result(m));
    }
    return results;
  }

  /**
   * The sampled items of leave-last-out: {@code target} first, then up to {@code n} distinct items
   * drawn uniformly from 0..known-1 with a generator seeded by {@code seed}, none excluded nor the
   * target. Fewer than {@code n} only when fewer items are allowed.
   */
  static int[] sampledUniverse(int target, int known, IntPredicate excluded, int n, long seed) {
    int allowed = 0;
    for (int i = 0; i < known; i++) {
      if (i != target && !excluded.test(i)) {
        allowed++;
      }
    }
    int size = Math.min(n, allowed);
    int[] universe = new int[1 + size];
    universe[0] = target;
    boolean[] taken = new boolean[known];
    taken[target] = true;
    SplittableRandom random = new SplittableRandom(seed);
    int drawn = 0;
    while (drawn < size) {
      int i = random.nextInt(known);
      if (!taken[i] && !excluded.test(i)) {
        taken[i] = true;
        universe[1 + drawn++] = i;
      }
    }
    return universe;
  }

  // ---------------------------------------------------------------- prequential-topn

  private List<RecommenderResult> prequential() {
    RankingWorld world = new RankingWorld(context);
    List<RecommenderKind> kinds = settings.recommenders();
    int n = log.events();
    int users = log.users();
    List<ListBuilder> builders = new ArrayList<>();
    for (RecommenderKind kind : kinds) {
      builders.add(world.builder(settings.listOf(kind, K)));
    }
    int[][][] lists = new int[kinds.size()][users][];
    long[][] listTimes = new long[kinds.size()][users];
    // ranks[r][e]: the event's rank in recommender r's list, -1 when the user had none.
    int[][] ranks = new int[kinds.size()][n];
    context.progress.task("prequential-topn pass");
    for (int e = 0; e < n; e++) {
      int u = log.user[e];
      long time = log.time[e];
      int item = world.indexOf(log.item[e]);
      for (int r = 0; r < kinds.size(); r++) {
        int[] current = lists[r][u];
        ranks[r][e] =
            current == null
                ? -1
                : item < 0 ? 0 : TopNAccumulator.rankOf(current, current.length, item);
      }
      world.learn(e, true);
      for (int r = 0; r < kinds.size(); r++) {
        if (lists[r][u] == null || time - listTimes[r][u] >= settings.intervalMillis()) {
          lists[r][u] = world.recommend(builders.get(r), u, time, null).items();
          listTimes[r][u] = time;
        }
      }
      context.progress.update(e + 1, n);
    }
    context.progress.finishLine();
    // Reported groups: the users' final counts, as in the rating protocols.
    long[] counts = new long[users];
    for (int e = 0; e < n; e++) {
      counts[log.user[e]]++;
    }
    GroupBoundaries groups = Coordinator.boundaries(0, world.groups, counts);
    List<RecommenderResult> results = new ArrayList<>();
    for (int r = 0; r < kinds.size(); r++) {
      Scores s = new Scores(kinds.get(r), K, world.groups);
      for (int e = 0; e < n; e++) {
        if (ranks[r][e] >= 0) {
          int u = log.user[e];
          int group = groups.groupOf(counts[u]);
          s.main.add(group, ranks[r][e]);
          s.count(u, group);
        }
      }
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("hr@10", s.main.hitRate(0));
      m.put("mrr@10", s.main.mrr(0));
      results.add(s.result(m));
    }
    return results;
  }

  // ---------------------------------------------------------------- session

  private List<RecommenderResult> session() {
    if (!log.hasTestPart()) {
      throw new IllegalArgumentException(
          "the session protocol needs a data set with a test part of its own (yoochoose), or"
              + " one the evaluate command splits by its last days (DIGINETICA); '"
              + log.name
              + "' has none");
    }
    RankingWorld world = new RankingWorld(context);
    int n = log.events();
    context.progress.task("session: training part");
    for (int e = 0; e < n; e++) {
      if (!log.inTestPart[e]) {
        world.learn(e, true);
      }
      context.progress.update(e + 1, n);
    }
    context.progress.finishLine();
    // Test sessions, each in time order.
    int users = log.users();
    long[] length = new long[users];
    List<int[]> sessions = new ArrayList<>();
    Map<Integer, List<Integer>> bySession = new LinkedHashMap<>();
    for (int e = 0; e < n; e++) {
      if (log.inTestPart[e]) {
        bySession.computeIfAbsent(log.user[e], s -> new ArrayList<>()).add(e);
        length[log.user[e]]++;
      }
    }
    bySession.values().forEach(l -> sessions.add(l.stream().mapToInt(Integer::intValue).toArray()));
    GroupBoundaries groups = Coordinator.boundaries(0, world.groups, length);

    List<RecommenderKind> kinds = settings.recommenders();
    List<ListBuilder> builders = new ArrayList<>();
    List<Scores> scores = new ArrayList<>();
    for (RecommenderKind kind : kinds) {
      // A session's own items stay candidates: sessions revisit items (see the docs).
      ListSettings list = settings.listOf(kind, SESSION_K);
      list =
          new ListSettings(
              list.kind(),
              list.length(),
              Math.max(list.candidates(), SESSION_K),
              list.mmrBeta(),
              Math.max(list.mmrPool(), SESSION_K),
              false);
      builders.add(world.builder(list));
      scores.add(new Scores(kind, SESSION_K, world.groups));
    }
    context.progress.task("session: test sessions");
    int done = 0;
    for (int[] session : sessions) {
      int u = log.user[session[0]];
      int group = groups.groupOf(length[u]);
      for (int j = 0; j + 1 < session.length; j++) {
        world.observe(session[j]);
        int next = world.indexOf(log.item[session[j + 1]]);
        long now = log.time[session[j]];
        for (int r = 0; r < kinds.size(); r++) {
          RecommendedList list = world.recommend(builders.get(r), u, now, null);
          scores.get(r).main.add(group, next < 0 ? 0 : list.rankOf(next));
          scores.get(r).count(u, group);
        }
      }
      context.progress.update(++done, sessions.size());
    }
    context.progress.finishLine();
    List<RecommenderResult> results = new ArrayList<>();
    for (Scores s : scores) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("hr@20", s.main.hitRate(0));
      m.put("mrr@20", s.main.mrr(0));
      results.add(s.result(m));
    }
    return results;
  }

  /** One recommender's accumulators. */
  private static final class Scores {
    final RecommenderKind kind;
    final int k;
    final TopNAccumulator main;
    final TopNAccumulator full;
    final CatalogCoverage coverage = new CatalogCoverage();
    final IntraListDiversity diversity = new IntraListDiversity();
    final java.util.Set<Integer> users = new java.util.HashSet<>();
    final long[] groupUsers;

    Scores(RecommenderKind kind, int k, int groups) {
      this.kind = kind;
      this.k = k;
      this.main = new TopNAccumulator(k, groups);
      this.full = new TopNAccumulator(k, groups);
      this.groupUsers = new long[groups + 1];
    }

    void count(int user, int group) {
      if (users.add(user)) {
        groupUsers[group]++;
      }
    }

    RecommenderResult result(Map<String, Double> overall) {
      List<RecommenderResult.Group> groups = new ArrayList<>();
      for (int g = 1; g <= main.groups(); g++) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@" + k, main.hitRate(g));
        m.put("mrr@" + k, main.mrr(g));
        groups.add(new RecommenderResult.Group(g, groupUsers[g], main.lists(g), m));
      }
      return new RecommenderResult(kind.label(), overall, groups);
    }
  }
}
