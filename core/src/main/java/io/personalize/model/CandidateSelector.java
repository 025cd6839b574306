package io.personalize.model;

/**
 * Learns the per-group settings of the adaptive model from prequential loss: every candidate
 * setting runs for every user, each event adds every candidate's loss to the user's group, and a
 * group predicts with the candidate whose summed loss is lowest so far (follow the leader), so each
 * group ends about as good as its best candidate. Ties go to the lowest index: candidate 0 is the
 * default until evidence says otherwise.
 *
 * <p>With a reference candidate (the global row, "borrow everything"), the reference is the default
 * instead, and a group leaves it only for a candidate whose loss is lower by more than {@code
 * evidence} standard errors of the mean paired difference (per event, the candidate's loss minus
 * the reference's): a group whose evidence is thin, such as nine heavy users, stays with the global
 * model rather than follow noise.
 */
public final class CandidateSelector {
  private final int groups;
  private final int candidates;
  private final double[] lossSums;
  private final long[] events;
  private final double[] chosenLossSums;
  private final long[] chosenEvents;

  private final int reference;

  /** Standard errors by which a candidate must beat the reference to be chosen over it. */
  private final double evidence;

  /** Per group and candidate: sums of the paired differences to the reference, and of squares. */
  private final double[] differenceSums;

  private final double[] differenceSquares;

  /**
   * Clustered evidence (held-out events recorded user by user): per group and candidate, the sum
   * over users of n_u times the user's summed difference; per group, the sum of n_u squared and the
   * number of users.
   */
  private final double[] clusterCrossSums;

  private final double[] clusterSizeSquares;
  private final long[] clusters;

  public CandidateSelector(int groups, int candidates) {
    this(groups, candidates, -1, 0);
  }

  /**
   * @param reference the candidate that is the default and must be beaten with evidence, or -1 for
   *     none (plain follow the leader, candidate 0 the default)
   * @param evidence standard errors of the mean paired difference by which a candidate must beat
   *     the reference (0: any lower loss will do)
   */
  public CandidateSelector(int groups, int candidates, int reference, double evidence) {
    if (groups < 1 || candidates < 1) {
      throw new IllegalArgumentException("need >= 1 group and >= 1 candidate");
    }
    if (reference < -1 || reference >= candidates) {
      throw new IllegalArgumentException("reference " + reference + " outside -1.." + candidates);
    }
    if (!(evidence >= 0)) {
      throw new IllegalArgumentException("evidence must be >= 0, was " + evidence);
    }
    this.reference = reference;
    this.evidence = evidence;
    this.differenceSums = new double[groups * candidates];
    this.differenceSquares = new double[groups * candidates];
    this.clusterCrossSums = new double[groups * candidates];
    this.clusterSizeSquares = new double[groups];
    this.clusters = new long[groups];
    this.groups = groups;
    this.candidates = candidates;
    this.lossSums = new double[groups * candidates];
    this.events = new long[groups];
    this.chosenLossSums = new double[groups];
    this.chosenEvents = new long[groups];
  }

  public int groups() {
    return groups;
  }

  public int candidates() {
    return candidates;
  }

  /** The candidate that is the default and must be beaten with evidence; -1 when none. */
  public int reference() {
    return reference;
  }

  /**
   * Records every candidate's loss on one event of a user in {@code group} (the losses indexed by
   * candidate), each times {@code weight}.
   */
  public void recordEvent(int group, double[] losses, double weight) {
    int base = (group - 1) * candidates;
    for (int c = 0; c < candidates; c++) {
      lossSums[base + c] += weight * losses[c];
      if (reference >= 0) {
        double d = weight * (losses[c] - losses[reference]);
        differenceSums[base + c] += d;
        differenceSquares[base + c] += d * d;
      }
    }
    events[group - 1]++;
  }

  /**
   * Records one user's held-out events at once: {@code lossSums} the summed losses per candidate
   * over the user's {@code events} events. The standard error of a group's mean difference is then
   * clustered by user (events of one user are not independent evidence: a group of nine heavy users
   * is nine pieces of evidence, not thousands).
   */
  public void recordUser(int group, double[] userLossSums, long userEvents) {
    int base = (group - 1) * candidates;
    for (int c = 0; c < candidates; c++) {
      lossSums[base + c] += userLossSums[c];
      if (reference >= 0) {
        double d = userLossSums[c] - userLossSums[reference];
        differenceSums[base + c] += d;
        differenceSquares[base + c] += d * d;
        clusterCrossSums[base + c] += userEvents * d;
      }
    }
    events[group - 1] += userEvents;
    clusterSizeSquares[group - 1] += (double) userEvents * userEvents;
    clusters[group - 1]++;
  }

  /** Records the loss of candidate {@code candidate} on an event of a user in {@code group}. */
  public void record(int group, int candidate, double loss) {
    lossSums[(group - 1) * candidates + candidate] += loss;
    if (candidate == 0) {
      events[group - 1]++;
    }
  }

  /**
   * Records the loss of the prediction a user of {@code group} was given (the candidate chosen at
   * the time): with the candidates' sums this measures what choosing online costs.
   */
  public void recordChosen(int group, double loss) {
    chosenLossSums[group - 1] += loss;
    chosenEvents[group - 1]++;
  }

  /**
   * The selection noise of a group: the mean loss of the predictions given (each by the candidate
   * chosen at the time) minus the mean loss of the best candidate in hindsight; NaN before the
   * group's first event, or when losses were recorded without the predictions given (held-out
   * validation). Follow the leader pays this for not knowing the best candidate in advance.
   */
  public double selectionRegret(int group) {
    long n = events[group - 1];
    if (n == 0 || chosenEvents[group - 1] != n) {
      return Double.NaN;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      best = Math.min(best, lossSums[(group - 1) * candidates + c]);
    }
    return (chosenLossSums[group - 1] - best) / n;
  }

  /** The candidate a user of {@code group} predicts with now. */
  public int best(int group) {
    int base = (group - 1) * candidates;
    int best = 0;
    for (int c = 1; c < candidates; c++) {
      if (lossSums[base + c] < lossSums[base + best]) {
        best = c;
      }
    }
    if (reference < 0 || best == reference) {
      return best;
    }
    long n = events[group - 1];
    if (n < 2) {
      return reference;
    }
    double mean = differenceSums[base + best] / n;
    return mean < -evidence * standardError(group, best, mean) ? best : reference;
  }

  /**
   * The personal candidate (any but the reference) with the lowest summed loss in {@code group}:
   * the setting a user without a block per candidate steps its one personal block at. Without a
   * reference, the same as {@link #best}.
   */
  public int bestPersonal(int group) {
    int base = (group - 1) * candidates;
    int best = -1;
    for (int c = 0; c < candidates; c++) {
      if (c != reference && (best < 0 || lossSums[base + c] < lossSums[base + best])) {
        best = c;
      }
    }
    return best;
  }

  /** The standard error of a group's mean difference: by event, or clustered by user. */
  private double standardError(int group, int candidate, double mean) {
    int i = (group - 1) * candidates + candidate;
    long n = events[group - 1];
    long users = clusters[group - 1];
    if (users == 0) {
      double variance = Math.max(0, differenceSquares[i] / n - mean * mean);
      return Math.sqrt(variance / (n - 1));
    }
    if (users < 2) {
      return Double.POSITIVE_INFINITY;
    }
    // Sum over users of (D_u - n_u mean)^2, the users' residuals, with the small-sample factor.
    double residuals =
        differenceSquares[i]
            - 2 * mean * clusterCrossSums[i]
            + mean * mean * clusterSizeSquares[group - 1];
    double variance = Math.max(0, residuals) / ((double) n * n) * users / (users - 1);
    return Math.sqrt(variance);
  }

  /** Mean loss of a candidate in a group so far; NaN before the group's first event. */
  public double meanLoss(int group, int candidate) {
    long n = events[group - 1];
    return n == 0 ? Double.NaN : lossSums[(group - 1) * candidates + candidate] / n;
  }

  public long events(int group) {
    return events[group - 1];
  }

  /** Summed losses, group-major: entry (g - 1) * candidates + c. For persisting the selector. */
  public double[] lossSums() {
    return lossSums.clone();
  }

  /** Events per group, for persisting the selector. */
  public long[] eventCounts() {
    return events.clone();
  }

  /** This selector's sums and counts, for Flink operator state. */
  public SelectorSnapshot snapshot() {
    SelectorSnapshot snapshot = new SelectorSnapshot();
    snapshot.lossSums = lossSums();
    snapshot.events = eventCounts();
    snapshot.differenceSums = differenceSums.clone();
    snapshot.differenceSquares = differenceSquares.clone();
    return snapshot;
  }

  /**
   * Adds the mean of several selectors' snapshots to this (fresh) selector. After a restore every
   * operator subtask sees every subtask's sums; each is an estimate of the same per-group losses,
   * so every subtask starts from their mean, which keeps the scale of one subtask however often the
   * job restarts or rescales.
   */
  public void restoreMean(java.util.List<SelectorSnapshot> snapshots) {
    // Counts are summed first and divided once: dividing each snapshot's count would round every
    // one down (three subtasks with one event each would restore zero events).
    long[] totals = new long[events.length];
    for (SelectorSnapshot snapshot : snapshots) {
      double[] sums = snapshot.lossSums.clone();
      for (int i = 0; i < sums.length; i++) {
        sums[i] /= snapshots.size();
      }
      add(sums, new long[snapshot.events.length]);
      if (snapshot.differenceSums.length == differenceSums.length
          && snapshot.differenceSquares.length == differenceSquares.length) {
        for (int i = 0; i < differenceSums.length; i++) {
          differenceSums[i] += snapshot.differenceSums[i] / snapshots.size();
          differenceSquares[i] += snapshot.differenceSquares[i] / snapshots.size();
        }
      }
      for (int g = 0; g < totals.length; g++) {
        totals[g] += snapshot.events[g];
      }
    }
    for (int g = 0; g < totals.length; g++) {
      totals[g] /= Math.max(1, snapshots.size());
    }
    add(new double[lossSums.length], totals);
  }

  /** Adds persisted sums and counts (of the same shape) to this selector. */
  public void add(double[] sums, long[] counts) {
    if (sums.length != lossSums.length || counts.length != events.length) {
      throw new IncompatibleStateException(
          "the restored state of the adaptive candidate selector has "
              + counts.length
              + " groups and "
              + sums.length
              + " candidate sums, and this job's "
              + events.length
              + " and "
              + lossSums.length
              + " (model.groups, the adaptive candidates)");
    }
    for (int i = 0; i < sums.length; i++) {
      lossSums[i] += sums[i];
    }
    for (int g = 0; g < counts.length; g++) {
      events[g] += counts[g];
    }
  }
}
