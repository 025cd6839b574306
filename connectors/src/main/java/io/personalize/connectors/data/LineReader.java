package io.personalize.connectors.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The lines of a text file (opened by {@link TextFiles}) with 1-based line numbers, for error
 * messages that name the file and the line. {@link #next()} skips blank lines at the end of the
 * file but rejects a blank line followed by more data; a byte order mark at the start is dropped;
 * text that is not valid in the charset is an error on its line.
 */
final class LineReader implements Closeable {
  private final Path file;
  private final BufferedReader reader;
  private final Charset charset;
  private final boolean checkDecoding;
  private int number;
  private int firstBlank;

  LineReader(Path file, Charset charset) {
    this.file = file;
    this.charset = charset;
    // ISO-8859-1 maps every byte; in other charsets a bad byte becomes U+FFFD.
    this.checkDecoding = !charset.equals(StandardCharsets.ISO_8859_1);
    this.reader = TextFiles.open(file, charset);
  }

  /** The file being read. */
  Path file() {
    return file;
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

  /** A problem on the line returned last. */
  DataFormatException error(String problem) {
    return new DataFormatException(file, number, problem);
  }

  /** A problem on line {@code line}, e.g. where a record that spans several lines started. */
  DataFormatException error(int line, String problem) {
    return new DataFormatException(file, line, problem);
  }

  /**
   * Reads the first line, which must be {@code header} (surrounding white space aside); a tab is
   * shown as {@code \t} in the error.
   *
   * @throws DataFormatException when the file is empty or its first line is another
   */
  void expectHeader(String header) {
    String line = next();
    String wanted = header.replace("\t", "\\t");
    if (line == null) {
      throw new DataFormatException(file, 1, "empty file, expected the header " + wanted);
    }
    if (!line.strip().equals(header)) {
      throw error("expected the header " + wanted + ", found '" + line.replace("\t", "\\t") + "'");
    }
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
