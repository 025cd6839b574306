package io.personalize.serving.serve;

import io.personalize.avro.ItemMetadata;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

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
    ItemMetadata record = RecordValues.decode(ItemMetadata.class, value);
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
