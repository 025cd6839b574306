package io.personalize.serving.serve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON objects the server answers with, as maps in the order a person reads them. */
final class Answers {
  private Answers() {}

  static final String FALLBACK_REASON =
      "no list for this user (unknown to the engine, or forgotten after users.idle-expiry):"
          + " the global fallback";

  /** A user's list, or the fallback for a user without one (then {@code fallback} is true). */
  static Map<String, Object> recommendations(
      String userId, ServedList list, int k, ItemCatalog catalog, long nowMillis) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("user", userId);
    answer.put("fallback", list.fallback());
    if (list.fallback()) {
      answer.put("reason", FALLBACK_REASON);
    }
    answer.put("recommender", list.recommender());
    int n = Math.min(k, list.size());
    List<Map<String, Object>> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("item", list.itemIds()[i]);
      ItemCatalog.Item about = catalog.item(list.itemIds()[i]);
      item.put("title", about == null ? null : about.title());
      item.put("genres", about == null ? List.of() : about.genres());
      item.put("score", list.scores()[i]);
      item.put("source", list.sources()[i]);
      items.add(item);
    }
    answer.put("items", items);
    answer.put("modelVersion", list.modelVersion());
    answer.put("graphVersion", list.graphVersion());
    answer.put("generatedAt", Instant.ofEpochMilli(list.generatedAtMillis()).toString());
    answer.put("ageMillis", Math.max(0, nowMillis - list.generatedAtMillis()));
    if (!list.fallback()) {
      answer.put("userEvents", list.userEvents());
      answer.put("afterEventAt", Instant.ofEpochMilli(list.eventTimeMillis()).toString());
    }
    return answer;
  }

  /** A 4xx or 5xx answer: what was wrong, in one sentence. */
  static Map<String, Object> error(int status, String reason) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", status);
    answer.put("error", reason);
    return answer;
  }
}
