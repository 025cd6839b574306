package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
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
 * @param scale the valid ratings of the data set, as its layout documents them (MovieLens u.data
 *     and ratings.dat: 1..5; ratings.csv: 0.5..5; generated: 1..5), not merely the smallest and
 *     largest rating present. Every interaction's value lies within it.
 */
public record Dataset(
    String name,
    String layout,
    List<Interaction> interactions,
    Map<String, ItemInfo> items,
    RatingScale scale) {
  /**
   * @throws IllegalArgumentException when a value lies outside {@code scale}
   */
  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(scale, "scale");
    interactions = List.copyOf(interactions);
    items = Collections.unmodifiableMap(new LinkedHashMap<>(items));
    for (Interaction interaction : interactions) {
      if (!scale.contains(interaction.value())) {
        throw new IllegalArgumentException(
            "rating "
                + interaction.value()
                + " of "
                + interaction
                + " is outside the scale "
                + scale.min()
                + ".."
                + scale.max());
      }
    }
  }

  /**
   * A data set whose scale is the range of its values, from the smallest to the largest (1..5, the
   * MovieLens scale, when there are none): for hand-made data in tests and tools. Data sets read
   * from files or generated have their documented scale instead.
   */
  public Dataset(
      String name, String layout, List<Interaction> interactions, Map<String, ItemInfo> items) {
    this(name, layout, interactions, items, rangeOf(interactions));
  }

  private static RatingScale rangeOf(List<Interaction> interactions) {
    if (interactions.isEmpty()) {
      return new RatingScale(1, 5);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Interaction interaction : interactions) {
      min = Math.min(min, interaction.value());
      max = Math.max(max, interaction.value());
    }
    return new RatingScale(min, max); // rejects NaN and infinite values
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
        + ", scale="
        + scale.min()
        + ".."
        + scale.max()
        + "]";
  }
}
