package io.personalize.util;

import java.time.Duration;

/** Durations as a person writes them, in the form Flink's settings take ("365 d", "10 min"). */
public final class Durations {
  private Durations() {}

  /**
   * The duration in its largest whole unit: "365 d", "36 h", "10 min", "30 s", else milliseconds
   * ("1500 ms"). A log line's PT8760H said less to an operator than the setting's own form.
   */
  public static String show(Duration d) {
    long millis = d.toMillis();
    if (millis == 0) {
      return "0 ms";
    }
    if (millis % 86_400_000L == 0) {
      return d.toDays() + " d";
    }
    if (millis % 3_600_000L == 0) {
      return d.toHours() + " h";
    }
    if (millis % 60_000L == 0) {
      return d.toMinutes() + " min";
    }
    if (millis % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return millis + " ms";
  }
}
