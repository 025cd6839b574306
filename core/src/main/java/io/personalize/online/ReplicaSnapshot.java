package io.personalize.online;

import java.util.ArrayList;
import java.util.List;

/**
 * A replica as stored in a Flink checkpoint (operator union state): the applied shared block, the
 * checkpoints still queued, and the item metadata features. A POJO of arrays; the queued
 * checkpoints are Avro records.
 */
public class ReplicaSnapshot {
  public long version;
  public long gaps;
  public double mean;
  public double[] featureWeights = new double[0];
  public String[] itemIds = new String[0];
  public double[] itemBias = new double[0];
  public double[] itemFactors = new double[0];
  public long[] itemCounts = new long[0];
  public int[][] descriptionIndices = new int[0][];
  public double[][] descriptionValues = new double[0][];
  public List<ModelDelta> pending = new ArrayList<>();

  /** The learned settings of the last applied checkpoint; null when none said any. */
  public io.personalize.model.LearnedSettings settings;

  public ReplicaSnapshot() {}
}
