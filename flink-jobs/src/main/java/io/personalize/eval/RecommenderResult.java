package io.personalize.eval;

import java.util.List;
import java.util.Map;

/**
 * One recommender's top-N metrics in a top-N protocol: overall, by the keys summary.json uses
 * (hr@10, ndcg@10, hr@10-full, ndcg@10-full, coverage@10, ild@10, mrr@10, hr@20, mrr@20; only those
 * the protocol measures, NaN where nothing was measured), and per user group.
 *
 * @param metrics overall metrics by key, in report order
 * @param groups per user group (1 = least data), with the group's hit rate and MRR at the
 *     protocol's main cut-off
 */
public record RecommenderResult(
    String recommender, Map<String, Double> metrics, List<Group> groups) {

  /**
   * One user group's numbers.
   *
   * @param users users of the group that have at least one scored list
   * @param events lists scored for them (leave-last-out: one per user; prequential-topn: the events
   *     checked against a list; session: the predicted next items)
   * @param metrics hr@K and mrr@K at the protocol's main cut-off K
   */
  public record Group(int group, long users, long events, Map<String, Double> metrics) {}
}
