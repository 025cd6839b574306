package io.personalize.connectors.data;

import java.nio.file.Path;

/**
 * A data file is missing, unreadable or malformed. The message names the file and, for a bad line,
 * its 1-based line number, e.g. {@code u.data line 17: expected 4 tab-separated fields, found 3}.
 */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;

  /** A problem on one line of {@code file}; {@code line} is 1-based. */
  public DataFormatException(Path file, int line, String problem) {
    super(name(file) + " line " + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** A problem on one line of {@code file}, caused by {@code cause}. */
  public DataFormatException(Path file, int line, String problem, Throwable cause) {
    super(name(file) + " line " + line + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  /** A problem with the file as a whole (missing, unreadable, not a known layout). */
  public DataFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.line = 0;
  }

  /** The file concerned. */
  public Path getFile() {
    return file;
  }

  /** The 1-based line number, or 0 when the problem is not on one line. */
  public int getLine() {
    return line;
  }

  private static String name(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }
}
