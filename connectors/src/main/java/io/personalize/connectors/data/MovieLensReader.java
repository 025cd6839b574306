package io.personalize.connectors.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads MovieLens ratings in the three layouts GroupLens has used, with the item metadata found
 * beside them.
 *
 * <ul>
 *   <li>{@code u.data} (ml-100k): tab-separated {@code user item rating timestamp}, ratings 1..5;
 *       items from {@code u.item} ({@code |}-separated, ISO-8859-1, 5 columns plus one 0/1 flag per
 *       genre) with genre names from {@code u.genre}. See {@link UDataLayout}.
 *   <li>{@code ratings.dat} (ml-1m, ml-10m): {@code UserID::MovieID::Rating::Timestamp}, plain or
 *       gzipped, ratings 1..5; items from {@code movies.dat} ({@code MovieID::Title::Genres},
 *       ISO-8859-1). See {@link RatingsDatLayout}.
 *   <li>{@code ratings.csv} (ml-latest, ml-20m, ml-25m): header {@code
 *       userId,movieId,rating,timestamp}, ratings 0.5..5.0; items from {@code movies.csv} (UTF-8,
 *       RFC 4180 quoting). See {@link RatingsCsvLayout}.
 * </ul>
 *
 * <p>Timestamps are converted from seconds to milliseconds. Interactions keep the file order. The
 * data set's {@link Dataset#scale() scale} is its layout's. Any malformed line, including a rating
 * outside the layout's scale, throws a {@link DataFormatException} that names the file and the
 * line.
 *
 * <p>{@link DataSetReader} is the front that reads these and the click and view data sets.
 */
public final class MovieLensReader {
  /**
   * The ml-100k genre names in flag order, used when {@code u.genre} is not beside {@code u.item}.
   */
  static final List<String> ML100K_GENRES = UDataLayout.GENRES;

  static final String LAYOUT_U_DATA = "u.data";
  static final String LAYOUT_DAT = "ratings.dat";
  static final String LAYOUT_CSV = "ratings.csv";

  /** The ratings files looked for in a directory, in order, as error messages name them. */
  static final String RATINGS_FILES =
      "u.data, ratings.dat, ratings.dat.gz, ratings.csv and ratings*.dat.gz";

  private MovieLensReader() {}

  /**
   * Reads a MovieLens data set.
   *
   * @param path a directory holding {@code u.data}, {@code ratings.dat}, {@code ratings.dat.gz} or
   *     {@code ratings.csv} (looked for in that order), or else exactly one {@code
   *     ratings*.dat.gz}; or a ratings file itself
   * @return the ratings in file order and the item metadata found beside them (empty when there is
   *     no item file); the name is the directory's name
   * @throws DataFormatException when a file is missing, unreadable or malformed
   */
  public static Dataset read(Path path) {
    Objects.requireNonNull(path, "path");
    Path absolute = path.toAbsolutePath().normalize();
    Path ratings;
    if (Files.isDirectory(absolute)) {
      ratings = locateRatings(absolute);
    } else if (Files.exists(absolute)) {
      ratings = absolute;
    } else {
      throw new DataFormatException(path, "no such file or directory", null);
    }
    return readRatings(ratings);
  }

  /** Reads a ratings file of any of the three layouts; the name is its directory's name. */
  static Dataset readRatings(Path ratings) {
    return layout(layoutOf(ratings)).read(DataSetReader.nameOf(ratings), ratings);
  }

  private static MovieLensLayout layout(String name) {
    switch (name) {
      case LAYOUT_U_DATA:
        return UDataLayout.INSTANCE;
      case LAYOUT_DAT:
        return RatingsDatLayout.INSTANCE;
      case LAYOUT_CSV:
        return RatingsCsvLayout.INSTANCE;
      default:
        throw new IllegalStateException(name);
    }
  }

  private static Path locateRatings(Path dir) {
    Path found = findRatings(dir);
    if (found == null) {
      throw new DataFormatException(
          dir, "no ratings file found (looked for " + RATINGS_FILES + ")", null);
    }
    return found;
  }

  /**
   * The ratings file in {@code dir}: the first of {@code u.data}, {@code ratings.dat}, {@code
   * ratings.dat.gz}, {@code ratings.csv}, else the only {@code ratings*.dat.gz}; null when there is
   * none.
   *
   * @throws DataFormatException when there are several {@code ratings*.dat.gz} and none of the
   *     others
   */
  static Path findRatings(Path dir) {
    Path found = firstExisting(dir, "u.data", "ratings.dat", "ratings.dat.gz", "ratings.csv");
    if (found != null) {
      return found;
    }
    List<Path> partial = DataSetReader.filesMatching(dir, "ratings*.dat.gz");
    if (partial.isEmpty()) {
      return null;
    }
    if (partial.size() > 1) {
      throw DataSetReader.several(dir, "ratings files", partial);
    }
    return partial.get(0);
  }

  /** The first of {@code names} that is a regular file in {@code dir}, or null. */
  static Path firstExisting(Path dir, String... names) {
    for (String name : names) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The layout from the file's name, or from its first line when the name does not tell. */
  static String layoutOf(Path file) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    if (base.endsWith(".dat")) {
      return LAYOUT_DAT;
    }
    if (base.endsWith(".csv")) {
      return LAYOUT_CSV;
    }
    if (base.endsWith(".data") || base.endsWith(".base") || base.endsWith(".test")) {
      return LAYOUT_U_DATA; // u.data and ml-100k's split files u1.base, ua.test, ...
    }
    try (LineReader lines = new LineReader(file, StandardCharsets.ISO_8859_1)) {
      String first = lines.next();
      if (first != null) {
        if (first.contains("::")) {
          return LAYOUT_DAT;
        }
        if (first.startsWith("userId,")) {
          return LAYOUT_CSV;
        }
        if (first.indexOf('\t') >= 0) {
          return LAYOUT_U_DATA;
        }
      }
    }
    throw new DataFormatException(
        file,
        "cannot tell the layout: the name does not end in .data, .dat or .csv and the first line"
            + " is not '::'-, tab- or comma-separated MovieLens ratings",
        null);
  }
}
