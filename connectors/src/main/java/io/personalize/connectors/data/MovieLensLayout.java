package io.personalize.connectors.data;

import java.nio.file.Path;
import java.util.Map;

/** One of the file layouts of the MovieLens data sets: its ratings file and its item files. */
interface MovieLensLayout {
  /** How the ratings file is written, including the layout's name and rating scale. */
  RatingsFormat format();

  /**
   * Reads the ratings file and the item metadata found beside it.
   *
   * @param name the data set's name
   * @param ratings the ratings file
   */
  default Dataset read(String name, Path ratings) {
    RatingsFormat format = format();
    return new Dataset(
        name,
        format.layout(),
        RatingsFile.read(ratings, format),
        readItems(ratings.getParent()),
        format.scale());
  }

  /** The item metadata in {@code dir}, or an empty map when there is no item file. */
  Map<String, ItemInfo> readItems(Path dir);
}
