package io.personalize.serving.serve;

import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import java.util.List;

/**
 * One published list as the server holds it: the Avro record's content in arrays (a few hundred
 * bytes per user), and when it arrived.
 */
record ServedList(
    String userId,
    String[] itemIds,
    double[] scores,
    String[] sources,
    String recommender,
    long modelVersion,
    long graphVersion,
    long generatedAtMillis,
    long eventTimeMillis,
    long userEvents,
    long receivedAtMillis,
    boolean fallback) {

  static ServedList of(RecommendationList list, long receivedAtMillis) {
    List<ScoredItem> items = list.getItems();
    String[] ids = new String[items.size()];
    double[] scores = new double[items.size()];
    String[] sources = new String[items.size()];
    for (int n = 0; n < ids.length; n++) {
      ScoredItem item = items.get(n);
      ids[n] = item.getItemId();
      scores[n] = item.getScore();
      sources[n] = item.getSource();
    }
    return new ServedList(
        list.getUserId(),
        ids,
        scores,
        sources,
        list.getRecommender(),
        list.getModelVersion(),
        list.getGraphVersion(),
        list.getGeneratedAtMillis(),
        list.getEventTimeMillis(),
        list.getUserEvents(),
        receivedAtMillis,
        list.getFallback());
  }

  int size() {
    return itemIds.length;
  }
}
