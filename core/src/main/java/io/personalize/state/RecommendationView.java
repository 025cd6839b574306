package io.personalize.state;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user's current list of recommendations, as queryable state and as what the job publishes (the
 * connectors turn it into the Avro {@code RecommendationList}). A Flink POJO with no Flink imports,
 * so a lookup client needs no Flink runtime to read it.
 */
public class RecommendationView {
  public String userId;

  /** Item ids, best first. */
  public String[] itemIds = new String[0];

  /** Their scores; comparable only between items of the same source. */
  public double[] scores = new double[0];

  /** Where each item came from: walks, new-users, model or popularity. */
  public String[] sources = new String[0];

  /** The recommender that made the list, e.g. walks+rank+mmr. */
  public String recommender;

  /** When the list was computed, epoch ms (processing time). */
  public long generatedAtMillis;

  /** Event time of the user's event after which the list was computed. */
  public long eventTimeMillis;

  /** The user's events learned when the list was computed. */
  public long userEvents;

  /** Version of the ranking model's shared block the scores were computed with. */
  public long modelVersion;

  /** Version of the item graph the walks ran on. */
  public long graphVersion;

  /**
   * True for the global fallback list (userId {@code ""}): what a user the engine does not know
   * gets, made for no user in particular.
   */
  public boolean fallback;

  public RecommendationView() {}

  public int size() {
    return itemIds.length;
  }

  /** 1-based position of {@code itemId} in the list, 0 when absent. */
  public int rankOf(String itemId) {
    for (int n = 0; n < itemIds.length; n++) {
      if (itemIds[n].equals(itemId)) {
        return n + 1;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecommendationView v
        && Objects.equals(userId, v.userId)
        && Arrays.equals(itemIds, v.itemIds)
        && Arrays.equals(scores, v.scores)
        && Arrays.equals(sources, v.sources)
        && Objects.equals(recommender, v.recommender)
        && generatedAtMillis == v.generatedAtMillis
        && eventTimeMillis == v.eventTimeMillis
        && userEvents == v.userEvents
        && modelVersion == v.modelVersion
        && graphVersion == v.graphVersion
        && fallback == v.fallback;
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, Arrays.hashCode(itemIds), generatedAtMillis, userEvents);
  }

  @Override
  public String toString() {
    return userId + " " + recommender + " " + Arrays.toString(itemIds);
  }
}
