package io.personalize.eval;

/** How events are split into what a model learns from and what it is scored on. */
public enum Protocol {
  /** Seeded random 80/20 split of all events; rating metrics. */
  BATCH("batch"),
  /** Each user's last 20% of events by time is the test part. */
  USER_SPLIT("user-split"),
  /** All events in time order, each predicted before it is learned, one pass. */
  PREQUENTIAL("prequential"),
  /**
   * Top-N: each user's last event by time is held out, the ranking model learns the rest, and each
   * recommender's list is scored against the held-out item (sampled and full HR@10, nDCG@10).
   */
  LEAVE_LAST_OUT("leave-last-out"),
  /**
   * Top-N, in the job's order: per event in time order the user's current list is checked against
   * the event's item, then the event is learned, then the list is recomputed when due.
   */
  PREQUENTIAL_TOPN("prequential-topn"),
  /**
   * Top-N for session data: learn the training part, then predict each test session's next item
   * from every prefix of it (HR@20, MRR@20).
   */
  SESSION("session");

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

  /** Whether it scores recommendation lists (the ranking model) rather than ratings. */
  public boolean isTopN() {
    return this == LEAVE_LAST_OUT || this == PREQUENTIAL_TOPN || this == SESSION;
  }

  public static Protocol parse(String text) {
    for (Protocol p : values()) {
      if (p.label.equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '"
            + text
            + "': expected batch, user-split, prequential, leave-last-out, prequential-topn or"
            + " session");
  }
}
