package io.personalize.rank;

import io.personalize.model.EventKind;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much one event of each kind counts as a positive of the "will interact" model: an event of
 * weight w is learned as w events would be (see {@code GlobalTrainer.learn} with a weight). Every
 * event kind is an interaction, a rating too, whatever its value; a purchase says more than a view.
 * A weight of 0 leaves the kind out of the ranking model.
 *
 * @param weights a finite weight >= 0 for every {@link EventKind}
 */
public record SignalWeights(Map<EventKind, Double> weights) implements java.io.Serializable {
  public SignalWeights {
    Map<EventKind, Double> copy = new EnumMap<>(EventKind.class);
    for (EventKind kind : EventKind.values()) {
      Double weight = weights.get(kind);
      if (weight == null || !(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "weight of " + kind + " must be finite and >= 0, was " + weight);
      }
      copy.put(kind, weight);
    }
    weights = copy;
  }

  /** RATING 1, CLICK 1, VIEW 0.5, PURCHASE 2. */
  public static SignalWeights defaults() {
    return new SignalWeights(
        Map.of(
            EventKind.RATING,
            1.0,
            EventKind.CLICK,
            1.0,
            EventKind.VIEW,
            0.5,
            EventKind.PURCHASE,
            2.0));
  }

  /**
   * The defaults with the kinds of {@code overrides} changed: "VIEW=0.3,PURCHASE=3" (any case,
   * spaces allowed); an empty string gives the defaults. A kind that does not exist is an error, so
   * a misspelt setting cannot go unnoticed.
   */
  public static SignalWeights parse(String overrides) {
    Map<EventKind, Double> weights = new EnumMap<>(defaults().weights());
    for (String part : overrides.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kindAndWeight = part.split("=", -1);
      EventKind kind;
      double weight;
      try {
        if (kindAndWeight.length != 2 || kindAndWeight[0].isBlank()) {
          throw new NumberFormatException();
        }
        weight = Double.parseDouble(kindAndWeight[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "signal weight '" + part.trim() + "' is not KIND=WEIGHT, e.g. VIEW=0.5");
      }
      try {
        kind = EventKind.valueOf(kindAndWeight[0].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "signal weight '"
                + part.trim()
                + "' names no event kind; kinds are "
                + Arrays.toString(EventKind.values()));
      }
      weights.put(kind, weight);
    }
    return new SignalWeights(weights);
  }

  /** The weight of an event of this kind. */
  public double weight(EventKind kind) {
    return weights.get(kind);
  }

  /** The form {@link #parse} reads, e.g. "RATING=1.0,CLICK=1.0,VIEW=0.5,PURCHASE=2.0". */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    weights.forEach(
        (kind, weight) ->
            text.append(text.length() == 0 ? "" : ",").append(kind).append('=').append(weight));
    return text.toString();
  }
}
