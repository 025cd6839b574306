package io.personalize.connectors.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code movies.dat} and {@code movies.csv} have in common: an id, a title ending in the year
 * like {@code Toy Story (1995)}, and {@code |}-separated genres.
 */
final class Movies {
  private static final String NO_GENRES = "(no genres listed)";

  private Movies() {}

  /**
   * Adds one movie to {@code items}.
   *
   * @param line the line the movie's record starts on, for errors
   * @throws DataFormatException when the id is empty or already listed
   */
  static void add(
      Map<String, ItemInfo> items,
      String rawId,
      String rawTitle,
      String rawGenres,
      LineReader lines,
      int line) {
    String id = rawId.strip();
    if (id.isEmpty()) {
      throw lines.error(line, "empty movie id");
    }
    String title = rawTitle.strip();
    ItemInfo info = new ItemInfo(id, title, genres(rawGenres), titleYear(title));
    if (items.putIfAbsent(id, info) != null) {
      throw lines.error(line, "movie id " + id + " is listed twice");
    }
  }

  /** {@code Action|Comedy} gives both names; {@code (no genres listed)} or nothing gives none. */
  static List<String> genres(String raw) {
    List<String> genres = new ArrayList<>(3);
    int start = 0;
    while (start <= raw.length()) {
      int end = raw.indexOf('|', start);
      if (end < 0) {
        end = raw.length();
      }
      String genre = raw.substring(start, end).strip();
      if (!genre.isEmpty() && !genre.equals(NO_GENRES)) {
        genres.add(genre);
      }
      start = end + 1;
    }
    return genres;
  }

  /** The year in a title's trailing {@code (1995)}, or null. */
  static Integer titleYear(String title) {
    String t = title.strip();
    int n = t.length();
    if (n >= 6 && t.charAt(n - 1) == ')' && t.charAt(n - 6) == '(') {
      String year = t.substring(n - 5, n - 1);
      if (Fields.allDigits(year)) {
        return Integer.valueOf(year);
      }
    }
    return null;
  }
}
