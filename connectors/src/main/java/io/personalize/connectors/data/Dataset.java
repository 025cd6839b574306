package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of interaction events plus the metadata of the items, with the data set's own split into a
 * training and a test part when it comes with one.
 *
 * @param name the data set's name (for files: the name of the directory)
 * @param layout where it came from: {@code "u.data"}, {@code "ratings.dat"}, {@code "ratings.csv"},
 *     {@code "yoochoose"}, {@code "diginetica"} or {@code "generated"}
 * @param interactions the events in file order (callers sort as they need), the training part
 *     before the test part; unmodifiable
 * @param items item metadata by item id, in file order; empty when no item file was found;
 *     unmodifiable. It may list items that have no interaction.
 * @param scale the valid values of the data set, as its layout documents them (MovieLens u.data and
 *     ratings.dat: 1..5; ratings.csv: 0.5..5; generated: 1..5; click and view data: {@link
 *     #IMPLICIT}), not merely the smallest and largest value present. Every interaction's value
 *     lies within it.
 * @param testStart where the data set's own test part starts: {@code interactions} before this
 *     index are its training part, the rest its test part (yoochoose: the {@code _train_full} and
 *     the {@code _test} file). {@code interactions.size()} when it comes without a split.
 */
public record Dataset(
    String name,
    String layout,
    List<Interaction> interactions,
    Map<String, ItemInfo> items,
    RatingScale scale,
    int testStart) {
  /**
   * The scale of implicit data (clicks, views): the range of what a model of "will interact"
   * learns, 1 for an event that happened and 0 for a sampled item the user did not touch. Every
   * implicit event's value is 1.0.
   */
  public static final RatingScale IMPLICIT = new RatingScale(0, 1);

  /**
   * @throws IllegalArgumentException when a value lies outside {@code scale}, or {@code testStart}
   *     is not an index of {@code interactions} or its size
   */
  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(scale, "scale");
    interactions = List.copyOf(interactions);
    items = Collections.unmodifiableMap(new LinkedHashMap<>(items));
    if (testStart < 0 || testStart > interactions.size()) {
      throw new IllegalArgumentException(
          "the test part starts at " + testStart + ", outside 0.." + interactions.size());
    }
    for (Interaction interaction : interactions) {
      if (!scale.contains(interaction.value())) {
        throw new IllegalArgumentException(
            "value "
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

  /** A data set without a split of its own: every interaction is in the training part. */
  public Dataset(
      String name,
      String layout,
      List<Interaction> interactions,
      Map<String, ItemInfo> items,
      RatingScale scale) {
    this(name, layout, interactions, items, scale, interactions.size());
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

  /** The training part: every interaction when the data set has no split of its own. */
  public List<Interaction> trainingPart() {
    return interactions.subList(0, testStart);
  }

  /** The test part: empty when the data set has no split of its own. */
  public List<Interaction> testPart() {
    return interactions.subList(testStart, interactions.size());
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
        + (testStart < interactions.size() ? ", test part from " + testStart : "")
        + ", items="
        + items.size()
        + ", scale="
        + scale.min()
        + ".."
        + scale.max()
        + "]";
  }
}
