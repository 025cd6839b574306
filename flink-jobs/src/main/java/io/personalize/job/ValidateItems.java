package io.personalize.job;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.connectors.registry.RegistrySettings;
import io.personalize.job.config.JobConfig;
import io.personalize.validation.EventValidator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;

/**
 * Decodes item metadata records, Avro (single-object or schema-registry) or JSON ({@link
 * RecordDecoder}); an item without a usable id, or with a non-finite feature value, is a dead
 * letter.
 */
public class ValidateItems extends ValidateRecords<ItemMetadata> {
  private final RegistrySettings registry;
  private transient RecordDecoder<ItemMetadata> decoder;

  public ValidateItems(JobConfig config) {
    this.registry = config.schemaRegistry();
  }

  @Override
  public void open(OpenContext context) {
    super.open(context);
    decoder = RecordDecoder.of(ItemMetadata.class, registry);
    watchRegistry(decoder);
  }

  @Override
  ItemMetadata decode(RawRecord raw, long nowMillis) throws Rejected {
    ItemMetadata item;
    try {
      item = decoder.decode(raw.value);
    } catch (DecodingException e) {
      throw new Rejected(e.reason(), e.getMessage());
    }
    EventValidator.Rejection id = EventValidator.checkId("itemId", item.getItemId());
    if (id != null) {
      throw new Rejected(CoreRecords.reason(id.reason()), id.detail());
    }
    if (item.getFeatures() != null) {
      for (Map.Entry<String, Double> feature : item.getFeatures().entrySet()) {
        if (feature.getValue() == null || !Double.isFinite(feature.getValue())) {
          throw new Rejected(
              DeadLetterReason.INVALID_VALUE,
              "feature '" + feature.getKey() + "' is not a finite number: " + feature.getValue());
        }
      }
    }
    return item;
  }
}
