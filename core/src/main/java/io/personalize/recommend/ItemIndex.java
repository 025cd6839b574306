package io.personalize.recommend;

import java.util.function.ToIntFunction;

/**
 * The items a recommender can name: dense indices 0..size-1 (those of the ranking model's shared
 * block and of the popularity tracker) and their ids (those of the item graph). As a function, it
 * is {@link #indexOf}: the walks keep its answers per graph slot while they are handed the same
 * instance.
 */
public interface ItemIndex extends ToIntFunction<String> {
  /** Number of items; indices run from 0 to size - 1. */
  int size();

  String id(int item);

  /** The index of an item id, -1 when the id is unknown; once an id has an index, it keeps it. */
  int indexOf(String id);

  @Override
  default int applyAsInt(String id) {
    return indexOf(id);
  }
}
