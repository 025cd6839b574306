package io.personalize.recommend;

import java.util.Arrays;

/**
 * How a list of recommendations is made. Every kind fills what it cannot fill itself with recent
 * popularity, so every list is as long as the catalog allows.
 */
public enum RecommenderKind {
  /** The most popular items the user has not touched (recent popularity). */
  POPULARITY("popularity"),
  /** The random walks' best candidates, by walk score. */
  WALKS("walks"),
  /** The ranking model over the whole catalog: no candidate stage. */
  PERSONAL("personal"),
  /** The walks' candidates ranked by the user's ranking model. */
  WALKS_RANK("walks+rank"),
  /** As {@link #WALKS_RANK}, then re-ranked by Maximal Marginal Relevance for diversity. */
  WALKS_RANK_MMR("walks+rank+mmr");

  private final String label;

  RecommenderKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean usesWalks() {
    return this == WALKS || this == WALKS_RANK || this == WALKS_RANK_MMR;
  }

  public boolean usesModel() {
    return this == PERSONAL || this == WALKS_RANK || this == WALKS_RANK_MMR;
  }

  /** Reads a label ("walks+rank") or a constant name ("WALKS_RANK"), in any case. */
  public static RecommenderKind parse(String text) {
    for (RecommenderKind kind : values()) {
      if (kind.label.equalsIgnoreCase(text.trim()) || kind.name().equalsIgnoreCase(text.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown recommender '"
            + text
            + "': expected one of "
            + Arrays.stream(values()).map(RecommenderKind::label).toList());
  }

  @Override
  public String toString() {
    return label;
  }
}
