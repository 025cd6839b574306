package io.personalize.serving.serve;

import io.personalize.avro.ItemMetadata;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;

/**
 * Titles and genres of the items, from the items topic, for answers a person can read: the newest
 * record of an item (by its update time) wins, as in the job.
 */
final class ItemCatalog {
  /** What an answer shows of one item. */
  record Item(String title, List<String> genres, long updateTimeMillis) {}

  private final ConcurrentHashMap<String, Item> items = new ConcurrentHashMap<>();

  void accept(byte[] key, byte[] value) {
    if (value == null) {
      return;
    }
    ItemMetadata record;
    try {
      record = ItemMetadata.getDecoder().decode(ByteBuffer.wrap(value));
    } catch (java.io.IOException | AvroRuntimeException e) {
      throw new IllegalArgumentException("not an ItemMetadata: " + e.getMessage(), e);
    }
    Item item =
        new Item(
            record.getTitle(),
            record.getGenres() == null ? List.of() : List.copyOf(record.getGenres()),
            record.getUpdateTimeMillis());
    items.merge(
        record.getItemId(),
        item,
        (old, now) -> now.updateTimeMillis() >= old.updateTimeMillis() ? now : old);
  }

  /** The item's metadata; null when none was published. */
  Item item(String itemId) {
    return items.get(itemId);
  }

  int size() {
    return items.size();
  }
}
