package io.personalize.job;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ItemInfo;
import io.personalize.connectors.kafka.RawRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A data set as the raw Kafka records the job reads: interactions in time order, and items. */
final class MovieLensRecords {
  private MovieLensRecords() {}

  static List<RawRecord> interactions(Dataset dataset) {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    List<Interaction> sorted = new ArrayList<>(dataset.interactions());
    sorted.sort(Comparator.comparingLong(Interaction::timeMillis));
    List<RawRecord> records = new ArrayList<>(sorted.size());
    long offset = 0;
    for (Interaction i : sorted) {
      InteractionEvent event =
          InteractionEvent.newBuilder()
              .setUserId(i.userId())
              .setItemId(i.itemId())
              .setEventType(EventType.RATING)
              .setValue(i.value())
              .setEventTimeMillis(i.timeMillis())
              .build();
      records.add(raw("interactions", offset++, i.timeMillis(), codec.encode(event)));
    }
    return records;
  }

  static List<RawRecord> items(Dataset dataset) {
    AvroCodec<ItemMetadata> codec = AvroCodec.of(ItemMetadata.class);
    List<RawRecord> records = new ArrayList<>();
    long offset = 0;
    for (ItemInfo info : dataset.items().values()) {
      ItemMetadata item =
          ItemMetadata.newBuilder()
              .setItemId(info.itemId())
              .setTitle(info.title())
              .setGenres(info.genres())
              .setYear(info.year())
              .setUpdateTimeMillis(0)
              .build();
      records.add(raw("items", offset++, 0, codec.encode(item)));
    }
    return records;
  }

  static RawRecord raw(String topic, long offset, long timestamp, byte[] value) {
    return new RawRecord(topic, 0, offset, timestamp, null, value);
  }
}
