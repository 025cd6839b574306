package io.personalize.recommend;

/**
 * What a recommendation list is made of.
 *
 * @param kind the recommender
 * @param length K, the number of items in a list
 * @param candidates how many of the walks' best candidates the ranking model scores
 * @param mmrBeta Maximal Marginal Relevance's weight of diversity, in [0, 1]: each pick maximizes
 *     (1 - beta) * relevance - beta * max similarity to the items already picked (0 = ranking only)
 * @param mmrPool how many of the best-ranked candidates MMR picks the list from, >= length
 * @param excludeSeen whether items the user already interacted with are left out
 */
public record ListSettings(
    RecommenderKind kind,
    int length,
    int candidates,
    double mmrBeta,
    int mmrPool,
    boolean excludeSeen)
    implements java.io.Serializable {

  public ListSettings {
    if (kind == null) {
      throw new IllegalArgumentException("recommender kind is required");
    }
    if (length < 1) {
      throw new IllegalArgumentException("list length must be >= 1, was " + length);
    }
    if (candidates < length) {
      throw new IllegalArgumentException(
          "candidates (" + candidates + ") must be >= the list length (" + length + ")");
    }
    if (!(mmrBeta >= 0 && mmrBeta <= 1)) {
      throw new IllegalArgumentException("MMR beta must be in [0, 1], was " + mmrBeta);
    }
    if (mmrPool < length) {
      throw new IllegalArgumentException(
          "MMR pool (" + mmrPool + ") must be >= the list length (" + length + ")");
    }
  }

  public ListSettings withKind(RecommenderKind value) {
    return new ListSettings(value, length, candidates, mmrBeta, mmrPool, excludeSeen);
  }

  public ListSettings withLength(int value) {
    return new ListSettings(kind, value, candidates, mmrBeta, mmrPool, excludeSeen);
  }
}
