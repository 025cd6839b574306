package io.personalize.recommend;

/** Where an item of a recommendation list came from (the Avro {@code ScoredItem.source}). */
public enum ItemSource {
  /** Random walks from the user's recent items. */
  WALKS("walks"),
  /** Random walks from the "no item yet" node: what new users touch first. */
  NEW_USERS("new-users"),
  /** The ranking model over the whole catalog. */
  MODEL("model"),
  /** Recent popularity, the fallback that fills a list. */
  POPULARITY("popularity");

  private final String label;

  ItemSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
