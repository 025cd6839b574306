/**
 * The item co-interaction graph and the random-walk candidates built on it: plain Java, the same
 * code in the evaluator and the Flink job.
 *
 * <ul>
 *   <li>{@link io.personalize.graph.UserSequence} (a user's recent items) turns each interaction
 *       into directed {@link io.personalize.graph.ItemPair}s: a -> b when the user touched b after
 *       a within {@link io.personalize.graph.GraphSettings#windowMillis()}, and {@link
 *       io.personalize.graph.CoInteractionGraph#NO_ITEM} -> b for a user's first item.
 *   <li>{@link io.personalize.graph.ItemEdges} is one item's out-edges, decaying with a half-life
 *       and pruned to the strongest {@code maxNeighbors} above {@code minWeight}; {@link
 *       io.personalize.graph.ItemEdges#expiryMillis} says when it will be empty. It is the graph
 *       operator's keyed state.
 *   <li>{@link io.personalize.graph.CoInteractionGraph} holds every item's edges with what walks
 *       need (neighbor slots, total weights, in-degrees); the evaluator adds pairs to it directly.
 *   <li>{@link io.personalize.graph.GraphDeltaBuilder} closes changed lists into versioned {@link
 *       io.personalize.graph.GraphDelta}s; a {@link io.personalize.graph.GraphReplica} applies them
 *       after the watermark, as the model's replica applies gradient checkpoints.
 *   <li>{@link io.personalize.graph.RandomWalks} turns a user's recent items into scored {@link
 *       io.personalize.graph.Candidate}s ({@link io.personalize.graph.WalkSettings}): Pixie's walks
 *       with restart, sampled or in expectation, boosted for items reached from several start items
 *       and divided by popularity.
 * </ul>
 */
package io.personalize.graph;
