package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a ratings file, {@code user item rating timestamp} per line in the {@link RatingsFormat} of
 * its layout. Timestamps are converted from seconds to milliseconds; interactions keep the file
 * order. A malformed line (wrong number of fields, an empty id, a rating that is not a finite
 * number within the layout's scale, a timestamp that is not a whole, non-negative number of
 * seconds) throws a {@link DataFormatException} naming the file and the line.
 */
final class RatingsFile {
  private static final int FIELDS = 4;

  private RatingsFile() {}

  static List<Interaction> read(Path file, RatingsFormat format) {
    Map<String, String> userIds = new HashMap<>();
    Map<String, String> itemIds = new HashMap<>();
    List<Interaction> out = new ArrayList<>();
    String[] fields = new String[FIELDS];
    try (LineReader lines = new LineReader(file, format.charset())) {
      if (format.csv()) {
        CsvLineParser.expectHeader(lines.next(), lines, format.header());
      }
      String line;
      while ((line = lines.next()) != null) {
        int n;
        if (format.csv() && line.indexOf('"') >= 0) {
          List<String> parsed = CsvLineParser.parse(line, lines);
          n = parsed.size();
          for (int i = 0; i < Math.min(n, FIELDS); i++) {
            fields[i] = parsed.get(i);
          }
        } else {
          n = Fields.split(line, format.separator(), fields);
        }
        if (n != FIELDS) {
          throw lines.error(
              "expected " + FIELDS + " " + format.separatorName() + " fields, found " + n);
        }
        String user = Fields.id(fields[0], "user id", lines, userIds);
        String item = Fields.id(fields[1], "item id", lines, itemIds);
        double value = rating(fields[2], format, lines);
        long millis = secondsToMillis(fields[3], lines);
        out.add(new Interaction(user, item, value, millis));
      }
    }
    return out;
  }

  static double rating(String raw, RatingsFormat format, LineReader lines) {
    double value = number(raw, lines);
    RatingScale scale = format.scale();
    if (!scale.contains(value)) {
      throw lines.error(
          "rating is outside the scale "
              + show(scale.min())
              + ".."
              + show(scale.max())
              + " of "
              + format.layout()
              + ": '"
              + raw
              + "'");
    }
    return value;
  }

  private static double number(String raw, LineReader lines) {
    int length = raw.length();
    // Fast paths for "4" and "4.5", exact (an integer divided by 10 is correctly rounded).
    if (length == 1 && Fields.isDigit(raw.charAt(0))) {
      return raw.charAt(0) - '0';
    }
    if (length == 3
        && Fields.isDigit(raw.charAt(0))
        && raw.charAt(1) == '.'
        && Fields.isDigit(raw.charAt(2))) {
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

  /** 1.0 as "1", 0.5 as "0.5". */
  static String show(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static long secondsToMillis(String raw, LineReader lines) {
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
}
