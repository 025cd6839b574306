package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ml-100k layout: {@code u.data} (and the split files {@code u1.base}, {@code ua.test}, ...)
 * with tab-separated {@code user item rating timestamp}, integer ratings 1..5; items from {@code
 * u.item} ({@code |}-separated, ISO-8859-1, 5 columns plus one 0/1 flag per genre) with genre names
 * from {@code u.genre}.
 */
final class UDataLayout implements MovieLensLayout {
  static final UDataLayout INSTANCE = new UDataLayout();

  /** The ratings of ml-100k: whole stars. */
  static final RatingScale SCALE = new RatingScale(1, 5);

  static final RatingsFormat FORMAT =
      new RatingsFormat(
          MovieLensReader.LAYOUT_U_DATA,
          "\t",
          "tab-separated",
          StandardCharsets.ISO_8859_1,
          List.of(),
          SCALE);

  /**
   * The ml-100k genre names in flag order, used when {@code u.genre} is not beside {@code u.item}.
   */
  static final List<String> GENRES =
      List.of(
          "unknown",
          "Action",
          "Adventure",
          "Animation",
          "Children's",
          "Comedy",
          "Crime",
          "Documentary",
          "Drama",
          "Fantasy",
          "Film-Noir",
          "Horror",
          "Musical",
          "Mystery",
          "Romance",
          "Sci-Fi",
          "Thriller",
          "War",
          "Western");

  private UDataLayout() {}

  @Override
  public RatingsFormat format() {
    return FORMAT;
  }

  @Override
  public Map<String, ItemInfo> readItems(Path dir) {
    Path uItem = dir.resolve("u.item");
    if (!Files.exists(uItem)) {
      return Map.of();
    }
    Path uGenre = dir.resolve("u.genre");
    List<String> genres = Files.exists(uGenre) ? readUGenre(uGenre) : GENRES;
    return readUItem(uItem, genres);
  }

  /** Reads {@code u.genre}: {@code name|index} lines, indexes 0..n-1 in any order. */
  static List<String> readUGenre(Path file) {
    Map<Integer, String> byIndex = new HashMap<>();
    String[] fields = new String[2];
    try (LineReader lines = new LineReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = lines.next()) != null) {
        int n = Fields.split(line, "|", fields);
        if (n != 2) {
          throw lines.error("expected 2 '|'-separated fields (name|index), found " + n);
        }
        String name = fields[0].strip();
        if (name.isEmpty()) {
          throw lines.error("empty genre name");
        }
        int index;
        try {
          index = Integer.parseInt(fields[1].strip());
        } catch (NumberFormatException e) {
          throw lines.error("genre index is not a whole number: '" + fields[1] + "'");
        }
        if (index < 0 || byIndex.putIfAbsent(index, name) != null) {
          throw lines.error("genre index " + index + " is negative or repeated");
        }
      }
    }
    List<String> genres = new ArrayList<>();
    for (int i = 0; i < byIndex.size(); i++) {
      String name = byIndex.get(i);
      if (name == null) {
        throw new DataFormatException(
            file, "genre indexes are not 0.." + (byIndex.size() - 1) + " without gaps", null);
      }
      genres.add(name);
    }
    if (genres.isEmpty()) {
      throw new DataFormatException(file, "no genres listed", null);
    }
    return List.copyOf(genres);
  }

  /**
   * Reads {@code u.item}: {@code id|title|release date|video release date|IMDb URL|flags...}, one
   * 0/1 flag per genre.
   */
  static Map<String, ItemInfo> readUItem(Path file, List<String> genreNames) {
    int expected = 5 + genreNames.size();
    String[] fields = new String[expected];
    Map<String, ItemInfo> items = new LinkedHashMap<>();
    try (LineReader lines = new LineReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = lines.next()) != null) {
        int n = Fields.split(line, "|", fields);
        if (n != expected) {
          throw lines.error(
              "expected "
                  + expected
                  + " '|'-separated fields (5 + "
                  + genreNames.size()
                  + " genre flags), found "
                  + n);
        }
        String id = fields[0].strip();
        if (id.isEmpty()) {
          throw lines.error("empty item id");
        }
        List<String> genres = new ArrayList<>(3);
        for (int g = 0; g < genreNames.size(); g++) {
          String flag = fields[5 + g].strip();
          if (flag.equals("1")) {
            genres.add(genreNames.get(g));
          } else if (!flag.equals("0")) {
            throw lines.error(
                "genre flag "
                    + (g + 1)
                    + " ("
                    + genreNames.get(g)
                    + ") is not 0 or 1: '"
                    + flag
                    + "'");
          }
        }
        ItemInfo info = new ItemInfo(id, fields[1].strip(), genres, releaseYear(fields[2], lines));
        if (items.putIfAbsent(id, info) != null) {
          throw lines.error("item id " + id + " is listed twice");
        }
      }
    }
    return items;
  }

  /** {@code 01-Jan-1995} gives 1995; an empty date gives null. */
  private static Integer releaseYear(String raw, LineReader lines) {
    String date = raw.strip();
    if (date.isEmpty()) {
      return null;
    }
    int dash = date.lastIndexOf('-');
    String year = date.substring(dash + 1);
    if (year.length() != 4 || !Fields.allDigits(year)) {
      throw lines.error("release date is not like 01-Jan-1995: '" + raw + "'");
    }
    return Integer.valueOf(year);
  }
}
