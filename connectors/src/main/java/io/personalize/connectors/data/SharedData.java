package io.personalize.connectors.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the project's shared real data sets, which live in {@code shared/data/} beside the
 * repository (so {@code ../shared/data/<name>} from the repository root and {@code
 * ../../shared/data/<name>} from a module directory). They are only ever read from there.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * Walks up from the working directory ({@code user.dir}) and returns the first existing {@code
   * shared/data/<datasetDirName>}, normalized; empty when there is none.
   *
   * @param datasetDirName a directory name such as {@code "ml-100k"}
   */
  public static Optional<Path> find(String datasetDirName) {
    return find(datasetDirName, Path.of(System.getProperty("user.dir")));
  }

  /** As {@link #find(String)}, but walks up from {@code start}. */
  static Optional<Path> find(String datasetDirName, Path start) {
    if (datasetDirName == null
        || datasetDirName.isBlank()
        || datasetDirName.contains("..")
        || Path.of(datasetDirName).isAbsolute()) {
      throw new IllegalArgumentException("not a data set directory name: " + datasetDirName);
    }
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve(datasetDirName);
      if (Files.exists(candidate)) {
        return Optional.of(candidate.normalize());
      }
    }
    return Optional.empty();
  }

  /**
   * The data sets of the first {@code shared/data} up from the working directory, by name, sorted;
   * empty when there is none: what a message about a name that is not there can offer instead.
   */
  public static List<String> names() {
    return names(Path.of(System.getProperty("user.dir")));
  }

  static List<String> names(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path data = dir.resolve("shared").resolve("data");
      if (Files.isDirectory(data)) {
        try (Stream<Path> entries = Files.list(data)) {
          return entries
              .filter(Files::isDirectory)
              .map(entry -> entry.getFileName().toString())
              .sorted()
              .toList();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return List.of();
  }
}
