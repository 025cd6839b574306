package io.personalize.graph;

/**
 * An item a walk reached, with its score (higher is better) and its index in the caller's item
 * index ({@link RandomWalks#candidates(String[], java.util.function.ToIntFunction,
 * java.util.function.IntPredicate, int, long)}), -1 when the walks were asked by id alone.
 */
public record Candidate(String item, double score, int index) {
  public Candidate(String item, double score) {
    this(item, score, -1);
  }
}
