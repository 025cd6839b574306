package io.personalize.graph;

import java.util.Arrays;

/**
 * The out-edges of one source item: neighbors and their weights, all stored at one reference time,
 * so that decaying the whole list is one multiplication and sampling a neighbor by weight needs no
 * decay at all (decay scales every weight of the list alike).
 *
 * <p>A Flink POJO (the graph operator's keyed state, and the unit of a {@link GraphDelta}):
 * parallel arrays, public fields. The graph calls {@link #prune} after every {@link #add}, so a
 * list holds at most {@code maxNeighbors} edges, strongest first.
 *
 * <p>Size of one list of d edges with ids of c ASCII characters, measured with Flink's POJO
 * serializer (RocksDB state, a delta): exactly 20 + d * (9 + c) bytes, per edge the id (a length
 * byte and c bytes) and the weight (8 bytes), per list the reference time and the field and array
 * headers; 670 bytes for 50 neighbors with 4-character ids. On the heap 12 bytes per edge (a 4-byte
 * id reference and an 8-byte weight) and about 70 per list; a graph shares the id strings.
 */
public class ItemEdges {
  public String[] neighbors = new String[0];

  /**
   * {@code weights[n]}: the weight of the edge to {@code neighbors[n]} at {@code referenceMillis}.
   */
  public double[] weights = new double[0];

  /** The event time at which {@code weights} hold. */
  public long referenceMillis;

  public ItemEdges() {}

  public int size() {
    return neighbors.length;
  }

  public boolean isEmpty() {
    return neighbors.length == 0;
  }

  /** The weight of the edge to {@code neighbor} at the reference time; 0 when there is none. */
  public double weightOf(String neighbor) {
    int n = indexOf(neighbor);
    return n < 0 ? 0 : weights[n];
  }

  /** A copy that shares nothing with this list. */
  public ItemEdges copy() {
    ItemEdges c = new ItemEdges();
    c.neighbors = neighbors.clone();
    c.weights = weights.clone();
    c.referenceMillis = referenceMillis;
    return c;
  }

  /**
   * Moves the reference time forward to {@code timeMillis}, decaying every weight; a time at or
   * before the reference changes nothing (weights are never grown back to an earlier time).
   */
  public void decayTo(long timeMillis, GraphSettings settings) {
    if (timeMillis <= referenceMillis) {
      return;
    }
    double factor = settings.decay(timeMillis - referenceMillis);
    for (int n = 0; n < weights.length; n++) {
      weights[n] *= factor;
    }
    referenceMillis = timeMillis;
  }

  /**
   * Adds {@code weight} to the edge to {@code neighbor}, as of {@code eventTimeMillis}: a later
   * event first moves the reference time to it; an earlier one adds its weight decayed to the
   * reference time (what it would have decayed to had it arrived in order). A new neighbor is
   * appended, an existing one summed. An empty list simply takes the event's time.
   */
  public void add(String neighbor, double weight, long eventTimeMillis, GraphSettings settings) {
    addAt(neighbor, weight, eventTimeMillis, settings);
  }

  /** {@link #add}, returning the index of the edge that gained the weight. */
  int addAt(String neighbor, double weight, long eventTimeMillis, GraphSettings settings) {
    if (!(weight > 0 && Double.isFinite(weight))) {
      throw new IllegalArgumentException("edge weight must be > 0 and finite, was " + weight);
    }
    if (isEmpty()) {
      referenceMillis = eventTimeMillis;
    }
    decayTo(eventTimeMillis, settings);
    double decayed = weight * settings.decay(referenceMillis - eventTimeMillis);
    int n = indexOf(neighbor);
    if (n >= 0) {
      weights[n] += decayed;
      return n;
    }
    n = neighbors.length;
    neighbors = Arrays.copyOf(neighbors, n + 1);
    weights = Arrays.copyOf(weights, n + 1);
    neighbors[n] = neighbor;
    weights[n] = decayed;
    return n;
  }

  /**
   * Drops the edges whose weight at the reference time is below {@code minWeight} and keeps the
   * {@code maxNeighbors} strongest, ordered by weight, ties by neighbor id; so the result does not
   * depend on the order the edges were added in. To prune at a later time, {@link #decayTo} it
   * first.
   */
  public void prune(GraphSettings settings) {
    pruneOrder(settings);
  }

  /**
   * {@link #prune}, returning the old index of each edge kept, in the new order. Insertion sort:
   * after one {@link #add} a pruned list is sorted but for the edge that gained weight, so this is
   * linear in the list's length.
   */
  int[] pruneOrder(GraphSettings settings) {
    int[] order = new int[neighbors.length];
    int kept = 0;
    for (int n = 0; n < neighbors.length; n++) {
      if (weights[n] >= settings.minWeight()) {
        int at = kept++;
        while (at > 0 && stronger(n, order[at - 1])) {
          order[at] = order[at - 1];
          at--;
        }
        order[at] = n;
      }
    }
    kept = Math.min(kept, settings.maxNeighbors());
    String[] keptNeighbors = new String[kept];
    double[] keptWeights = new double[kept];
    for (int k = 0; k < kept; k++) {
      keptNeighbors[k] = neighbors[order[k]];
      keptWeights[k] = weights[order[k]];
    }
    neighbors = keptNeighbors;
    weights = keptWeights;
    return Arrays.copyOf(order, kept);
  }

  /** Whether edge a goes before edge b: heavier, or as heavy with a smaller id. */
  private boolean stronger(int a, int b) {
    int byWeight = Double.compare(weights[a], weights[b]);
    return byWeight != 0 ? byWeight > 0 : neighbors[a].compareTo(neighbors[b]) < 0;
  }

  /**
   * The first event time at which even the strongest edge has decayed below {@code minWeight}: once
   * {@link #decayTo} it and {@link #prune}d, the list is empty. The graph operator's one timer per
   * item fires here (and moves when an add makes the list stronger). For an empty list, the
   * reference time.
   */
  public long expiryMillis(GraphSettings settings) {
    double strongest = 0;
    for (double w : weights) {
      strongest = Math.max(strongest, w);
    }
    if (strongest < settings.minWeight()) {
      return referenceMillis;
    }
    // strongest * 2^(-dt / h) < min  <=>  dt > h * log2(strongest / min)
    double halfLives = Math.log(strongest / settings.minWeight()) / Math.log(2);
    long dt = (long) Math.floor(settings.halfLifeMillis() * halfLives) + 1;
    // The logarithm may round either way: settle on the first millisecond decayTo agrees with.
    while (strongest * settings.decay(dt) >= settings.minWeight()) {
      dt++;
    }
    while (dt > 1 && strongest * settings.decay(dt - 1) < settings.minWeight()) {
      dt--;
    }
    return referenceMillis + dt;
  }

  private int indexOf(String neighbor) {
    for (int n = 0; n < neighbors.length; n++) {
      if (neighbors[n].equals(neighbor)) {
        return n;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("edges@").append(referenceMillis).append(" {");
    for (int n = 0; n < neighbors.length; n++) {
      s.append(n == 0 ? "" : ", ").append(neighbors[n]).append('=').append(weights[n]);
    }
    return s.append('}').toString();
  }
}
