package io.personalize.model;

/** The adaptive candidate selector's loss sums of one subtask, as operator state. A POJO. */
public class SelectorSnapshot {
  public double[] lossSums = new double[0];
  public long[] events = new long[0];

  /** Paired differences to the reference candidate and their squares; empty without one. */
  public double[] differenceSums = new double[0];

  public double[] differenceSquares = new double[0];

  public SelectorSnapshot() {}
}
