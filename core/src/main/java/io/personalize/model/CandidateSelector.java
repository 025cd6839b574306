package io.personalize.model;

/**
 * Learns the per-group settings of the adaptive model from prequential loss: every candidate
 * setting runs for every user, each event adds every candidate's loss to the user's group, and a
 * group predicts with the candidate whose summed loss is lowest so far (follow the leader), so each
 * group ends about as good as its best candidate. Ties go to the lowest index: candidate 0 is the
 * default until evidence says otherwise.
 */
public final class CandidateSelector {
  private final int groups;
  private final int candidates;
  private final double[] lossSums;
  private final long[] events;

  public CandidateSelector(int groups, int candidates) {
    if (groups < 1 || candidates < 1) {
      throw new IllegalArgumentException("need >= 1 group and >= 1 candidate");
    }
    this.groups = groups;
    this.candidates = candidates;
    this.lossSums = new double[groups * candidates];
    this.events = new long[groups];
  }

  public int groups() {
    return groups;
  }

  public int candidates() {
    return candidates;
  }

  /** Records the loss of candidate {@code candidate} on an event of a user in {@code group}. */
  public void record(int group, int candidate, double loss) {
    lossSums[(group - 1) * candidates + candidate] += loss;
    if (candidate == 0) {
      events[group - 1]++;
    }
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
    return best;
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
      throw new IllegalArgumentException("selector state of another shape");
    }
    for (int i = 0; i < sums.length; i++) {
      lossSums[i] += sums[i];
    }
    for (int g = 0; g < counts.length; g++) {
      events[g] += counts[g];
    }
  }
}
