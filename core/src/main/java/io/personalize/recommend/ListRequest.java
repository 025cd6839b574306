package io.personalize.recommend;

import io.personalize.rank.ItemSimilarity;
import io.personalize.rank.PopularityTracker;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;

/**
 * What one user's list is computed from.
 *
 * @param recentItems the user's recent items, oldest first: where the walks start
 * @param seen items the user interacted with, by index; left out unless the settings keep them
 * @param relevance the user's ranking model's score of an item (higher is more likely to be
 *     interacted with); unused by recommenders without a model
 * @param popularity recent popularity, the fallback and the tie-breaker
 * @param nowMillis the time popularity is read at
 * @param similarity the similarity MMR diversifies by; unused without MMR
 * @param universe the only items the list may hold (the evaluator's sampled items), or null for the
 *     whole catalog
 * @param seed the walks' seed: derived from the run's seed, the user and the event, so that a
 *     replay gives the same list
 */
public record ListRequest(
    String[] recentItems,
    IntPredicate seen,
    IntToDoubleFunction relevance,
    PopularityTracker popularity,
    long nowMillis,
    ItemSimilarity similarity,
    int[] universe,
    long seed) {}
