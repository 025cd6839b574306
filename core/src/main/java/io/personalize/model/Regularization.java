package io.personalize.model;

/**
 * L2 strengths of the per-event objective. Only the parameters an event touches are regularized
 * (the usual lazy form of SGD over sparse data), so the per-event objective is
 *
 * <pre>
 *   loss + bias/2 (b_u^2 + b_i^2) + factor/2 (|q_u|^2 + |p_i|^2)
 *        + feature/2 sum_{j in x} w_j^2 + personalFeature/2 sum_{j in x} w_uj^2
 * </pre>
 *
 * where b_u and q_u are measured from an anchor when one is given (the pull toward the global row
 * of multi-task learning). {@code personalFeature} is the pull of the user's effective weights w +
 * w_u toward the global w.
 */
public record Regularization(double bias, double factor, double feature, double personalFeature)
    implements java.io.Serializable {
  public Regularization {
    if (!(bias >= 0 && factor >= 0 && feature >= 0 && personalFeature >= 0)) {
      throw new IllegalArgumentException(
          "regularization strengths must be >= 0: "
              + bias
              + ", "
              + factor
              + ", "
              + feature
              + ", "
              + personalFeature);
    }
  }

  public Regularization withPersonalFeature(double strength) {
    return new Regularization(bias, factor, feature, strength);
  }
}
