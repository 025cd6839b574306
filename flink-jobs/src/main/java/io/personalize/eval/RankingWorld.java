package io.personalize.eval;

import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.ItemPair;
import io.personalize.graph.RandomWalks;
import io.personalize.graph.UserSequence;
import io.personalize.model.Coordinator;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.FeatureSpace.ItemDescription;
import io.personalize.model.features.ItemCatalog;
import io.personalize.online.Ids;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.rank.ItemSimilarity;
import io.personalize.rank.NegativeSampler;
import io.personalize.rank.PopularityTracker;
import io.personalize.rank.RankingSteps;
import io.personalize.recommend.ItemHashes;
import io.personalize.recommend.ItemIndex;
import io.personalize.recommend.ListBuilder;
import io.personalize.recommend.ListRequest;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommendationDefaults;
import io.personalize.recommend.RecommendedList;
import io.personalize.recommend.SeenItems;
import io.personalize.util.IntHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The recommending half of the engine in one process, for the top-N protocols: what the job's
 * user-sequence, item-graph, global and per-user recommendation operators keep, made of the same
 * core pieces and stepped in the same order per event ({@link #learn}), with the freshest state
 * (the job's replicas trail by one checkpoint or graph delta).
 *
 * <p>Items are indexed in order of first appearance among the learned events, as the job's replicas
 * and negative sampler index them: an item no learned event names is unknown, and no list can hold
 * it. Per event of a kind of weight > 0 (the job's {@code UserSequenceFunction}, {@code
 * GlobalTrainerFunction} and {@code RecommendationFunction} in that order): the user's sequence
 * makes the graph's pairs, negatives are drawn excluding the positive and the user's seen items
 * (the sampler knows an item from its first event on, and counts the event after drawing), the
 * user's personal blocks learn the plan ({@link UserModels#learnPlan}, with the user's group before
 * the event), then the global model learns the same plan, then the seen items and recent popularity
 * take the event. Every event, whatever its kind, becomes the user's latest item.
 */
final class RankingWorld {
  final EventLog log;
  final TopNSettings settings;
  final ModelConfig hyper;
  final ItemCatalog catalog;
  final SharedParameters shared;
  final GlobalTrainer trainer;
  final UserModels models;
  final Model model;
  final NegativeSampler sampler;
  final RankingSteps steps;
  final PopularityTracker popularity;
  final CoInteractionGraph graph;
  final RandomWalks walks;
  final int groups;

  private final ItemCatalog described;
  private final int[] known;
  // One for every list builder: the walks keep its answers per graph slot.
  private final ItemIndex items = newItemIndex();
  private final java.util.Map<String, Integer> logIndex = new java.util.HashMap<>();
  private final PersonalParameters[] rows;
  final UserState[] states;
  final SeenItems[] seen;
  private final IntHashSet[] seenSets;
  private final ItemHashes hashes;
  private final UserSequence[] sequences;

  /** Events learned per user in the first pass: the groups' counts. */
  final long[] counts;

  GroupBoundaries boundaries;
  private long learned;
  private final int genreCount;

  @SuppressWarnings("unchecked")
  RankingWorld(RunContext context) {
    this.log = context.log;
    this.settings = context.config.topN();
    ModelConfig rating = context.hyper;
    // The job's ranking model; leave-last-out makes settings.epochs() passes.
    this.hyper = RecommendationDefaults.rankingModel(rating);
    this.groups = hyper.groups();
    int dimension = context.space.dimension();
    this.genreCount = context.space.genreCount();
    this.described = log.catalog(context.space);
    this.catalog = new ItemCatalog(context.space);
    this.hashes = new ItemHashes(catalog::id);
    this.model = hyper.model(dimension);
    this.shared =
        new SharedParameters(
            model.factors(), dimension, 0, hyper.initializer(), item -> Ids.hash(catalog.id(item)));
    this.trainer =
        new GlobalTrainer(
            model, shared, hyper.initializer(), hyper.globalSteps(), hyper.globalRegularization());
    this.models = new UserModels(hyper, dimension, 0, Set.of(), item -> Ids.hash(catalog.id(item)));
    this.sampler = new NegativeSampler(settings.sampling(), hyper.seed());
    this.steps = new RankingSteps(settings.signals(), settings.negatives(), sampler);
    this.popularity =
        PopularityTracker.decaying(
            settings.popularityTop(), settings.popularityHalfLifeMillis(), catalog::id);
    this.graph = new CoInteractionGraph(settings.graph());
    this.walks = new RandomWalks(graph, settings.walks());
    this.known = new int[log.items()];
    java.util.Arrays.fill(known, -1);
    for (int i = 0; i < log.items(); i++) {
      logIndex.put(log.itemIds.get(i), i);
    }
    int users = log.users();
    this.rows = new PersonalParameters[users];
    this.states = new UserState[users];
    this.seen = new SeenItems[users];
    this.seenSets = new IntHashSet[users];
    this.sequences = new UserSequence[users];
    this.counts = new long[users];
    this.boundaries = GroupBoundaries.initial(groups);
  }

  /** The known items, as the lists and the model index them. */
  ItemIndex items() {
    return items;
  }

  private ItemIndex newItemIndex() {
    return new ItemIndex() {
      @Override
      public int size() {
        return catalog.size();
      }

      @Override
      public String id(int item) {
        return catalog.id(item);
      }

      @Override
      public int indexOf(String id) {
        Integer logItem = logIndex.get(id);
        return logItem == null ? -1 : known[logItem];
      }
    };
  }

  /** The index of the log's item {@code logItem}, -1 while no learned event has named it. */
  int indexOf(int logItem) {
    return known[logItem];
  }

  /** The item becomes known: the catalog (with its metadata), the model and the sampler. */
  private int know(int logItem) {
    int item = known[logItem];
    if (item >= 0) {
      return item;
    }
    String id = log.itemIds.get(logItem);
    item = catalog.indexOf(id);
    ItemDescription description = described.description(logItem);
    if (description != null) {
      catalog.describe(id, description);
    }
    known[logItem] = item;
    shared.ensureItem(item);
    sampler.ensureItem(item);
    return item;
  }

  private void ensureUser(int u) {
    if (states[u] == null) {
      String id = log.userIds.get(u);
      long seed = Ids.hash(id);
      rows[u] = trainer.newUserRow(seed);
      states[u] = models.newUser(id, seed);
      seen[u] = new SeenItems();
      seenSets[u] = new IntHashSet();
      sequences[u] = new UserSequence();
    }
  }

  /**
   * The job's step for event {@code e} (see the class comment). In a later pass ({@code first}
   * false, leave-last-out's epochs) only the models learn, with negatives drawn anew from the
   * counts of the first pass and the user's group by the user's count in it.
   */
  void learn(int e, boolean first) {
    int u = log.user[e];
    ensureUser(u);
    UserState state = states[u];
    String itemId = log.itemIds.get(log.item[e]);
    long time = log.time[e];
    if (settings.signals().weight(log.kind[e]) > 0) {
      int item = know(log.item[e]);
      if (first) {
        for (ItemPair pair :
            sequences[u].remember(
                itemId, settings.signals().weight(log.kind[e]), time, settings.graph())) {
          graph.add(pair);
        }
        graph.expire(time);
      }
      IntHashSet userItems = seenSets[u];
      steps.plan(item, log.kind[e], i -> userItems.contains(hashes.of(i)));
      if (first) {
        sampler.add(item, 1);
      }
      int group = first ? boundaries.groupOf(state.events) : boundaries.groupOf(counts[u]);
      models.learnPlan(state, shared, steps, catalog::features, group);
      steps.learnGlobal(trainer, rows[u], catalog::features);
      if (!first) {
        state.events = counts[u];
        return;
      }
      catalog.addCount(item, 1);
      popularity.add(item, time);
      seen[u].remember(hashes.of(item), settings.seenItems());
      if (seenSets[u].add(hashes.of(item)) && seenSets[u].size() > seen[u].size()) {
        seen[u].into(seenSets[u]);
      }
      counts[u]++;
      if (++learned % hyper.regroupEvery() == 0) {
        boundaries = Coordinator.boundaries(boundaries.version() + 1, groups, counts);
      }
    }
    if (first) {
      state.lastEventTimeMillis = Math.max(state.lastEventTimeMillis, time);
      state.rememberItem(itemId, settings.recentItems());
    }
  }

  /**
   * The session protocol's test events: the event becomes the user's latest item and a seen item,
   * and nothing learns it (the models, the graph and popularity stay as the training part left
   * them).
   */
  void observe(int e) {
    int u = log.user[e];
    ensureUser(u);
    String itemId = log.itemIds.get(log.item[e]);
    seen[u].remember(itemId, settings.seenItems());
    seen[u].into(seenSets[u]);
    states[u].lastEventTimeMillis = Math.max(states[u].lastEventTimeMillis, log.time[e]);
    states[u].rememberItem(itemId, settings.recentItems());
  }

  /** The user has had an event learned or observed. */
  boolean knows(int u) {
    return states[u] != null;
  }

  /** Whether the user's seen items hold the known item {@code item}. */
  boolean hasSeen(int u, int item) {
    return seenSets[u] != null && seenSets[u].contains(hashes.of(item));
  }

  /**
   * The user's list by {@code builder}, as the job's {@code RecommendationFunction.recommend} makes
   * it: the user's chosen block, seen items left out (unless the settings keep them), popularity
   * read at {@code nowMillis}, walks seeded by the user and the user's event count.
   *
   * @param universe the only items the list may hold (sampled metrics), or null for the catalog
   */
  RecommendedList recommend(ListBuilder builder, int u, long nowMillis, int[] universe) {
    ensureUser(u);
    UserState state = states[u];
    PersonalParameters block = models.chosenBlock(state, boundaries.groupOf(state.events));
    IntHashSet seenIds = seenSets[u];
    IntPredicate seenItem = item -> seenIds.contains(hashes.of(item));
    return builder.build(
        new ListRequest(
            state.recentItems,
            seenItem,
            item -> model.score(shared, block, item, catalog.features(item)),
            popularity,
            nowMillis,
            ItemSimilarity.genresElseFactors(catalog::metadata, genreCount, shared),
            universe,
            Ids.hash(state.userId) ^ (hyper.seed() * 31 + state.events)));
  }

  ListBuilder builder(ListSettings list) {
    return new ListBuilder(list, list.kind().usesWalks() ? walks : null, items());
  }

  /**
   * Genre similarity of two known items (Jaccard of their genre sets), for intra-list diversity;
   * NaN for an item without genres.
   */
  ItemSimilarity genres() {
    return ItemSimilarity.genres(
        item -> {
          List<String> genres = log.genres(logIndex.get(catalog.id(item)));
          return genres == null ? null : new HashSet<>(genres);
        });
  }
}
