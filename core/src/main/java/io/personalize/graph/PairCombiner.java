package io.personalize.graph;

import io.personalize.util.Combiner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects item pairs and hands them out grouped by the item they leave ({@link ItemPairs}), each
 * group in the order its pairs came. An item's list is then built by the same adds in the same
 * order as from the pairs one by one, so combining changes no weight: it only saves the graph
 * operator a read and a write of the list per pair.
 */
public final class PairCombiner implements Combiner<ItemPair, ItemPairs> {
  private final Map<String, Group> bySource = new LinkedHashMap<>();
  private int pairs;

  @Override
  public int held() {
    return pairs;
  }

  @Override
  public void add(ItemPair pair) {
    bySource.computeIfAbsent(pair.from(), from -> new Group()).add(pair);
    pairs++;
  }

  /** The groups held, in the order their first pair came, and forgets them. */
  @Override
  public List<ItemPairs> drain() {
    List<ItemPairs> groups = new ArrayList<>(bySource.size());
    bySource.forEach((from, group) -> groups.add(group.toPairs(from)));
    bySource.clear();
    pairs = 0;
    return groups;
  }

  @Override
  public long timeMillis(ItemPairs merged) {
    return merged.latestMillis();
  }

  /** One source item's pairs so far, in growing arrays. */
  private static final class Group {
    private String[] to = new String[4];
    private double[] weights = new double[4];
    private long[] timesMillis = new long[4];
    private int size;

    void add(ItemPair pair) {
      if (size == to.length) {
        to = Arrays.copyOf(to, 2 * size);
        weights = Arrays.copyOf(weights, 2 * size);
        timesMillis = Arrays.copyOf(timesMillis, 2 * size);
      }
      to[size] = pair.to();
      weights[size] = pair.weight();
      timesMillis[size] = pair.timeMillis();
      size++;
    }

    ItemPairs toPairs(String from) {
      ItemPairs pairs = new ItemPairs();
      pairs.from = from;
      pairs.to = Arrays.copyOf(to, size);
      pairs.weights = Arrays.copyOf(weights, size);
      pairs.timesMillis = Arrays.copyOf(timesMillis, size);
      return pairs;
    }
  }
}
