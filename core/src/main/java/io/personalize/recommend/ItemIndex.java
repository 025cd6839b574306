package io.personalize.recommend;

/**
 * The items a recommender can name: dense indices 0..size-1 (those of the ranking model's shared
 * block and of the popularity tracker) and their ids (those of the item graph).
 */
public interface ItemIndex {
  /** Number of items; indices run from 0 to size - 1. */
  int size();

  String id(int item);

  /** The index of an item id, -1 when the id is unknown. */
  int indexOf(String id);
}
