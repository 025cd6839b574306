package io.personalize.neighbours;

import io.personalize.util.Combiner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges partner updates by the item they update, each item's in the order they came: the item's
 * sums then take the same adds in the same order as from the updates one by one.
 */
public final class PartnerUpdateCombiner implements Combiner<PartnerUpdates, PartnerUpdates> {
  private final Map<Integer, Group> byItem = new LinkedHashMap<>();
  private int held;

  @Override
  public void add(PartnerUpdates updates) {
    byItem.computeIfAbsent(updates.item, item -> new Group()).add(updates);
    held += updates.size();
  }

  @Override
  public int held() {
    return held;
  }

  @Override
  public List<PartnerUpdates> drain() {
    List<PartnerUpdates> merged = new ArrayList<>(byItem.size());
    byItem.forEach((item, group) -> merged.add(group.toUpdates(item)));
    byItem.clear();
    held = 0;
    return merged;
  }

  @Override
  public long timeMillis(PartnerUpdates merged) {
    return merged.latestMillis;
  }

  /** One item's updates so far, in growing arrays. */
  private static final class Group {
    private int[] partners = new int[4];
    private float[] own = new float[4];
    private float[] other = new float[4];
    private int size;
    private long latestMillis = Long.MIN_VALUE;

    void add(PartnerUpdates updates) {
      int more = updates.size();
      if (size + more > partners.length) {
        int length = Math.max(2 * partners.length, size + more);
        partners = Arrays.copyOf(partners, length);
        own = Arrays.copyOf(own, length);
        other = Arrays.copyOf(other, length);
      }
      System.arraycopy(updates.partners, 0, partners, size, more);
      System.arraycopy(updates.own, 0, own, size, more);
      System.arraycopy(updates.other, 0, other, size, more);
      size += more;
      latestMillis = Math.max(latestMillis, updates.latestMillis);
    }

    PartnerUpdates toUpdates(int item) {
      PartnerUpdates updates = new PartnerUpdates();
      updates.item = item;
      updates.partners = Arrays.copyOf(partners, size);
      updates.own = Arrays.copyOf(own, size);
      updates.other = Arrays.copyOf(other, size);
      updates.latestMillis = latestMillis;
      return updates;
    }
  }
}
