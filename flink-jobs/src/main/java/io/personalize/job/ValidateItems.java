package io.personalize.job;

import io.personalize.avro.DeadLetterReason;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.AvroDecodingException;
import io.personalize.connectors.kafka.DeadLetters;
import io.personalize.connectors.kafka.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes item metadata records; bad ones go to the dead-letter side output with the reason. */
public class ValidateItems extends ProcessFunction<RawRecord, ItemMetadata> {
  private transient AvroCodec<ItemMetadata> codec;

  @Override
  public void open(OpenContext context) {
    codec = AvroCodec.of(ItemMetadata.class);
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<ItemMetadata> out) {
    long now = System.currentTimeMillis();
    ItemMetadata item;
    try {
      item = codec.decode(raw.value);
    } catch (AvroDecodingException e) {
      ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, e.reason(), e.getMessage(), now));
      return;
    }
    if (item.getItemId() == null || item.getItemId().isBlank()) {
      ctx.output(
          Descriptors.DEAD_LETTERS,
          DeadLetters.of(raw, DeadLetterReason.MISSING_ID, "item metadata without itemId", now));
      return;
    }
    out.collect(item);
  }
}
