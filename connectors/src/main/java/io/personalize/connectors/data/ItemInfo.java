package io.personalize.connectors.data;

import java.util.List;
import java.util.Objects;

/**
 * Metadata of one item.
 *
 * @param itemId the item's id, the same string as {@link Interaction#itemId()}
 * @param title the title as the data set writes it (surrounding white space removed)
 * @param genres genre names as the data set names them; empty when none are listed
 * @param year release year, or {@code null} when unknown
 */
public record ItemInfo(String itemId, String title, List<String> genres, Integer year) {
  public ItemInfo {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(title, "title");
    genres = List.copyOf(genres);
  }
}
