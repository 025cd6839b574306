package io.personalize.neighbours;

/**
 * Common raters to add to one item's partner sums ({@link ItemPartners#add}), in the order they
 * came. A Flink POJO (the records from the per-user operator to the item neighbourhoods): parallel
 * arrays, public fields.
 */
public class PartnerUpdates {
  /** The item whose sums these update (an id hash). */
  public int item;

  public int[] partners = new int[0];

  /** {@code own[n]}: the item's baseline residual from the n-th common rater. */
  public float[] own = new float[0];

  /** {@code other[n]}: the partner's baseline residual from that rater. */
  public float[] other = new float[0];

  /** The latest event time among the updates. */
  public long latestMillis = Long.MIN_VALUE;

  public PartnerUpdates() {}

  /** One common rater of {@code item} and {@code partner}, at {@code timeMillis}. */
  public static PartnerUpdates of(
      int item, int partner, double own, double other, long timeMillis) {
    PartnerUpdates updates = new PartnerUpdates();
    updates.item = item;
    updates.partners = new int[] {partner};
    updates.own = new float[] {(float) own};
    updates.other = new float[] {(float) other};
    updates.latestMillis = timeMillis;
    return updates;
  }

  public int size() {
    return partners.length;
  }

  /** Adds every update to {@code sums}, keeping at most {@code capacity} partners. */
  public void applyTo(ItemPartners sums, int capacity) {
    for (int n = 0; n < partners.length; n++) {
      sums.add(partners[n], own[n], other[n], capacity);
    }
  }
}
