package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CiaoDVD's movie ratings (Guo et al. 2014): {@code movie-ratings.txt}, comma-separated without a
 * header, {@code userID,movieID,genreID,reviewID,movieRating,date}, ratings 1..5, dates {@code
 * YYYY-MM-DD}.
 *
 * <ul>
 *   <li>The time of a rating is its date's midnight UTC: ratings of one user on one day keep the
 *       file's order.
 *   <li>The genre id (1..17) is the movie's one genre, named as the data set's readme names it; it
 *       becomes an item feature through the genre vocabulary (names outside it are hashed).
 *   <li><b>Repeated (user, movie) pairs</b> (303 pairs, 320 extra rows in the published file; the
 *       readme's advice: deduplicate before using the file as an explicit-rating benchmark): only
 *       the user's last rating of the movie is kept, the latest date and, on the same date, the
 *       later line: a user who rated a movie again changed their mind.
 * </ul>
 */
final class CiaoDvdLayout {
  static final String LAYOUT = "ciaodvd";
  static final String FILE = "movie-ratings.txt";

  /** The 17 genres of the readme, genre id 1 first. */
  static final List<String> GENRES =
      List.of(
          "Action & Adventure",
          "Comedy",
          "Family",
          "Drama",
          "Horror",
          "Science Fiction & Fantasy",
          "Thriller & Mystery",
          "Martial Arts",
          "Musicals & Music Films",
          "War",
          "Westerns",
          "Documentaries & Biographies",
          "Special Interest",
          "Sports",
          "World Cinema",
          "TV Series",
          "Anime");

  private static final int FIELDS = 6;
  private static final RatingScale SCALE = new RatingScale(1, 5);
  private static final long DAY_MILLIS = 86_400_000L;

  private CiaoDvdLayout() {}

  /** The ratings file in {@code dir}, or null. */
  static Path find(Path dir) {
    Path file = dir.resolve(FILE);
    return Files.isRegularFile(file) ? file : null;
  }

  static boolean isRatingsFile(Path file) {
    return file.getFileName() != null && file.getFileName().toString().equals(FILE);
  }

  static Dataset read(String name, Path file) {
    Map<String, String> users = new HashMap<>();
    Map<String, String> movies = new HashMap<>();
    Map<String, ItemInfo> items = new LinkedHashMap<>();
    // The position in `rows` of each (user, movie) pair's kept rating.
    Map<String, Integer> pairs = new HashMap<>();
    List<Interaction> rows = new ArrayList<>();
    String[] fields = new String[FIELDS];
    try (LineReader lines = new LineReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        int n = Fields.split(line, ",", fields);
        if (n != FIELDS) {
          throw lines.error(
              "expected "
                  + FIELDS
                  + " comma-separated fields (userID, movieID, genreID, reviewID, movieRating,"
                  + " date), found "
                  + n);
        }
        String user = Fields.id(fields[0].strip(), "user id", lines, users);
        String movie = Fields.id(fields[1].strip(), "movie id", lines, movies);
        String genre = genre(fields[2].strip(), lines);
        double rating = rating(fields[4].strip(), lines);
        long millis = time(fields[5].strip(), lines);
        ItemInfo info = items.get(movie);
        if (info == null) {
          items.put(movie, new ItemInfo(movie, "movie " + movie, List.of(genre), null));
        } else if (!info.genres().contains(genre)) {
          throw lines.error(
              "movie " + movie + " has genre " + genre + " here and " + info.genres() + " before");
        }
        Interaction event = new Interaction(user, movie, rating, millis);
        String pair = user + '\u0000' + movie;
        Integer kept = pairs.get(pair);
        if (kept == null) {
          pairs.put(pair, rows.size());
          rows.add(event);
        } else if (millis >= rows.get(kept).timeMillis()) {
          rows.set(kept, null);
          pairs.put(pair, rows.size());
          rows.add(event);
        } else {
          rows.add(null);
        }
      }
    }
    List<Interaction> ratings = new ArrayList<>(pairs.size());
    for (Interaction row : rows) {
      if (row != null) {
        ratings.add(row);
      }
    }
    return new Dataset(name, LAYOUT, ratings, items, SCALE);
  }

  private static String genre(String raw, LineReader lines) {
    if (!Fields.allDigits(raw) || raw.length() > 2) {
      throw lines.error("genreID is not a number 1.." + GENRES.size() + ": '" + raw + "'");
    }
    int id = Integer.parseInt(raw);
    if (id < 1 || id > GENRES.size()) {
      throw lines.error("genreID " + raw + " outside 1.." + GENRES.size());
    }
    return GENRES.get(id - 1);
  }

  private static double rating(String raw, LineReader lines) {
    double value;
    try {
      value = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw lines.error("movieRating is not a number: '" + raw + "'");
    }
    if (!SCALE.contains(value)) {
      throw lines.error("movieRating " + raw + " outside 1..5");
    }
    return value;
  }

  private static long time(String raw, LineReader lines) {
    try {
      long day = LocalDate.parse(raw, DateTimeFormatter.ISO_LOCAL_DATE).toEpochDay();
      if (day < 0) {
        throw lines.error("date before 1970: '" + raw + "'");
      }
      return day * DAY_MILLIS;
    } catch (DateTimeParseException e) {
      throw lines.error("date is not like 2013-11-28: '" + raw + "'");
    }
  }
}
