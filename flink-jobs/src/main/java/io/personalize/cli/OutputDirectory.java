package io.personalize.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A command's output directory, made before its work: a long run must not fail at its end. */
final class OutputDirectory {
  private OutputDirectory() {}

  /**
   * Creates {@code dir} (and its parents) now.
   *
   * @throws IllegalArgumentException in one line, naming the directory, when it cannot be made
   */
  static Path create(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the output directory " + dir + " (--out): " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "the file system has no such place";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason(); // "Not a directory", "Read-only file system", ...
    }
    return e.toString();
  }
}
