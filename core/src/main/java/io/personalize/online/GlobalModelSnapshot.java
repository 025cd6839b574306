package io.personalize.online;

/**
 * The global model as stored in a Flink checkpoint: a POJO of arrays (no Kryo). Items and users are
 * listed by id; factors are flattened row by row.
 */
public class GlobalModelSnapshot {
  public long version;
  public long eventsLearned;
  public long eventsSinceCheckpoint;
  public long maxEventTimeMillis;
  public double mean;
  public double publishedMean;
  public double[] featureWeights = new double[0];
  public double[] publishedFeatureWeights = new double[0];
  public String[] itemIds = new String[0];
  public double[] itemBias = new double[0];
  public double[] publishedItemBias = new double[0];
  public double[] itemFactors = new double[0];
  public double[] publishedItemFactors = new double[0];
  public long[] itemCounts = new long[0];
  public long[] pendingCounts = new long[0];
  public int[][] descriptionIndices = new int[0][];
  public double[][] descriptionValues = new double[0][];
  public String[] userIds = new String[0];
  public double[] userBias = new double[0];
  public double[] userFactors = new double[0];

  /** Each user's learned events (which decide the user's early steps). */
  public long[] userEvents = new long[0];

  /** What the model learned from the stream; null in a snapshot taken before it did. */
  public io.personalize.model.LearnedSettings learned;

  public long tunerEvents;
  public double[] earlyLosses = new double[0];
  public long earlyEvents;

  public GlobalModelSnapshot() {}
}
