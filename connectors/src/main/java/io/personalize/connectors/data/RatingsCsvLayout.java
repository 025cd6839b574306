package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ml-latest, ml-20m and ml-25m layout: {@code ratings.csv} with the header {@code
 * userId,movieId,rating,timestamp}, ratings 0.5..5.0 in half stars; items from {@code movies.csv}
 * (UTF-8, RFC 4180 quoting).
 */
final class RatingsCsvLayout implements MovieLensLayout {
  static final RatingsCsvLayout INSTANCE = new RatingsCsvLayout();

  /** The ratings of ml-latest: half stars from 0.5 to 5. */
  static final RatingScale SCALE = new RatingScale(0.5, 5);

  static final RatingsFormat FORMAT =
      new RatingsFormat(
          MovieLensReader.LAYOUT_CSV,
          ",",
          "comma-separated",
          StandardCharsets.UTF_8,
          List.of("userId", "movieId", "rating", "timestamp"),
          SCALE);

  private static final List<String> MOVIES_HEADER = List.of("movieId", "title", "genres");

  private RatingsCsvLayout() {}

  @Override
  public RatingsFormat format() {
    return FORMAT;
  }

  @Override
  public Map<String, ItemInfo> readItems(Path dir) {
    Path movies = MovieLensReader.firstExisting(dir, "movies.csv", "movies.csv.gz");
    return movies == null ? Map.of() : readMoviesCsv(movies);
  }

  /** Reads {@code movies.csv}: header {@code movieId,title,genres}, RFC 4180 quoting. */
  static Map<String, ItemInfo> readMoviesCsv(Path file) {
    Map<String, ItemInfo> items = new LinkedHashMap<>();
    try (LineReader lines = new LineReader(file, StandardCharsets.UTF_8)) {
      CsvLineParser.expectHeader(lines.next(), lines, MOVIES_HEADER);
      String line;
      while ((line = lines.next()) != null) {
        int start = lines.number();
        List<String> fields = CsvLineParser.parse(line, lines);
        if (fields.size() != 3) {
          throw lines.error(start, "expected 3 comma-separated fields, found " + fields.size());
        }
        Movies.add(items, fields.get(0), fields.get(1), fields.get(2), lines, start);
      }
    }
    return items;
  }
}
