package io.personalize.job;

import io.personalize.avro.ItemMetadata;
import io.personalize.stream.FeatureSpace;
import io.personalize.stream.FeatureSpace.ItemDescription;

/** Item metadata (the wire format) to the static part of the item's features. */
final class ItemDescriptions {
  private ItemDescriptions() {}

  static ItemDescription of(FeatureSpace space, ItemMetadata item) {
    return space.describe(
        item.getGenres() == null ? java.util.List.of() : item.getGenres(),
        item.getYear(),
        item.getFeatures() == null ? java.util.Map.of() : item.getFeatures());
  }
}
