package io.personalize.job;

/**
 * The event counts a subtask's negative sampler has seen, by item id: operator state of {@link
 * UserSequenceFunction}. A POJO of arrays.
 */
public class NegativeSamplerState {
  public String[] itemIds = new String[0];
  public long[] counts = new long[0];

  public NegativeSamplerState() {}
}
