package io.personalize.eval;

/** What the model learns: the rating itself, or the like-signal (rating >= threshold) as 0/1. */
public enum Target {
  RATING,
  LIKE;

  public static Target parse(String text) {
    for (Target t : values()) {
      if (t.name().equalsIgnoreCase(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown target '" + text + "': expected rating or like");
  }
}
