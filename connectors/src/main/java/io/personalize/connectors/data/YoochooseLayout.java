package io.personalize.connectors.data;

import io.personalize.model.EventKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The yoochoose click sessions (RecSys Challenge 2015) as the session-rec framework prepares them:
 * a training file {@code NAME_train_full.txt} and a test file {@code NAME_test.txt} beside it (the
 * last day's sessions), each tab-separated with the header {@code SessionId ItemId Time}, {@code
 * Time} in Unix seconds with up to three decimals.
 *
 * <p>Every line is a {@link EventKind#CLICK CLICK} of value 1.0 by its session, which is its own
 * user ({@link Interaction#inSession}); its time is rounded to the millisecond (half up, exact for
 * up to three decimals). The data set lists the training file's clicks, then the test file's, each
 * in file order; {@link Dataset#testStart()} is the number of training clicks. There is no item
 * file, and the scale is {@link Dataset#IMPLICIT}.
 */
final class YoochooseLayout {
  static final String LAYOUT = "yoochoose";
  static final String TRAINING_SUFFIX = "_train_full.txt";
  static final String TEST_SUFFIX = "_test.txt";
  static final String HEADER = "SessionId\tItemId\tTime";

  private static final int FIELDS = 3;

  private YoochooseLayout() {}

  /**
   * The training file in {@code dir}, or null when there is none.
   *
   * @throws DataFormatException when there are several, or its test file is not beside it
   */
  static Path findTraining(Path dir) {
    List<Path> found = DataSetReader.filesMatching(dir, "*" + TRAINING_SUFFIX);
    if (found.isEmpty()) {
      return null;
    }
    if (found.size() > 1) {
      throw DataSetReader.several(dir, "yoochoose training files", found);
    }
    Path training = found.get(0);
    Path test = testFileOf(training);
    if (!Files.isRegularFile(test)) {
      throw new DataFormatException(
          dir,
          training.getFileName() + " has no test file " + test.getFileName() + " beside it",
          null);
    }
    return training;
  }

  /** Reads the training file and the test file beside it. */
  static Dataset read(String name, Path training) {
    Ids ids = new Ids();
    List<Interaction> clicks = new ArrayList<>();
    readClicks(training, clicks, ids);
    int testStart = clicks.size();
    readClicks(testFileOf(training), clicks, ids);
    return new Dataset(name, LAYOUT, clicks, Map.of(), Dataset.IMPLICIT, testStart);
  }

  /** Reads one file alone, training or test: a data set without a split of its own. */
  static Dataset readFile(String name, Path file) {
    List<Interaction> clicks = new ArrayList<>();
    readClicks(file, clicks, new Ids());
    return new Dataset(name, LAYOUT, clicks, Map.of(), Dataset.IMPLICIT);
  }

  private static Path testFileOf(Path training) {
    String name = training.getFileName().toString();
    String prefix = name.substring(0, name.length() - TRAINING_SUFFIX.length());
    return training.resolveSibling(prefix + TEST_SUFFIX);
  }

  private static void readClicks(Path file, List<Interaction> out, Ids ids) {
    String[] fields = new String[FIELDS];
    try (LineReader lines = new LineReader(file, StandardCharsets.UTF_8)) {
      lines.expectHeader(HEADER);
      String line;
      while ((line = lines.next()) != null) {
        int n = Fields.split(line, "\t", fields);
        if (n != FIELDS) {
          throw lines.error(
              "expected " + FIELDS + " tab-separated fields (SessionId, ItemId, Time), found " + n);
        }
        String session = Fields.id(fields[0], "session id", lines, ids.sessions);
        String item = Fields.id(fields[1], "item id", lines, ids.items);
        long millis = secondsToMillis(fields[2], lines);
        out.add(Interaction.inSession(session, item, EventKind.CLICK, millis));
      }
    }
  }

  /**
   * {@code 1396437466.94} gives 1396437466940: whole seconds and an optional fraction, rounded to
   * the millisecond half up.
   */
  static long secondsToMillis(String raw, LineReader lines) {
    String text = raw.strip();
    int dot = text.indexOf('.');
    String whole = dot < 0 ? text : text.substring(0, dot);
    String fraction = dot < 0 ? "" : text.substring(dot + 1);
    if (!Fields.allDigits(whole) || (dot >= 0 && !Fields.allDigits(fraction))) {
      throw lines.error(
          "time is not a non-negative number of seconds like 1396437466.94: '" + raw + "'");
    }
    long millis = 0;
    for (int i = 0; i < 3; i++) {
      millis = millis * 10 + (i < fraction.length() ? fraction.charAt(i) - '0' : 0);
    }
    if (fraction.length() > 3 && fraction.charAt(3) >= '5') {
      millis++;
    }
    try {
      return Math.addExact(Math.multiplyExact(Long.parseLong(whole), 1000L), millis);
    } catch (NumberFormatException | ArithmeticException e) {
      throw lines.error("time is out of range: '" + raw + "'");
    }
  }

  /** One String object per distinct id, shared by the training and the test file. */
  private static final class Ids {
    final Map<String, String> sessions = new HashMap<>();
    final Map<String, String> items = new HashMap<>();
  }
}
