package io.personalize.model;

/**
 * The personal block of one user: a bias b_u, factors q_u and a deviation w_u from the global
 * feature weights (the user's effective weights are w + w_u).
 *
 * <p>A row without feature weights (length 0) is the user row of a global model, which by
 * definition has no per-user feature weights.
 */
public final class PersonalParameters {
  public double bias;
  public final double[] factors;
  public final double[] featureWeights;

  public PersonalParameters(int factors, int featureDimension) {
    this.factors = new double[factors];
    this.featureWeights = new double[featureDimension];
  }

  /** A user's starting row: zero bias, deterministic factors, zero feature deviation. */
  public static PersonalParameters initial(
      int factors, int featureDimension, Initializer initializer, long user) {
    PersonalParameters row = new PersonalParameters(factors, featureDimension);
    initializer.fill(row.factors, 0, factors, user, Initializer.USER_STREAM);
    return row;
  }

  public boolean hasFeatureWeights() {
    return featureWeights.length > 0;
  }

  /** Copies bias and factors of {@code other}; feature weights are copied where both have them. */
  public void copyFrom(PersonalParameters other) {
    bias = other.bias;
    System.arraycopy(other.factors, 0, factors, 0, factors.length);
    if (other.featureWeights.length == featureWeights.length) {
      System.arraycopy(other.featureWeights, 0, featureWeights, 0, featureWeights.length);
    } else {
      java.util.Arrays.fill(featureWeights, 0);
    }
  }

  public PersonalParameters copy() {
    PersonalParameters copy = new PersonalParameters(factors.length, featureWeights.length);
    copy.copyFrom(this);
    return copy;
  }
}
