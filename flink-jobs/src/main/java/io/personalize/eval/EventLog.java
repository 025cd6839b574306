package io.personalize.eval;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ItemInfo;
import io.personalize.model.EventKind;
import io.personalize.model.RatingScale;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.ItemCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A data set as dense arrays in time order (ties keep file order): users and items are renumbered
 * 0..n-1 in order of first appearance. This is what every protocol iterates over. A data set that
 * comes split (yoochoose) is here as one stream, its training part and test part together.
 */
public final class EventLog {
  public final String name;
  public final int[] user;
  public final int[] item;
  public final double[] value;
  public final long[] time;

  /** What kind of event each one is: a rating, or an implicit event (click, view, purchase). */
  public final EventKind[] kind;

  /**
   * Whether each event is in the data set's own test part ({@link Dataset#testPart()}, e.g. the
   * yoochoose test sessions); all false for a data set without a split of its own.
   */
  public final boolean[] inTestPart;

  public final List<String> userIds;
  public final List<String> itemIds;

  /** The data set's rating scale ({@link Dataset#scale()}): every value lies within it. */
  public final RatingScale scale;

  private final List<ItemInfo> itemInfos;
  private final boolean hasItemMetadata;

  private EventLog(
      String name,
      int[] user,
      int[] item,
      double[] value,
      long[] time,
      EventKind[] kind,
      boolean[] inTestPart,
      List<String> userIds,
      List<String> itemIds,
      RatingScale scale,
      List<ItemInfo> itemInfos,
      boolean hasItemMetadata) {
    this.name = name;
    this.user = user;
    this.item = item;
    this.value = value;
    this.time = time;
    this.kind = kind;
    this.inTestPart = inTestPart;
    this.userIds = userIds;
    this.itemIds = itemIds;
    this.scale = scale;
    this.itemInfos = itemInfos;
    this.hasItemMetadata = hasItemMetadata;
  }

  public static EventLog of(Dataset dataset) {
    List<Interaction> all = dataset.interactions();
    Integer[] order = new Integer[all.size()];
    Arrays.setAll(order, i -> i);
    // Stable: ties keep file order.
    Arrays.sort(order, Comparator.comparingLong(i -> all.get(i).timeMillis()));
    List<Interaction> events = new ArrayList<>(all.size());
    int n = order.length;
    boolean[] inTestPart = new boolean[n];
    for (int e = 0; e < n; e++) {
      events.add(all.get(order[e]));
      inTestPart[e] = order[e] >= dataset.testStart();
    }
    int[] user = new int[n];
    int[] item = new int[n];
    double[] value = new double[n];
    long[] time = new long[n];
    EventKind[] kind = new EventKind[n];
    Map<String, Integer> users = new HashMap<>();
    Map<String, Integer> items = new HashMap<>();
    List<String> userIds = new ArrayList<>();
    List<String> itemIds = new ArrayList<>();
    for (int e = 0; e < n; e++) {
      Interaction event = events.get(e);
      user[e] = users.computeIfAbsent(event.userId(), id -> add(userIds, id));
      item[e] = items.computeIfAbsent(event.itemId(), id -> add(itemIds, id));
      value[e] = event.value();
      time[e] = event.timeMillis();
      kind[e] = event.kind();
    }
    List<ItemInfo> infos = new ArrayList<>(itemIds.size());
    for (String id : itemIds) {
      infos.add(dataset.items().get(id));
    }
    return new EventLog(
        dataset.name(),
        user,
        item,
        value,
        time,
        kind,
        inTestPart,
        List.copyOf(userIds),
        List.copyOf(itemIds),
        dataset.scale(),
        infos,
        !dataset.items().isEmpty());
  }

  private static int add(List<String> ids, String id) {
    ids.add(id);
    return ids.size() - 1;
  }

  public int events() {
    return user.length;
  }

  public int users() {
    return userIds.size();
  }

  public int items() {
    return itemIds.size();
  }

  /** The item's genres from the item file; null when the file does not list the item. */
  public List<String> genres(int item) {
    ItemInfo info = itemInfos.get(item);
    return info == null ? null : info.genres();
  }

  /** Whether the data set came with a test part of its own (session data). */
  public boolean hasTestPart() {
    for (boolean test : inTestPart) {
      if (test) {
        return true;
      }
    }
    return false;
  }

  public boolean hasItemMetadata() {
    return hasItemMetadata;
  }

  /**
   * A catalog of the log's items in log order (item {@code i} is index {@code i}), each described
   * by its genres and year from the item file; items the file does not list have no description.
   */
  public ItemCatalog catalog(FeatureSpace space) {
    ItemCatalog catalog = new ItemCatalog(space);
    for (int i = 0; i < itemIds.size(); i++) {
      catalog.indexOf(itemIds.get(i));
      ItemInfo info = itemInfos.get(i);
      if (info != null) {
        catalog.describe(itemIds.get(i), space.describe(info.genres(), info.year(), Map.of()));
      }
    }
    return catalog;
  }

  /** Number of events of each user among the given event indices. */
  public long[] countsPerUser(int[] events) {
    long[] counts = new long[users()];
    for (int e : events) {
      counts[user[e]]++;
    }
    return counts;
  }

  public int[] allEvents() {
    int[] all = new int[events()];
    Arrays.setAll(all, i -> i);
    return all;
  }

  /**
   * Smallest and largest value present. The scale of the ratings is {@link #scale}, which may be
   * wider: a data set need not use every rating its scale allows.
   */
  public double[] valueRange() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : value) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new double[] {min, max};
  }
}
