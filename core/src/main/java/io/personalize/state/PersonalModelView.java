package io.personalize.state;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user's personal model as queryable state: the personal block the user's group predicts with
 * (b_u, q_u, w_u). The shared block it combines with is the global model at {@link
 * #checkpointVersion}. A Flink POJO with no Flink imports.
 */
public class PersonalModelView {
  public String userId;
  public String modelKind;
  public long checkpointVersion;
  public double bias;
  public double[] factors = new double[0];

  /** Deviations of the user's feature weights from the global ones, by feature index. */
  public double[] featureWeights = new double[0];

  public PersonalModelView() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof PersonalModelView v
        && checkpointVersion == v.checkpointVersion
        && Double.compare(bias, v.bias) == 0
        && Objects.equals(userId, v.userId)
        && Objects.equals(modelKind, v.modelKind)
        && Arrays.equals(factors, v.factors)
        && Arrays.equals(featureWeights, v.featureWeights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, checkpointVersion, bias);
  }

  @Override
  public String toString() {
    return String.format(
        "%s model of user %s at checkpoint v%d: b_u=%.4f, |q_u|=%.4f, |w_u|=%.4f",
        modelKind, userId, checkpointVersion, bias, norm(factors), norm(featureWeights));
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
