package io.personalize.connectors.data;

import java.util.Map;

/** Splitting a line at a separator, and checks of the fields' text. */
final class Fields {
  private Fields() {}

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

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether {@code s} is one or more ASCII digits. */
  static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /**
   * The id, the same String object for equal ids (the data sets repeat them a lot).
   *
   * @param what the id's name in the error, e.g. {@code "user id"}
   * @throws DataFormatException when {@code raw} is blank
   */
  static String id(String raw, String what, LineReader lines, Map<String, String> cache) {
    if (raw.isBlank()) {
      throw lines.error("empty " + what);
    }
    String existing = cache.putIfAbsent(raw, raw);
    return existing == null ? raw : existing;
  }
}
