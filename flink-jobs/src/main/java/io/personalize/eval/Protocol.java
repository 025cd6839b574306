package io.personalize.eval;

/** How events are split into what a model learns from and what it is scored on. */
public enum Protocol {
  /** Seeded random 80/20 split of all events; rating metrics. */
  BATCH("batch"),
  /** Each user's last 20% of events by time is the test part. */
  USER_SPLIT("user-split"),
  /** All events in time order, each predicted before it is learned, one pass. */
  PREQUENTIAL("prequential");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isStream() {
    return this == PREQUENTIAL;
  }

  public static Protocol parse(String text) {
    for (Protocol p : values()) {
      if (p.label.equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '" + text + "': expected batch, user-split or prequential");
  }
}
