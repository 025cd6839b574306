package io.personalize.connectors.format;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.json.JsonEvents;
import io.personalize.connectors.json.JsonRecords;
import io.personalize.connectors.registry.RegistryAvro;
import io.personalize.connectors.registry.RegistrySettings;
import java.io.Serializable;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes a record value in any wire format the engine accepts, told per record by its first bytes
 * ({@link WireFormat}): Avro single-object encoding through {@link AvroCodec}, the schema-registry
 * wire format through {@link RegistryAvro}, a JSON object through {@link JsonEvents} (input events)
 * or {@link JsonRecords} (any other record). All give the same Avro record, so what follows does
 * not know which format it came in. The one decoder of everything that reads the engine's topics.
 *
 * <p>Thread-safe. Serializable, so Flink can ship it inside a function.
 */
public final class RecordDecoder<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AvroCodec<T> avro;
  private final RegistryAvro<T> registry;

  private RecordDecoder(AvroCodec<T> avro, RegistryAvro<T> registry) {
    this.avro = avro;
    this.registry = registry;
  }

  /**
   * The decoder of a generated record class, such as {@code
   * RecordDecoder.of(InteractionEvent.class)}, without a schema registry: a registry-framed record
   * is a {@code REGISTRY_UNAVAILABLE} dead letter.
   */
  public static <T extends SpecificRecord> RecordDecoder<T> of(Class<T> type) {
    return of(type, RegistrySettings.off());
  }

  /**
   * The decoder of a generated record class that reads registry-framed records through {@code
   * registry}.
   */
  public static <T extends SpecificRecord> RecordDecoder<T> of(
      Class<T> type, RegistrySettings registry) {
    return new RecordDecoder<>(AvroCodec.of(type), new RegistryAvro<>(type, registry));
  }

  /**
   * Decodes one record value.
   *
   * @throws DecodingException with the dead-letter reason and a precise detail; never any other
   *     exception for bad bytes
   */
  public T decode(byte[] bytes) {
    return switch (WireFormat.detect(bytes)) {
      case AVRO -> avro.decode(bytes);
      case REGISTRY_AVRO -> registry.decode(bytes);
      case JSON -> json(bytes);
      case UNKNOWN -> {
        if (bytes == null || bytes.length == 0) {
          yield avro.decode(bytes); // its message names null or empty
        }
        throw new DecodingException(
            DeadLetterReason.UNDECODABLE,
            "neither Avro (no C3 01 or 00 header) nor a JSON object (no '{'): "
                + WireFormat.describe(bytes)
                + ", not "
                + avro.type().getSimpleName(),
            null);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private T json(byte[] bytes) {
    Class<T> type = avro.type();
    if (type == InteractionEvent.class) {
      return (T) JsonEvents.interaction(bytes);
    }
    if (type == ItemMetadata.class) {
      return (T) JsonEvents.item(bytes);
    }
    return JsonRecords.read(bytes, type);
  }

  /** The schema-registry side of this decoder, for its counters. */
  public RegistryAvro<T> registry() {
    return registry;
  }

  /** The record class. */
  public Class<T> type() {
    return avro.type();
  }
}
