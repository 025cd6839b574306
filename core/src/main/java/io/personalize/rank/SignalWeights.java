package io.personalize.rank;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much one event of each type counts as a positive of the "will interact" model: an event of
 * weight w is learned as w events would be (see {@code GlobalTrainer.learn} with a weight). Every
 * event type is an interaction, a rating too, whatever its value; a purchase says more than a view.
 * A weight of 0 leaves the type out of the ranking model.
 *
 * <p>Names are the event types of the input (RATING, CLICK, VIEW, PURCHASE), in any case. A type
 * without a weight is an error rather than a silent default, so a misspelt setting cannot make a
 * type count as 1.
 *
 * @param weights event type (upper case) to weight, finite and >= 0
 */
public record SignalWeights(Map<String, Double> weights) implements java.io.Serializable {
  public SignalWeights {
    Map<String, Double> normalized = new TreeMap<>();
    weights.forEach(
        (type, weight) -> {
          if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                "weight of " + type + " must be finite and >= 0, was " + weight);
          }
          normalized.put(type.trim().toUpperCase(Locale.ROOT), weight);
        });
    weights = Collections.unmodifiableMap(normalized);
  }

  /** RATING 1, CLICK 1, VIEW 0.5, PURCHASE 2. */
  public static SignalWeights defaults() {
    return new SignalWeights(Map.of("RATING", 1.0, "CLICK", 1.0, "VIEW", 0.5, "PURCHASE", 2.0));
  }

  /**
   * The defaults with the types of {@code overrides} changed: "VIEW=0.3,PURCHASE=3" (any case,
   * spaces allowed); an empty string gives the defaults.
   */
  public static SignalWeights parse(String overrides) {
    Map<String, Double> weights = new TreeMap<>(defaults().weights());
    for (String part : overrides.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] typeAndWeight = part.split("=", -1);
      try {
        if (typeAndWeight.length != 2 || typeAndWeight[0].isBlank()) {
          throw new NumberFormatException();
        }
        weights.put(
            typeAndWeight[0].trim().toUpperCase(Locale.ROOT),
            Double.parseDouble(typeAndWeight[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "signal weight '" + part.trim() + "' is not TYPE=WEIGHT, e.g. VIEW=0.5");
      }
    }
    return new SignalWeights(weights);
  }

  /** The weight of an event of type {@code eventType} (any case). */
  public double weight(String eventType) {
    Double weight = weights.get(eventType.toUpperCase(Locale.ROOT));
    if (weight == null) {
      throw new IllegalArgumentException(
          "no signal weight for event type '" + eventType + "'; weights are set for " + weights);
    }
    return weight;
  }
}
