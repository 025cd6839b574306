package io.personalize.connectors.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads MovieLens ratings in the three layouts GroupLens has used, with the item metadata found
 * beside them.
 *
 * <ul>
 *   <li>{@code u.data} (ml-100k): tab-separated {@code user item rating timestamp}; items from
 *       {@code u.item} ({@code |}-separated, ISO-8859-1, 5 columns plus one 0/1 flag per genre)
 *       with genre names from {@code u.genre}.
 *   <li>{@code ratings.dat} (ml-1m, ml-10m): {@code UserID::MovieID::Rating::Timestamp}, plain or
 *       gzipped; items from {@code movies.dat} ({@code MovieID::Title::Genres}, ISO-8859-1).
 *   <li>{@code ratings.csv} (ml-latest, ml-20m, ml-25m): header {@code
 *       userId,movieId,rating,timestamp}; items from {@code movies.csv} (UTF-8, RFC 4180 quoting).
 * </ul>
 *
 * <p>Timestamps are converted from seconds to milliseconds. Interactions keep the file order. Any
 * malformed line throws a {@link DataFormatException} that names the file and the line.
 */
public final class MovieLensReader {
  /**
   * The ml-100k genre names in flag order, used when {@code u.genre} is not beside {@code u.item}.
   */
  static final List<String> ML100K_GENRES =
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

  static final String LAYOUT_U_DATA = "u.data";
  static final String LAYOUT_DAT = "ratings.dat";
  static final String LAYOUT_CSV = "ratings.csv";

  private static final String NO_GENRES = "(no genres listed)";
  private static final List<String> RATINGS_HEADER =
      List.of("userId", "movieId", "rating", "timestamp");
  private static final List<String> MOVIES_HEADER = List.of("movieId", "title", "genres");

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
    Path dir = ratings.getParent();
    String name = dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
    String layout = layoutOf(ratings);
    switch (layout) {
      case LAYOUT_U_DATA:
        {
          List<Interaction> interactions = readRatings(ratings, layout);
          Path uItem = dir.resolve("u.item");
          Map<String, ItemInfo> items = Map.of();
          if (Files.exists(uItem)) {
            Path uGenre = dir.resolve("u.genre");
            List<String> genres = Files.exists(uGenre) ? readUGenre(uGenre) : ML100K_GENRES;
            items = readUItem(uItem, genres);
          }
          return new Dataset(name, layout, interactions, items);
        }
      case LAYOUT_DAT:
        {
          List<Interaction> interactions = readRatings(ratings, layout);
          Path movies = firstExisting(dir, "movies.dat", "movies.dat.gz");
          Map<String, ItemInfo> items = movies == null ? Map.of() : readMoviesDat(movies);
          return new Dataset(name, layout, interactions, items);
        }
      case LAYOUT_CSV:
        {
          List<Interaction> interactions = readRatings(ratings, layout);
          Path movies = firstExisting(dir, "movies.csv", "movies.csv.gz");
          Map<String, ItemInfo> items = movies == null ? Map.of() : readMoviesCsv(movies);
          return new Dataset(name, layout, interactions, items);
        }
      default:
        throw new IllegalStateException(layout);
    }
  }

  // ---------------------------------------------------------------- locating files

  private static Path locateRatings(Path dir) {
    Path found = firstExisting(dir, "u.data", "ratings.dat", "ratings.dat.gz", "ratings.csv");
    if (found != null) {
      return found;
    }
    List<Path> partial = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "ratings*.dat.gz")) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          partial.add(entry);
        }
      }
    } catch (IOException e) {
      throw new DataFormatException(dir, "cannot list the directory: " + e, e);
    }
    if (partial.size() == 1) {
      return partial.get(0);
    }
    if (partial.isEmpty()) {
      throw new DataFormatException(
          dir,
          "no ratings file found (looked for u.data, ratings.dat, ratings.dat.gz, ratings.csv"
              + " and ratings*.dat.gz)",
          null);
    }
    partial.sort(null);
    List<String> names = new ArrayList<>();
    partial.forEach(p -> names.add(p.getFileName().toString()));
    throw new DataFormatException(
        dir, "several ratings files " + names + "; pass the one to read", null);
  }

  private static Path firstExisting(Path dir, String... names) {
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
    try (Lines lines = new Lines(file, StandardCharsets.ISO_8859_1)) {
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

  // ---------------------------------------------------------------- ratings

  private static List<Interaction> readRatings(Path file, String layout) {
    boolean csv = layout.equals(LAYOUT_CSV);
    String separator;
    String what;
    switch (layout) {
      case LAYOUT_U_DATA:
        separator = "\t";
        what = "tab-separated";
        break;
      case LAYOUT_DAT:
        separator = "::";
        what = "'::'-separated";
        break;
      default:
        separator = ",";
        what = "comma-separated";
    }
    Map<String, String> userIds = new HashMap<>();
    Map<String, String> itemIds = new HashMap<>();
    List<Interaction> out = new ArrayList<>();
    String[] fields = new String[4];
    try (Lines lines =
        new Lines(file, csv ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)) {
      if (csv) {
        String header = lines.next();
        if (header == null) {
          throw new DataFormatException(file, 1, "empty file, expected the header " + header());
        }
        List<String> names = parseCsvLine(header, lines);
        names.replaceAll(String::strip);
        if (!names.equals(RATINGS_HEADER)) {
          throw lines.error("expected the header " + header() + ", found '" + header + "'");
        }
      }
      String line;
      while ((line = lines.next()) != null) {
        int n;
        if (csv && line.indexOf('"') >= 0) {
          List<String> parsed = parseCsvLine(line, lines);
          n = parsed.size();
          for (int i = 0; i < Math.min(n, 4); i++) {
            fields[i] = parsed.get(i);
          }
        } else {
          n = split(line, separator, fields);
        }
        if (n != 4) {
          throw lines.error("expected 4 " + what + " fields, found " + n);
        }
        String user = id(fields[0], "user id", lines, userIds);
        String item = id(fields[1], "item id", lines, itemIds);
        double value = rating(fields[2], lines);
        long millis = secondsToMillis(fields[3], lines);
        out.add(new Interaction(user, item, value, millis));
      }
    }
    return out;
  }

  private static String header() {
    return String.join(",", RATINGS_HEADER);
  }

  /**
   * Splits {@code line} at {@code separator} into {@code out} and returns the number of fields
   * (which may exceed {@code out.length}; then only the first fields are stored).
   */
  static int split(String line, String separator, String[] out) {
    int count = 0;
    int start = 0;
    int step = separator.length();
    while (true) {
      int end = line.indexOf(separator, start);
      if (end < 0) {
        if (count < out.length) {
          out[count] = line.substring(start);
        }
        return count + 1;
      }
      if (count < out.length) {
        out[count] = line.substring(start, end);
      }
      count++;
      start = end + step;
    }
  }

  private static String id(String raw, String what, Lines lines, Map<String, String> cache) {
    if (raw.isBlank()) {
      throw lines.error("empty " + what);
    }
    String existing = cache.putIfAbsent(raw, raw);
    return existing == null ? raw : existing;
  }

  private static double rating(String raw, Lines lines) {
    int length = raw.length();
    // Fast paths for "4" and "4.5", exact (an integer divided by 10 is correctly rounded).
    if (length == 1 && isDigit(raw.charAt(0))) {
      return raw.charAt(0) - '0';
    }
    if (length == 3 && isDigit(raw.charAt(0)) && raw.charAt(1) == '.' && isDigit(raw.charAt(2))) {
      return ((raw.charAt(0) - '0') * 10 + (raw.charAt(2) - '0')) / 10.0;
    }
    double value;
    try {
      value = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw lines.error("rating is not a number: '" + raw + "'");
    }
    if (!Double.isFinite(value)) {
      throw lines.error("rating is not a finite number: '" + raw + "'");
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long secondsToMillis(String raw, Lines lines) {
    long seconds;
    try {
      seconds = Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw lines.error("timestamp is not a whole number of seconds: '" + raw + "'");
    }
    if (seconds < 0) {
      throw lines.error("timestamp is negative: '" + raw + "'");
    }
    try {
      return Math.multiplyExact(seconds, 1000L);
    } catch (ArithmeticException e) {
      throw lines.error("timestamp is out of range: '" + raw + "'");
    }
  }

  // ---------------------------------------------------------------- items

  /** Reads {@code u.genre}: {@code name|index} lines, indexes 0..n-1 in any order. */
  static List<String> readUGenre(Path file) {
    Map<Integer, String> byIndex = new HashMap<>();
    String[] fields = new String[2];
    try (Lines lines = new Lines(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = lines.next()) != null) {
        int n = split(line, "|", fields);
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
    try (Lines lines = new Lines(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = lines.next()) != null) {
        int n = split(line, "|", fields);
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
  private static Integer releaseYear(String raw, Lines lines) {
    String date = raw.strip();
    if (date.isEmpty()) {
      return null;
    }
    int dash = date.lastIndexOf('-');
    String year = date.substring(dash + 1);
    if (year.length() != 4 || !allDigits(year)) {
      throw lines.error("release date is not like 01-Jan-1995: '" + raw + "'");
    }
    return Integer.valueOf(year);
  }

  /** Reads {@code movies.dat}: {@code MovieID::Title::Genres}. */
  static Map<String, ItemInfo> readMoviesDat(Path file) {
    String[] fields = new String[3];
    Map<String, ItemInfo> items = new LinkedHashMap<>();
    try (Lines lines = new Lines(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = lines.next()) != null) {
        int n = split(line, "::", fields);
        if (n != 3) {
          throw lines.error("expected 3 '::'-separated fields, found " + n);
        }
        addMovie(items, fields[0], fields[1], fields[2], lines, lines.number());
      }
    }
    return items;
  }

  /** Reads {@code movies.csv}: header {@code movieId,title,genres}, RFC 4180 quoting. */
  static Map<String, ItemInfo> readMoviesCsv(Path file) {
    Map<String, ItemInfo> items = new LinkedHashMap<>();
    try (Lines lines = new Lines(file, StandardCharsets.UTF_8)) {
      String line = lines.next();
      if (line == null) {
        throw new DataFormatException(
            file, 1, "empty file, expected the header " + String.join(",", MOVIES_HEADER));
      }
      List<String> header = parseCsvLine(line, lines);
      header.replaceAll(String::strip);
      if (!header.equals(MOVIES_HEADER)) {
        throw lines.error(
            "expected the header " + String.join(",", MOVIES_HEADER) + ", found '" + line + "'");
      }
      while ((line = lines.next()) != null) {
        int start = lines.number();
        List<String> fields = parseCsvLine(line, lines);
        if (fields.size() != 3) {
          throw new DataFormatException(
              file, start, "expected 3 comma-separated fields, found " + fields.size());
        }
        addMovie(items, fields.get(0), fields.get(1), fields.get(2), lines, start);
      }
    }
    return items;
  }

  private static void addMovie(
      Map<String, ItemInfo> items,
      String rawId,
      String rawTitle,
      String rawGenres,
      Lines lines,
      int line) {
    String id = rawId.strip();
    if (id.isEmpty()) {
      throw new DataFormatException(lines.file, line, "empty movie id");
    }
    String title = rawTitle.strip();
    ItemInfo info = new ItemInfo(id, title, genres(rawGenres), titleYear(title));
    if (items.putIfAbsent(id, info) != null) {
      throw new DataFormatException(lines.file, line, "movie id " + id + " is listed twice");
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
      if (allDigits(year)) {
        return Integer.valueOf(year);
      }
    }
    return null;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /**
   * Parses one RFC 4180 record that starts with {@code line}; a quoted field may span several
   * lines, which are then taken from {@code lines}. Doubled quotes inside quotes stand for one.
   */
  static List<String> parseCsvLine(String line, Lines lines) {
    int startLine = lines.number();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean inQuotes = false;
    boolean fieldStart = true;
    String current = line;
    int i = 0;
    while (true) {
      if (i == current.length()) {
        if (inQuotes) {
          String next = lines.nextRaw();
          if (next == null) {
            throw new DataFormatException(
                lines.file, startLine, "a quoted field is not closed before the end of the file");
          }
          field.append('\n');
          current = next;
          i = 0;
          continue;
        }
        fields.add(field.toString());
        return fields;
      }
      char c = current.charAt(i++);
      if (inQuotes) {
        if (c != '"') {
          field.append(c);
        } else if (i < current.length() && current.charAt(i) == '"') {
          field.append('"');
          i++;
        } else {
          inQuotes = false;
          if (i < current.length() && current.charAt(i) != ',') {
            throw lines.error(
                "unexpected '"
                    + current.charAt(i)
                    + "' after the closing quote of field "
                    + (fields.size() + 1));
          }
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        fieldStart = true;
        continue;
      } else if (c == '"' && fieldStart) {
        inQuotes = true;
      } else {
        field.append(c);
      }
      fieldStart = false;
    }
  }

  // ---------------------------------------------------------------- reading lines

  /**
   * The lines of a text file, gzipped or not (told by the gzip magic bytes), with 1-based line
   * numbers. {@link #next()} skips blank lines at the end of the file but rejects a blank line
   * followed by more data.
   */
  static final class Lines implements Closeable {
    final Path file;
    private final BufferedReader reader;
    private final Charset charset;
    private final boolean checkDecoding;
    private int number;
    private int firstBlank;

    Lines(Path file, Charset charset) {
      this.file = file;
      this.charset = charset;
      // ISO-8859-1 maps every byte; for other charsets a bad byte becomes U+FFFD, reported with
      // its line number (the decoder itself works on whole buffers and cannot tell the line).
      this.checkDecoding = !charset.equals(StandardCharsets.ISO_8859_1);
      this.reader = open(file, charset);
    }

    private static BufferedReader open(Path file, Charset charset) {
      InputStream raw;
      try {
        raw = Files.newInputStream(file);
      } catch (NoSuchFileException e) {
        throw new DataFormatException(file, "file not found", e);
      } catch (AccessDeniedException e) {
        throw new DataFormatException(file, "permission denied", e);
      } catch (IOException e) {
        throw new DataFormatException(file, "cannot open: " + e, e);
      }
      try {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        if (!gzip && file.getFileName().toString().endsWith(".gz")) {
          throw new DataFormatException(file, "the name ends in .gz but it is not gzip data", null);
        }
        InputStream data = gzip ? new GZIPInputStream(in, 1 << 16) : in;
        return new BufferedReader(
            new InputStreamReader(
                data,
                charset
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)),
            1 << 16);
      } catch (IOException | RuntimeException e) {
        try {
          raw.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof DataFormatException) {
          throw (DataFormatException) e;
        }
        throw new DataFormatException(file, "cannot read: " + e, e);
      }
    }

    /** The number of the line returned last (1-based), 0 before the first. */
    int number() {
      return number;
    }

    /** The next line that is not blank, or null at the end. */
    String next() {
      while (true) {
        String line = nextRaw();
        if (line == null) {
          return null;
        }
        if (line.isEmpty() || (Character.isWhitespace(line.charAt(0)) && line.isBlank())) {
          if (firstBlank == 0) {
            firstBlank = number;
          }
          continue;
        }
        if (firstBlank != 0) {
          throw new DataFormatException(file, firstBlank, "blank line before the end of the file");
        }
        return line;
      }
    }

    /** The next line as it is, or null at the end. */
    String nextRaw() {
      String line;
      try {
        line = reader.readLine();
      } catch (IOException e) {
        throw new DataFormatException(file, number + 1, "cannot read: " + e, e);
      }
      if (line == null) {
        return null;
      }
      number++;
      if (checkDecoding && line.indexOf('\uFFFD') >= 0) {
        throw new DataFormatException(
            file, number, "bytes that are not valid " + charset.name() + " text");
      }
      if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1); // byte order mark
      }
      return line;
    }

    DataFormatException error(String problem) {
      return new DataFormatException(file, number, problem);
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (IOException e) {
        // Nothing was written; a failed close of an input file loses nothing.
      }
    }
  }
}
