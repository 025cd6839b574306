package io.personalize.job;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroDecodingException;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.validation.EventValidator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;

/**
 * Decodes item metadata records; an item without a usable id, or with a non-finite feature value,
 * is a dead letter.
 */
public class ValidateItems extends ValidateRecords<ItemMetadata> {
  private transient AvroCodec<ItemMetadata> codec;

  @Override
  public void open(OpenContext context) {
    super.open(context);
    codec = AvroCodec.of(ItemMetadata.class);
  }

  @Override
  ItemMetadata decode(RawRecord raw, long nowMillis) throws Rejected {
    ItemMetadata item;
    try {
      item = codec.decode(raw.value);
    } catch (AvroDecodingException e) {
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
