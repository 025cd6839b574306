package io.personalize.online;

/** The coordinator's events per user, as operator state. A POJO. */
public class CountsSnapshot {
  public String[] users = new String[0];
  public long[] counts = new long[0];
  public long version;
  public long eventsSinceRegroup;

  /** The boundaries last sent (log counts); NaN before the first. */
  public double emittedMin = Double.NaN;

  public double emittedMax = Double.NaN;

  public CountsSnapshot() {}
}
