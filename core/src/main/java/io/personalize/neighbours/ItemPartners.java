package io.personalize.neighbours;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One item's side of the item-neighbourhood correction: for each partner item (an item some user
 * rated as well) the sums over their common raters of the two baseline residuals' squares and
 * product, from which their similarity is a shrunk correlation. The evaluator's per-item record;
 * the job keeps it as keyed state of an item in the packed form of {@link #toBytes}.
 *
 * <p>At most {@code capacity} partners are kept, sorted by partner so a lookup is a binary search.
 * A new partner beyond the capacity replaces the one with the fewest common raters, the oldest
 * first among equals: a pair seen once says almost nothing (its similarity is shrunk by 1 / 101).
 */
public class ItemPartners {
  /** The partners' keys (item indices or id hashes), ascending; valid up to {@link #size}. */
  public int[] partners = new int[0];

  /** {@code ownSquares[n]}: the sum of this item's residual squared over the common raters. */
  public float[] ownSquares = new float[0];

  /** {@code partnerSquares[n]}: the same for the partner's residual. */
  public float[] partnerSquares = new float[0];

  /** {@code products[n]}: the sum of the two residuals' products. */
  public float[] products = new float[0];

  /** {@code raters[n]}: how many users rated both. */
  public int[] raters = new int[0];

  /** {@code since[n]}: the value of {@link #pairUpdates} when the partner was first added. */
  public int[] since = new int[0];

  public int size;

  /** Pair updates this item has taken: the clock that ages its partners. */
  public int pairUpdates;

  /** The latest event time of a rating in the sums (the job's idle expiry of the item). */
  public long latestMillis = Long.MIN_VALUE;

  /** The first byte of {@link #toBytes}: the layout that follows. */
  static final byte PACKED_FORMAT = 1;

  /**
   * The partners that had one common rater when they came, oldest first, as (partner, since) pairs
   * from {@code singlesHead} to {@code singlesEnd}: where a full item finds its weakest partner
   * without a scan. Every partner has at least one rater, so the oldest that still has exactly one
   * is the weakest; an entry whose partner has left or gained a rater since is skipped. Not part of
   * the sums (not packed): made at the first eviction after unpacking.
   */
  private int[] singles;

  private int singlesHead;
  private int singlesEnd;

  public ItemPartners() {}

  /**
   * The sums in bytes, little-endian (the byte order of the machines the job runs on, so the arrays
   * copy without swapping): the format, size, update clock and latest time, then the first {@code
   * size} entries of each array in turn. Copied in bulk either way: Flink's serializer of a POJO's
   * primitive arrays writes them element by element, which was 59% of the item neighbourhoods' time
   * on ml-100k.
   */
  public byte[] toBytes() {
    ByteBuffer bytes = ByteBuffer.allocate(17 + size * 24).order(ByteOrder.LITTLE_ENDIAN);
    bytes.put(PACKED_FORMAT).putInt(size).putInt(pairUpdates).putLong(latestMillis);
    bytes.asIntBuffer().put(partners, 0, size);
    bytes.position(bytes.position() + size * 4);
    bytes.asFloatBuffer().put(ownSquares, 0, size);
    bytes.position(bytes.position() + size * 4);
    bytes.asFloatBuffer().put(partnerSquares, 0, size);
    bytes.position(bytes.position() + size * 4);
    bytes.asFloatBuffer().put(products, 0, size);
    bytes.position(bytes.position() + size * 4);
    bytes.asIntBuffer().put(raters, 0, size);
    bytes.position(bytes.position() + size * 4);
    bytes.asIntBuffer().put(since, 0, size);
    return bytes.array();
  }

  /** The sums {@link #toBytes} packed. */
  public static ItemPartners fromBytes(byte[] packed) {
    ByteBuffer bytes = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
    byte format = bytes.get();
    if (format != PACKED_FORMAT) {
      throw new IllegalStateException(
          "item partner sums packed in format " + format + ", this code reads " + PACKED_FORMAT);
    }
    ItemPartners sums = new ItemPartners();
    int size = bytes.getInt();
    sums.size = size;
    sums.pairUpdates = bytes.getInt();
    sums.latestMillis = bytes.getLong();
    sums.partners = new int[size];
    sums.ownSquares = new float[size];
    sums.partnerSquares = new float[size];
    sums.products = new float[size];
    sums.raters = new int[size];
    sums.since = new int[size];
    bytes.asIntBuffer().get(sums.partners);
    bytes.position(bytes.position() + size * 4);
    bytes.asFloatBuffer().get(sums.ownSquares);
    bytes.position(bytes.position() + size * 4);
    bytes.asFloatBuffer().get(sums.partnerSquares);
    bytes.position(bytes.position() + size * 4);
    bytes.asFloatBuffer().get(sums.products);
    bytes.position(bytes.position() + size * 4);
    bytes.asIntBuffer().get(sums.raters);
    bytes.position(bytes.position() + size * 4);
    bytes.asIntBuffer().get(sums.since);
    return sums;
  }

  /**
   * The similarity of this item to {@code partner}: the correlation of their baseline residuals
   * over the users who rated both, times n / (n + {@link NeighbourSettings#SIMILARITY_SHRINK}); 0
   * for an item that is not a partner.
   */
  public double similarity(int partner) {
    int at = Arrays.binarySearch(partners, 0, size, partner);
    if (at < 0) {
      return 0;
    }
    double scale = Math.sqrt((double) ownSquares[at] * partnerSquares[at]);
    double correlation = scale > 0 ? products[at] / scale : 0;
    return correlation * raters[at] / (raters[at] + NeighbourSettings.SIMILARITY_SHRINK);
  }

  /**
   * Adds one common rater: {@code own} is this item's baseline residual from that user, {@code
   * other} the partner's.
   */
  public void add(int partner, double own, double other, int capacity) {
    int at = Arrays.binarySearch(partners, 0, size, partner);
    if (at < 0) {
      at = insert(partner, -at - 1, capacity);
    }
    ownSquares[at] += (float) (own * own);
    partnerSquares[at] += (float) (other * other);
    products[at] += (float) (own * other);
    raters[at]++;
    pairUpdates++;
  }

  /** Makes room for {@code partner} at its sorted place {@code at} and returns its index. */
  private int insert(int partner, int at, int capacity) {
    // A loop, not an if: a capacity lowered since the state was written takes effect here.
    while (size >= capacity) {
      int victim = weakest();
      remove(victim);
      if (victim < at) {
        at--;
      }
    }
    if (size == partners.length) {
      grow(Math.min(capacity, Math.max(4, size * 2)));
    }
    int tail = size - at;
    System.arraycopy(partners, at, partners, at + 1, tail);
    System.arraycopy(ownSquares, at, ownSquares, at + 1, tail);
    System.arraycopy(partnerSquares, at, partnerSquares, at + 1, tail);
    System.arraycopy(products, at, products, at + 1, tail);
    System.arraycopy(raters, at, raters, at + 1, tail);
    System.arraycopy(since, at, since, at + 1, tail);
    partners[at] = partner;
    ownSquares[at] = 0;
    partnerSquares[at] = 0;
    products[at] = 0;
    raters[at] = 0;
    since[at] = pairUpdates;
    size++;
    if (singles != null) {
      appendSingle(partner, pairUpdates); // one rater once add() counts it
    }
    return at;
  }

  /** The partner with the fewest common raters, the earliest added among equals. */
  private int weakest() {
    if (singles == null) {
      collectSingles();
    }
    for (; singlesHead < singlesEnd; singlesHead += 2) {
      int at = Arrays.binarySearch(partners, 0, size, singles[singlesHead]);
      if (at >= 0 && raters[at] == 1 && since[at] == singles[singlesHead + 1]) {
        return at;
      }
    }
    return scanForWeakest();
  }

  /** The partners with one common rater, oldest first. */
  private void collectSingles() {
    // Each as its age (relative to the clock, so that the order holds across the clock's
    // wrap-around) above its index: sorting the longs sorts by age.
    long[] order = new long[size];
    int count = 0;
    for (int n = 0; n < size; n++) {
      if (raters[n] == 1) {
        order[count++] = ((long) (since[n] - pairUpdates) << 32) | n;
      }
    }
    Arrays.sort(order, 0, count);
    singles = new int[Math.max(16, 4 * count)];
    singlesHead = 0;
    singlesEnd = 0;
    for (int k = 0; k < count; k++) {
      int n = (int) order[k];
      appendSingle(partners[n], since[n]);
    }
  }

  private void appendSingle(int partner, int addedAt) {
    if (singlesEnd + 2 > singles.length) {
      int live = singlesEnd - singlesHead;
      int[] grown = live + 2 > singles.length / 2 ? new int[singles.length * 2] : singles;
      System.arraycopy(singles, singlesHead, grown, 0, live);
      singles = grown;
      singlesHead = 0;
      singlesEnd = live;
    }
    singles[singlesEnd++] = partner;
    singles[singlesEnd++] = addedAt;
  }

  /** {@link #weakest} by looking at every partner: when none has a single rater. */
  private int scanForWeakest() {
    int weakest = 0;
    for (int n = 1; n < size; n++) {
      if (raters[n] < raters[weakest]
          || (raters[n] == raters[weakest] && since[n] - since[weakest] < 0)) {
        weakest = n;
      }
    }
    return weakest;
  }

  private void remove(int at) {
    int tail = size - at - 1;
    System.arraycopy(partners, at + 1, partners, at, tail);
    System.arraycopy(ownSquares, at + 1, ownSquares, at, tail);
    System.arraycopy(partnerSquares, at + 1, partnerSquares, at, tail);
    System.arraycopy(products, at + 1, products, at, tail);
    System.arraycopy(raters, at + 1, raters, at, tail);
    System.arraycopy(since, at + 1, since, at, tail);
    size--;
  }

  private void grow(int length) {
    partners = Arrays.copyOf(partners, length);
    ownSquares = Arrays.copyOf(ownSquares, length);
    partnerSquares = Arrays.copyOf(partnerSquares, length);
    products = Arrays.copyOf(products, length);
    raters = Arrays.copyOf(raters, length);
    since = Arrays.copyOf(since, length);
  }
}
