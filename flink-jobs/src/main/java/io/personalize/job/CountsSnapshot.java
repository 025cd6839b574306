package io.personalize.job;

/** The coordinator's events per user, as operator state. A POJO. */
public class CountsSnapshot {
  public String[] users = new String[0];
  public long[] counts = new long[0];
  public long version;
  public long eventsSinceRegroup;

  public CountsSnapshot() {}
}
