package io.personalize.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user's latest distinct items with their event times and signal weights, oldest first, capped at
 * {@link GraphSettings#recentItems()}; it turns each new interaction into the directed pairs that
 * build the item graph. A Flink POJO (keyed state of the operator that reads the user's events).
 *
 * <p>A pair's weight is the signal weight of its later event (a purchase after a view weighs more
 * than a view after a purchase: the later item is what the graph recommends), times {@link
 * GraphSettings#gapWeight} of the gap between the two items in positions of the sequence: 1 for
 * consecutive items, 1 / g for g positions apart by default. The gap in time only decides whether
 * the pair is made (the window); once made, the pair's age is what decays.
 *
 * <p>Pairs follow event time, not arrival: an event older than a remembered item makes the pair
 * item -> remembered item, as of the remembered item's time and with its weight. With gaps weighed
 * alike, that is exactly what the events in order would have made; with gap weights, a late event
 * also leaves the gaps of pairs made before it arrived as they were. The "no item yet" pair goes to
 * whichever item arrives first.
 *
 * <p>Serialized (Flink's POJO serializer), n items with ids of c ASCII characters take about 20 + n
 * * (17 + c) bytes: 466 for 20 items of 5 to 6 characters.
 */
public class UserSequence {
  /** Distinct item ids, ordered by event time, oldest first. */
  public String[] items = new String[0];

  /** {@code timesMillis[n]}: the latest event time of {@code items[n]}. */
  public long[] timesMillis = new long[0];

  /** {@code weights[n]}: the signal weight of that event. */
  public double[] weights = new double[0];

  public UserSequence() {}

  public boolean isEmpty() {
    return items.length == 0;
  }

  /**
   * Remembers the interaction and returns the pairs it completes: one with every remembered item
   * (other than itself) whose event lies within the window, directed by event time (ties: the
   * remembered item first); or, when the user has no history yet, {@link
   * CoInteractionGraph#NO_ITEM} -> item. A repeated item moves to its latest time and makes no
   * self-edge.
   */
  public List<ItemPair> remember(
      String item, double weight, long timeMillis, GraphSettings settings) {
    List<ItemPair> pairs = new ArrayList<>();
    if (isEmpty()) {
      pairs.add(new ItemPair(CoInteractionGraph.NO_ITEM, item, weight, timeMillis));
    }
    int existing = Arrays.asList(items).indexOf(item);
    // The event's place among the other remembered items: after those at or before its time.
    int place = 0;
    for (int n = 0; n < items.length; n++) {
      if (n != existing && timesMillis[n] <= timeMillis) {
        place++;
      }
    }
    int other = 0;
    for (int n = 0; n < items.length; n++) {
      if (n == existing) {
        continue;
      }
      int position = other++;
      if (Math.abs(timeMillis - timesMillis[n]) > settings.windowMillis()) {
        continue;
      }
      if (position < place) {
        double share = settings.gapWeight(place - position);
        pairs.add(new ItemPair(items[n], item, weight * share, timeMillis));
      } else {
        double share = settings.gapWeight(position - place + 1);
        pairs.add(new ItemPair(item, items[n], weights[n] * share, timesMillis[n]));
      }
    }
    insert(existing, item, weight, timeMillis, settings.recentItems());
    return pairs;
  }

  private void insert(int existing, String item, double weight, long timeMillis, int cap) {
    if (existing >= 0 && timesMillis[existing] > timeMillis) {
      return; // an older repeat: the remembered, later event stays
    }
    int size = items.length + (existing >= 0 ? 0 : 1);
    String[] nextItems = new String[size];
    long[] nextTimes = new long[size];
    double[] nextWeights = new double[size];
    int out = 0;
    boolean placed = false;
    for (int n = 0; n <= items.length; n++) {
      // Before the first remembered item later than it: ties keep arrival order.
      if (!placed && (n == items.length || timesMillis[n] > timeMillis)) {
        nextItems[out] = item;
        nextTimes[out] = timeMillis;
        nextWeights[out++] = weight;
        placed = true;
      }
      if (n < items.length && n != existing) {
        nextItems[out] = items[n];
        nextTimes[out] = timesMillis[n];
        nextWeights[out++] = weights[n];
      }
    }
    int drop = Math.max(0, size - cap); // the oldest beyond the cap
    items = Arrays.copyOfRange(nextItems, drop, size);
    timesMillis = Arrays.copyOfRange(nextTimes, drop, size);
    weights = Arrays.copyOfRange(nextWeights, drop, size);
  }
}
