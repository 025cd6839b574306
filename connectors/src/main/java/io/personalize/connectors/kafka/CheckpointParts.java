package io.personalize.connectors.kafka;

import io.personalize.avro.FeatureWeightDelta;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemParameterDelta;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroSizes;
import io.personalize.connectors.format.OutputFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a gradient checkpoint too large for one Kafka record into parts that each fit. The parts
 * share every header field; their item and feature-weight deltas are disjoint slices of the whole,
 * in order, and only part 0 carries the global mean's delta, so applying every part is applying the
 * whole (the deltas are additive). docs/schemas.md, {@code GradientCheckpoint.part}.
 */
public final class CheckpointParts {
  /** Room left for the part numbers, which are set after the sizes are measured. */
  private static final int PART_NUMBER_ROOM = 32;

  private static final AvroCodec<GradientCheckpoint> CODEC = AvroCodec.of(GradientCheckpoint.class);

  private CheckpointParts() {}

  /**
   * The records of {@code whole}: itself when its encoding in {@code format} is at most {@code
   * maxBytes}, otherwise its parts, each at most {@code maxBytes}.
   *
   * @throws IllegalArgumentException when a single item's or weight's delta does not fit alone
   */
  public static List<GradientCheckpoint> split(
      GradientCheckpoint whole, OutputFormat format, int maxBytes) {
    // The sink encodes what goes out: a record whose bound fits needs no encoding here as well.
    if (format == OutputFormat.AVRO && AvroSizes.upperBound(whole) <= maxBytes) {
      return List.of(whole);
    }
    int size = format.encode(CODEC, whole).length;
    if (size <= maxBytes) {
      return List.of(whole);
    }
    int budget = maxBytes - PART_NUMBER_ROOM;
    int entries = whole.getItemDeltas().size() + whole.getFeatureWeightDeltas().size();
    // Deltas are about the same size each: start from even slices, halve any that is still too big.
    int slices = (int) Math.min(entries, (long) Math.ceil(size * 1.05 / budget));
    List<GradientCheckpoint> parts = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      addFitting(
          whole,
          format,
          budget,
          (int) ((long) entries * s / slices),
          (int) ((long) entries * (s + 1) / slices),
          parts);
    }
    for (int p = 0; p < parts.size(); p++) {
      parts.get(p).setPart(p);
      parts.get(p).setParts(parts.size());
    }
    return parts;
  }

  private static void addFitting(
      GradientCheckpoint whole,
      OutputFormat format,
      int budget,
      int from,
      int to,
      List<GradientCheckpoint> parts) {
    GradientCheckpoint part = slice(whole, from, to, parts.isEmpty());
    if (format.encode(CODEC, part).length <= budget) {
      parts.add(part);
    } else if (to - from > 1) {
      int middle = (from + to) >>> 1;
      addFitting(whole, format, budget, from, middle, parts);
      addFitting(whole, format, budget, middle, to, parts);
    } else {
      throw new IllegalArgumentException(
          "one delta of checkpoint version "
              + whole.getVersion()
              + " does not fit a record of "
              + (budget + PART_NUMBER_ROOM)
              + " bytes (personalize.output.max-record-bytes)");
    }
  }

  /** Entries {@code from..to} of the items followed by the feature weights. */
  private static GradientCheckpoint slice(
      GradientCheckpoint whole, int from, int to, boolean first) {
    List<ItemParameterDelta> items = whole.getItemDeltas();
    List<FeatureWeightDelta> weights = whole.getFeatureWeightDeltas();
    int n = items.size();
    GradientCheckpoint part = new GradientCheckpoint();
    for (int field = 0; field < whole.getSchema().getFields().size(); field++) {
      part.put(field, whole.get(field)); // shared header values: a builder would deep-copy deltas
    }
    part.setGlobalMeanDelta(first ? whole.getGlobalMeanDelta() : 0.0);
    part.setItemDeltas(items.subList(Math.min(from, n), Math.min(to, n)));
    part.setFeatureWeightDeltas(weights.subList(Math.max(from - n, 0), Math.max(to - n, 0)));
    return part;
  }
}
