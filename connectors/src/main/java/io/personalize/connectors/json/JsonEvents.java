package io.personalize.connectors.json;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.format.DecodingException;
import java.util.Set;

/**
 * The engine's input events as JSON (docs/formats.md): an {@link InteractionEvent} or {@link
 * ItemMetadata} as a plain JSON object with the schema's field names, read into the same Avro
 * record the Avro path decodes, so both go through the same checks. The mapping itself is {@link
 * JsonRecords}; this class adds what is particular to events: a missing or null {@code userId} or
 * {@code itemId} is {@link DeadLetterReason#MISSING_ID}, as an empty one is. Flink-free, for the
 * job's validators and for anything else that takes events as JSON.
 */
public final class JsonEvents {
  private static final Set<String> ID_FIELDS = Set.of("userId", "itemId");

  private JsonEvents() {}

  /**
   * Reads one interaction event from a JSON object.
   *
   * @throws DecodingException with the dead-letter reason and a precise detail
   */
  public static InteractionEvent interaction(byte[] json) {
    return read(json, InteractionEvent.class);
  }

  /**
   * Reads one item's metadata from a JSON object.
   *
   * @throws DecodingException with the dead-letter reason and a precise detail
   */
  public static ItemMetadata item(byte[] json) {
    return read(json, ItemMetadata.class);
  }

  /** An event as one JSON object, UTF-8: what {@link #interaction} and {@link #item} read. */
  public static byte[] write(InteractionEvent event) {
    return JsonRecords.write(event);
  }

  /** Item metadata as one JSON object, UTF-8. */
  public static byte[] write(ItemMetadata item) {
    return JsonRecords.write(item);
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T read(
      byte[] json, Class<T> type) {
    try {
      return JsonRecords.read(json, type);
    } catch (MissingFieldException e) {
      if (ID_FIELDS.contains(e.field())) {
        throw new DecodingException(DeadLetterReason.MISSING_ID, e.getMessage(), e);
      }
      throw e;
    }
  }
}
