package io.personalize.connectors.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of rating events plus the metadata of the items.
 *
 * @param name the data set's name (for MovieLens files: the name of the directory)
 * @param layout where it came from: {@code "u.data"}, {@code "ratings.dat"}, {@code "ratings.csv"}
 *     or {@code "generated"}
 * @param interactions the events in file order (callers sort as they need); unmodifiable
 * @param items item metadata by item id, in file order; empty when no item file was found;
 *     unmodifiable. It may list items that have no interaction.
 */
public record Dataset(
    String name, String layout, List<Interaction> interactions, Map<String, ItemInfo> items) {
  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(layout, "layout");
    interactions = List.copyOf(interactions);
    items = Collections.unmodifiableMap(new LinkedHashMap<>(items));
  }

  @Override
  public String toString() {
    return "Dataset[name="
        + name
        + ", layout="
        + layout
        + ", interactions="
        + interactions.size()
        + ", items="
        + items.size()
        + "]";
  }
}
