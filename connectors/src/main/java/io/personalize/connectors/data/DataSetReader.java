package io.personalize.connectors.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a data set in any layout the engine knows, told by the files a directory holds or by a
 * file's first line:
 *
 * <ul>
 *   <li>MovieLens ratings ({@code u.data}, {@code ratings.dat[.gz]}, {@code ratings.csv}): see
 *       {@link MovieLensReader}; {@link io.personalize.model.EventKind#RATING RATING} events.
 *   <li>yoochoose clicks as the session-rec framework prepares them ({@code NAME_train_full.txt}
 *       with {@code NAME_test.txt}): see {@link YoochooseLayout}; CLICK events, split into the
 *       training and the test file.
 *   <li>DIGINETICA item views ({@code *train-item-views.csv}): see {@link DigineticaLayout}; VIEW
 *       events. {@link SessionSplits} splits them for the session protocol.
 *   <li>CiaoDVD movie ratings ({@code movie-ratings.txt}): see {@link CiaoDvdLayout}; RATING
 *       events, the genre id an item feature, a repeated (user, movie) pair kept once.
 * </ul>
 *
 * <p>In the click and view data sets a session has no user: each session is its own user, its id
 * the user id. The data set's name is its directory's name.
 */
public final class DataSetReader {
  private DataSetReader() {}

  /**
   * Reads a data set.
   *
   * @param path a directory holding MovieLens ratings (looked for first, see {@link
   *     MovieLensReader#read}), else one yoochoose {@code *_train_full.txt} with its {@code
   *     *_test.txt} (both read, the training part first), else one {@code *train-item-views.csv};
   *     or one file of any of these layouts, read alone (a yoochoose file then has no test part)
   * @throws DataFormatException when a file is missing, unreadable or malformed, or the directory
   *     holds no data file of a known layout
   */
  public static Dataset read(Path path) {
    Objects.requireNonNull(path, "path");
    Path absolute = path.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      return readDirectory(absolute);
    }
    if (!Files.exists(absolute)) {
      throw new DataFormatException(path, "no such file or directory", null);
    }
    String header = firstLine(absolute);
    if (YoochooseLayout.HEADER.equals(header)) {
      return YoochooseLayout.readFile(nameOf(absolute), absolute);
    }
    if (DigineticaLayout.HEADER.equals(header)) {
      return DigineticaLayout.read(nameOf(absolute), absolute);
    }
    if (CiaoDvdLayout.isRatingsFile(absolute)) {
      return CiaoDvdLayout.read(nameOf(absolute), absolute);
    }
    return MovieLensReader.readRatings(absolute);
  }

  private static Dataset readDirectory(Path dir) {
    Path ratings = MovieLensReader.findRatings(dir);
    if (ratings != null) {
      return MovieLensReader.readRatings(ratings);
    }
    Path clicks = YoochooseLayout.findTraining(dir);
    if (clicks != null) {
      return YoochooseLayout.read(nameOf(clicks), clicks);
    }
    Path views = DigineticaLayout.find(dir);
    if (views != null) {
      return DigineticaLayout.read(nameOf(views), views);
    }
    Path ciao = CiaoDvdLayout.find(dir);
    if (ciao != null) {
      return CiaoDvdLayout.read(nameOf(ciao), ciao);
    }
    throw new DataFormatException(
        dir,
        "no ratings file or click log found (looked for the MovieLens "
            + MovieLensReader.RATINGS_FILES
            + "; the yoochoose *"
            + YoochooseLayout.TRAINING_SUFFIX
            + " with *"
            + YoochooseLayout.TEST_SUFFIX
            + "; the DIGINETICA *"
            + DigineticaLayout.FILE_SUFFIX
            + "; the CiaoDVD "
            + CiaoDvdLayout.FILE
            + ")",
        null);
  }

  /** The data set's name: the name of the file's directory. */
  static String nameOf(Path file) {
    Path dir = file.getParent();
    return dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
  }

  /** The regular files in {@code dir} whose names match {@code glob}, sorted by name. */
  static List<Path> filesMatching(Path dir, String glob) {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          found.add(entry);
        }
      }
    } catch (IOException e) {
      throw new DataFormatException(dir, "cannot list the directory: " + e, e);
    }
    found.sort(null);
    return found;
  }

  /** The error for a directory that holds several files of one kind where one is read. */
  static DataFormatException several(Path dir, String what, List<Path> files) {
    List<String> names = new ArrayList<>();
    files.forEach(p -> names.add(p.getFileName().toString()));
    return new DataFormatException(
        dir, "several " + what + " " + names + "; pass the one to read", null);
  }

  /** The file's first line that is not blank, or null when it has none. */
  private static String firstLine(Path file) {
    // ISO-8859-1 decodes any byte: the layout's own reader checks the charset.
    try (LineReader lines = new LineReader(file, StandardCharsets.ISO_8859_1)) {
      String line = lines.next();
      return line == null ? null : line.strip();
    }
  }
}
