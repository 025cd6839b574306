package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ml-1m and ml-10m layout: {@code ratings.dat} with {@code UserID::MovieID::Rating::Timestamp},
 * plain or gzipped, integer ratings 1..5; items from {@code movies.dat} ({@code
 * MovieID::Title::Genres}, ISO-8859-1).
 */
final class RatingsDatLayout implements MovieLensLayout {
  static final RatingsDatLayout INSTANCE = new RatingsDatLayout();

  /** The ratings of ml-1m: whole stars. */
  static final RatingScale SCALE = new RatingScale(1, 5);

  static final RatingsFormat FORMAT =
      new RatingsFormat(
          MovieLensReader.LAYOUT_DAT,
          "::",
          "'::'-separated",
          StandardCharsets.ISO_8859_1,
          List.of(),
          SCALE);

  private RatingsDatLayout() {}

  @Override
  public RatingsFormat format() {
    return FORMAT;
  }

  @Override
  public Map<String, ItemInfo> readItems(Path dir) {
    Path movies = MovieLensReader.firstExisting(dir, "movies.dat", "movies.dat.gz");
    return movies == null ? Map.of() : readMoviesDat(movies);
  }

  /** Reads {@code movies.dat}: {@code MovieID::Title::Genres}. */
  static Map<String, ItemInfo> readMoviesDat(Path file) {
    String[] fields = new String[3];
    Map<String, ItemInfo> items = new LinkedHashMap<>();
    try (LineReader lines = new LineReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = lines.next()) != null) {
        int n = Fields.split(line, "::", fields);
        if (n != 3) {
          throw lines.error("expected 3 '::'-separated fields, found " + n);
        }
        Movies.add(items, fields[0], fields[1], fields[2], lines, lines.number());
      }
    }
    return items;
  }
}
