package io.personalize.connectors.data;

import java.util.Objects;

/**
 * One rating event.
 *
 * @param userId the user's id as written in the data set
 * @param itemId the item's id as written in the data set
 * @param value the rating (MovieLens: 1..5, or 0.5..5.0 in half stars for ml-latest)
 * @param timeMillis when the rating was given, in epoch milliseconds (MovieLens stores seconds)
 */
public record Interaction(String userId, String itemId, double value, long timeMillis) {
  public Interaction {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(itemId, "itemId");
  }
}
