package io.personalize.connectors.data;

import io.personalize.model.EventKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DIGINETICA item views (CIKM Cup 2016): {@code train-item-views.csv}, or a sample of it such
 * as SR-GNN's {@code sample_train-item-views.csv}; {@code ;}-separated with the header {@code
 * session_id;user_id;item_id;timeframe;eventdate}, {@code user_id} {@code NA} for an anonymous
 * user, {@code timeframe} in whole milliseconds, {@code eventdate} as {@code YYYY-MM-DD}.
 *
 * <p>Every line is a {@link EventKind#VIEW VIEW} of value 1.0 by its session, which is its own user
 * ({@link Interaction#inSession}): the {@code user_id} column is checked to be present but not
 * used. The time is the event date's midnight UTC plus the timeframe, as the session-based
 * recommendation frameworks (session-rec, after STAMP) compute it. The timeframe counts from the
 * session's first event, not from midnight (the sample's largest is 1,199,958 ms, 20 minutes), so
 * these times order a session's events correctly but put every session of a day into that day's
 * first minutes; the events of a session that runs past midnight (2 of the sample's 2,986) lie a
 * day apart on either side of it.
 *
 * <p>The data set keeps the file order (by session, not by time within a session) and has no split
 * of its own ({@link SessionSplits#lastDays} makes one), no item file, and the scale {@link
 * Dataset#IMPLICIT}.
 */
final class DigineticaLayout {
  static final String LAYOUT = "diginetica";
  static final String FILE_SUFFIX = "train-item-views.csv";
  static final String HEADER = "session_id;user_id;item_id;timeframe;eventdate";

  private static final int FIELDS = 5;
  private static final long DAY_MILLIS = 86_400_000L;

  private DigineticaLayout() {}

  /**
   * The item views file in {@code dir}, or null when there is none.
   *
   * @throws DataFormatException when there are several
   */
  static Path find(Path dir) {
    List<Path> found = DataSetReader.filesMatching(dir, "*" + FILE_SUFFIX);
    if (found.size() > 1) {
      throw DataSetReader.several(dir, "item views files", found);
    }
    return found.isEmpty() ? null : found.get(0);
  }

  static Dataset read(String name, Path file) {
    Map<String, String> sessions = new HashMap<>();
    Map<String, String> items = new HashMap<>();
    List<Interaction> views = new ArrayList<>();
    String[] fields = new String[FIELDS];
    try (LineReader lines = new LineReader(file, StandardCharsets.UTF_8)) {
      lines.expectHeader(HEADER);
      String line;
      while ((line = lines.next()) != null) {
        int n = Fields.split(line, ";", fields);
        if (n != FIELDS) {
          throw lines.error(
              "expected "
                  + FIELDS
                  + " ';'-separated fields (session_id, user_id, item_id, timeframe, eventdate),"
                  + " found "
                  + n);
        }
        String session = Fields.id(fields[0], "session id", lines, sessions);
        if (fields[1].isBlank()) {
          throw lines.error("empty user id (NA for an anonymous user)");
        }
        String item = Fields.id(fields[2], "item id", lines, items);
        long millis = time(fields[4], fields[3], lines);
        views.add(Interaction.inSession(session, item, EventKind.VIEW, millis));
      }
    }
    return new Dataset(name, LAYOUT, views, Map.of(), Dataset.IMPLICIT);
  }

  /** {@code 2016-05-09} and {@code 526309} give 1462752000000 + 526309 = 1462752526309. */
  static long time(String eventDate, String timeframe, LineReader lines) {
    LocalDate date;
    try {
      date = LocalDate.parse(eventDate.strip(), DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw lines.error("eventdate is not a date like 2016-05-09: '" + eventDate + "'");
    }
    String frame = timeframe.strip();
    if (!Fields.allDigits(frame)) {
      throw lines.error(
          "timeframe is not a whole, non-negative number of milliseconds: '" + timeframe + "'");
    }
    long millis;
    try {
      millis =
          Math.addExact(Math.multiplyExact(date.toEpochDay(), DAY_MILLIS), Long.parseLong(frame));
    } catch (NumberFormatException | ArithmeticException e) {
      throw lines.error("time is out of range: " + eventDate + " + " + timeframe + " ms");
    }
    if (millis < 0) {
      throw lines.error("eventdate is before 1970: '" + eventDate + "'");
    }
    return millis;
  }
}
