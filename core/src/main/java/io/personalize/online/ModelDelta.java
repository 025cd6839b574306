package io.personalize.online;

import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.util.VersionedDelta;

/**
 * One versioned, sparse change of the shared block, closed by the {@link GlobalModel} and applied
 * by every {@link SharedReplica}: the plain-Java form of the Avro {@code GradientCheckpoint} (the
 * connectors convert between the two). Items are listed by id, as parallel arrays; factor deltas
 * are floats, flattened item by item ({@code factors} per item).
 *
 * <p>A POJO of arrays, so that Flink keeps it in state and on the broadcast channel without Kryo.
 */
public class ModelDelta implements VersionedDelta {
  /** The model kind's name (MF, LOGISTIC, HYBRID); a replica applies only deltas of its kind. */
  public String modelKind;

  /**
   * What the model learns: {@link #RATING} (squared loss) or {@link #RANKING} (the "will interact"
   * model, logistic loss); a replica applies only deltas of its own objective and kind.
   */
  public String objective = RATING;

  public static final String RATING = "RATING";
  public static final String RANKING = "RANKING";

  /** The objective of a model: a logistic model predicts interactions, the others ratings. */
  public static String objectiveOf(ModelConfig config) {
    return config.loss() == Loss.LOGISTIC ? RANKING : RATING;
  }

  public long version;

  /** The version this delta applies on top of; a replica at another version has missed one. */
  public long previousVersion;

  public long createdAtMillis;

  /** Events the global model had learned when this delta was closed (cumulative). */
  public long eventsCovered;

  /** The latest event time among the events covered; a replica applies the delta after it. */
  public long maxEventTimeMillis;

  public int factors;
  public int featureDimension;
  public double meanDelta;

  public String[] itemIds = new String[0];
  public double[] itemBiasDeltas = new double[0];

  /** Item {@code n}'s factor deltas at {@code [n * factors, (n + 1) * factors)}. */
  public float[] itemFactorDeltas = new float[0];

  /** Events on each item since the previous delta (its popularity count). */
  public long[] itemCountDeltas = new long[0];

  public int[] featureIndices = new int[0];
  public double[] featureDeltas = new double[0];

  /**
   * What the global model has learned from the stream as of this delta (step multipliers, a new
   * user's initial row): the per-user side steps with it. Null from a sender that learns nothing.
   */
  public io.personalize.model.LearnedSettings settings;

  public ModelDelta() {}

  @Override
  public long version() {
    return version;
  }

  @Override
  public long previousVersion() {
    return previousVersion;
  }

  @Override
  public long maxEventTimeMillis() {
    return maxEventTimeMillis;
  }

  public int items() {
    return itemIds.length;
  }

  @Override
  public String toString() {
    return modelKind
        + " delta v"
        + previousVersion
        + "->v"
        + version
        + " ("
        + itemIds.length
        + " items, "
        + featureIndices.length
        + " weights, events <= "
        + maxEventTimeMillis
        + ")";
  }
}
