package io.personalize.recommend;

import io.personalize.graph.Candidate;
import io.personalize.graph.RandomWalks;
import io.personalize.rank.Mmr;
import io.personalize.rank.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Makes one user's list of recommendations, the same way in the evaluator and in the job's per-user
 * operator: candidates (random walks, or the whole catalog), ranking by the user's model, Maximal
 * Marginal Relevance, then recent popularity to fill the list.
 *
 * <ul>
 *   <li>{@link RecommenderKind#POPULARITY}: the fill alone.
 *   <li>{@link RecommenderKind#WALKS}: the walks' best candidates by walk score.
 *   <li>{@link RecommenderKind#PERSONAL}: every item of the catalog (or the universe) by relevance.
 *   <li>{@link RecommenderKind#WALKS_RANK}: the walks' best {@code candidates} by relevance.
 *   <li>{@link RecommenderKind#WALKS_RANK_MMR}: the best {@code mmrPool} of those, re-ranked by
 *       MMR.
 * </ul>
 *
 * <p>With a universe (the evaluator's sampled items), candidates are the walks' best among the
 * universe: the two stages rank the sampled items as they would rank the catalog. Ties break by
 * popularity, then by id. One instance per thread: it reuses its buffers.
 */
public final class ListBuilder {
  private final ListSettings settings;
  private final RandomWalks walks;
  private final ItemIndex items;
  private final Mmr mmr;
  private final TopK top;
  private final TopK pool;

  /**
   * @param walks the walks over the item graph; may be null for a recommender that uses none
   * @param items the item ids and indices the model, the popularity and the graph share (builders
   *     that share one walks instance should share one of these too: the walks keep its answers)
   */
  public ListBuilder(ListSettings settings, RandomWalks walks, ItemIndex items) {
    if (settings.kind().usesWalks() && walks == null) {
      throw new IllegalArgumentException(settings.kind() + " needs random walks");
    }
    this.settings = settings;
    this.walks = walks;
    this.items = items;
    this.mmr = new Mmr(settings.mmrBeta());
    this.top = new TopK(settings.length(), items::id);
    this.pool = new TopK(settings.mmrPool(), items::id);
  }

  public ListSettings settings() {
    return settings;
  }

  public RecommendedList build(ListRequest request) {
    IntPredicate excluded = settings.excludeSeen() ? request.seen() : item -> false;
    BitSet universe = null;
    if (request.universe() != null) {
      universe = new BitSet();
      for (int item : request.universe()) {
        universe.set(item);
      }
    }
    Picks picks = new Picks(settings.length());
    switch (settings.kind()) {
      case POPULARITY -> {}
      case PERSONAL -> rankAll(request, excluded, universe, picks);
      case WALKS, WALKS_RANK, WALKS_RANK_MMR -> rankCandidates(request, excluded, universe, picks);
    }
    fill(request, excluded, universe, picks);
    return picks.toList();
  }

  /** Every allowed item by relevance. */
  private void rankAll(ListRequest request, IntPredicate excluded, BitSet universe, Picks picks) {
    if (universe != null) {
      for (int item = universe.nextSetBit(0); item >= 0; item = universe.nextSetBit(item + 1)) {
        if (!excluded.test(item)) {
          offer(top, request, item, request.relevance().applyAsDouble(item));
        }
      }
    } else {
      for (int item = 0; item < items.size(); item++) {
        if (!excluded.test(item)) {
          offer(top, request, item, request.relevance().applyAsDouble(item));
        }
      }
    }
    picks.drain(top, ItemSource.MODEL);
  }

  private void rankCandidates(
      ListRequest request, IntPredicate excluded, BitSet universe, Picks picks) {
    int wanted =
        settings.kind() == RecommenderKind.WALKS ? settings.length() : settings.candidates();
    List<Candidate> found =
        walks.candidates(
            request.recentItems(),
            items,
            item -> item < 0 || excluded.test(item) || (universe != null && !universe.get(item)),
            wanted,
            request.seed());
    ItemSource source =
        walks.startsFromNoItem(request.recentItems()) ? ItemSource.NEW_USERS : ItemSource.WALKS;
    if (settings.kind() == RecommenderKind.WALKS) {
      for (Candidate c : found) {
        picks.add(c.index(), c.score(), source);
      }
      return;
    }
    boolean diversify = settings.kind() == RecommenderKind.WALKS_RANK_MMR;
    TopK ranked = diversify ? pool : top;
    for (Candidate c : found) {
      offer(ranked, request, c.index(), request.relevance().applyAsDouble(c.index()));
    }
    if (!diversify) {
      picks.drain(ranked, source);
      return;
    }
    int[] order = new int[ranked.size()];
    double[] relevance = new double[order.length];
    int n = ranked.drain(order, relevance);
    int[] chosen = mmr.rerank(order, relevance, settings.length(), request.similarity());
    for (int item : chosen) {
      picks.add(item, relevance[indexIn(order, n, item)], source);
    }
  }

  private static void offer(TopK into, ListRequest request, int item, double score) {
    into.offer(item, score, request.popularity().popularity(item, request.nowMillis()));
  }

  /** Recent popularity fills what is left of the list. */
  private void fill(ListRequest request, IntPredicate excluded, BitSet universe, Picks picks) {
    if (picks.full()) {
      return;
    }
    if (universe != null) {
      List<Integer> rest = new ArrayList<>();
      for (int item = universe.nextSetBit(0); item >= 0; item = universe.nextSetBit(item + 1)) {
        if (!excluded.test(item) && !picks.contains(item)) {
          rest.add(item);
        }
      }
      rest.sort(
          Comparator.comparingDouble(
                  (Integer item) -> -request.popularity().popularity(item, request.nowMillis()))
              .thenComparing(items::id));
      for (int n = 0; n < rest.size() && !picks.full(); n++) {
        int item = rest.get(n);
        picks.add(
            item,
            request.popularity().popularity(item, request.nowMillis()),
            ItemSource.POPULARITY);
      }
      return;
    }
    for (int position = 0; position < request.popularity().topSize() && !picks.full(); position++) {
      int item = request.popularity().top(position);
      if (!excluded.test(item) && !picks.contains(item)) {
        picks.add(
            item,
            request.popularity().popularity(item, request.nowMillis()),
            ItemSource.POPULARITY);
      }
    }
  }

  private static int indexIn(int[] order, int n, int item) {
    for (int i = 0; i < n; i++) {
      if (order[i] == item) {
        return i;
      }
    }
    throw new IllegalStateException("MMR picked item " + item + " that was not offered");
  }

  /** The list as it is being picked. */
  private static final class Picks {
    private final int[] items;
    private final double[] scores;
    private final ItemSource[] sources;
    private int size;

    Picks(int length) {
      items = new int[length];
      scores = new double[length];
      sources = new ItemSource[length];
    }

    boolean full() {
      return size == items.length;
    }

    boolean contains(int item) {
      for (int n = 0; n < size; n++) {
        if (items[n] == item) {
          return true;
        }
      }
      return false;
    }

    void add(int item, double score, ItemSource source) {
      if (!full()) {
        items[size] = item;
        scores[size] = score;
        sources[size++] = source;
      }
    }

    void drain(TopK top, ItemSource source) {
      int[] order = new int[top.size()];
      double[] values = new double[order.length];
      int n = top.drain(order, values);
      for (int i = 0; i < n; i++) {
        add(order[i], values[i], source);
      }
    }

    RecommendedList toList() {
      return new RecommendedList(
          Arrays.copyOf(items, size), Arrays.copyOf(scores, size), Arrays.copyOf(sources, size));
    }
  }
}
