package io.personalize.connectors.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses RFC 4180 records: comma-separated fields, a field in double quotes may hold commas, line
 * breaks and doubled quotes (which stand for one).
 */
final class CsvLineParser {
  private CsvLineParser() {}

  /**
   * Parses the record that starts with {@code line}, the line {@code lines} returned last. A quoted
   * field may span several lines, which are then taken from {@code lines} (and joined with {@code
   * \n}).
   *
   * @return the fields, unmodified apart from the quoting; modifiable
   * @throws DataFormatException when a closing quote is followed by something other than a comma,
   *     or a quoted field is not closed before the end of the file (reported on the line where the
   *     record started)
   */
  static List<String> parse(String line, LineReader lines) {
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
            throw lines.error(startLine, "a quoted field is not closed before the end of the file");
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

  /**
   * Parses a header line and checks it: the names, stripped, must be {@code expected}.
   *
   * @param header the first line, or null when the file is empty
   */
  static void expectHeader(String header, LineReader lines, List<String> expected) {
    String wanted = String.join(",", expected);
    if (header == null) {
      throw lines.error(1, "empty file, expected the header " + wanted);
    }
    List<String> names = parse(header, lines);
    names.replaceAll(String::strip);
    if (!names.equals(expected)) {
      throw lines.error("expected the header " + wanted + ", found '" + header + "'");
    }
  }
}
