package io.personalize.util;

/** Error messages for one line of a command's output. */
public final class Messages {
  private Messages() {}

  /**
   * The messages of an exception and its causes on one line, each once: a library's wrapped error
   * (Kafka's config error, a YAML parser's place) without its stack trace.
   */
  public static String oneLine(Throwable e) {
    StringBuilder line = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (line.indexOf(message) < 0) {
        line.append(line.length() == 0 ? "" : ": ").append(message);
      }
    }
    return line.toString().strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
