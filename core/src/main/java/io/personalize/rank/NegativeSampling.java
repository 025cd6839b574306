package io.personalize.rank;

import java.util.Locale;

/**
 * How negatives are drawn: from the popularity distribution (probability proportional to
 * count^exponent) with probability {@code popularityShare}, else uniformly over the known items.
 * Share 0 is uniform sampling, 1 popularity sampling, anything between the mixed kind.
 *
 * <p>Uniform negatives are mostly items nobody wants, easy to rank below the positive; popular
 * negatives are the items a model that only learned popularity would rank high, so they correct the
 * popularity bias of the positives. The exponent 0.75 is word2vec's: between the two.
 *
 * @param popularityShare the share of draws by popularity, in [0, 1]
 * @param exponent the exponent of the counts, >= 0
 */
public record NegativeSampling(double popularityShare, double exponent)
    implements java.io.Serializable {
  public static final double DEFAULT_EXPONENT = 0.75;

  /** The popularity share of {@code mixed} when none is given. */
  public static final double DEFAULT_MIXED_SHARE = 0.5;

  public NegativeSampling {
    if (!(popularityShare >= 0 && popularityShare <= 1)) {
      throw new IllegalArgumentException(
          "popularity share must be in [0, 1], was " + popularityShare);
    }
    if (!(exponent >= 0 && exponent < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("exponent must be finite and >= 0, was " + exponent);
    }
  }

  public static NegativeSampling uniform() {
    return new NegativeSampling(0, DEFAULT_EXPONENT);
  }

  public static NegativeSampling popularity() {
    return new NegativeSampling(1, DEFAULT_EXPONENT);
  }

  public static NegativeSampling mixed(double popularityShare) {
    return new NegativeSampling(popularityShare, DEFAULT_EXPONENT);
  }

  /** Parses "uniform", "popularity", "mixed" or "mixed:SHARE" (any case), exponent 0.75. */
  public static NegativeSampling parse(String text) {
    String name = text.trim().toLowerCase(Locale.ROOT);
    if (name.equals("uniform")) {
      return uniform();
    }
    if (name.equals("popularity")) {
      return popularity();
    }
    if (name.equals("mixed")) {
      return mixed(DEFAULT_MIXED_SHARE);
    }
    if (name.startsWith("mixed:")) {
      try {
        return mixed(Double.parseDouble(name.substring("mixed:".length())));
      } catch (NumberFormatException e) {
        // reported below with the accepted forms
      }
    }
    throw new IllegalArgumentException(
        "unknown negative sampling '"
            + text
            + "': expected uniform, popularity, mixed or mixed:SHARE (SHARE in [0, 1])");
  }

  /** The form {@link #parse} reads (the exponent aside). */
  @Override
  public String toString() {
    if (popularityShare == 0) {
      return "uniform";
    }
    if (popularityShare == 1) {
      return "popularity";
    }
    return "mixed:" + popularityShare;
  }
}
