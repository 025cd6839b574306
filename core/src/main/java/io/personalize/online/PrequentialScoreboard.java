package io.personalize.online;

import io.personalize.model.Coordinator;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.Mode;
import io.personalize.util.BoundedLruMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prequential RMSE and MAE per mode and user group, from a stream of {@link Prediction}s; for a
 * recommender's list checks (k > 0) the same sums count hits and reciprocal ranks instead, giving
 * HR@k and MRR@k.
 *
 * <p>Cumulative figures group users by their current event count under boundaries computed from all
 * users' counts (the evaluator's grouping at the end of a run); windowed figures cover the
 * predictions since the previous {@link #report}, grouped by the group the user had when scored (a
 * prediction without one, the global model's, by the user's count under the last report's
 * boundaries), and count each user scored in them once (in each group it was scored in).
 *
 * <p>A report costs one step per mode and distinct event count, not per user: the kept users' sums
 * are also kept summed by count ({@link SumsByCount}), since a user's group follows from its count.
 *
 * <p>Bounded: five numbers per mode and user (three sums, and which window and group it last
 * counted in) and one count per user, for the users scored within the idle expiry (event time) and
 * at most {@code maxUsers} of them (the least recently scored leave first). A user who leaves takes
 * no figure along: its sums are added to its mode's retired totals, in the group it had at the last
 * report, and count in the cumulative rows from then on. So a cumulative row's events never go
 * down; a retired user stays in the group it left from while the users still kept are regrouped at
 * each report. A retired user scored again starts new sums.
 */
public final class PrequentialScoreboard {
  /** One figure of a report: sums over the events of a mode and group. */
  public record Row(
      String mode,
      int group,
      boolean cumulative,
      long startMillis,
      long endMillis,
      long events,
      long users,
      double squaredErrors,
      double absoluteErrors,
      int k) {
    /** RMSE, or NaN without events. */
    public double rmse() {
      return events == 0 ? Double.NaN : Math.sqrt(squaredErrors / events);
    }

    /** MAE, or NaN without events. */
    public double mae() {
      return events == 0 ? Double.NaN : absoluteErrors / events;
    }

    /** Whether the row is of a recommender's list checks: hitRate and mrr, no rmse and mae. */
    public boolean isTopN() {
      return k > 0;
    }

    /** HR@k of a list-check row: the share of events whose item was in the list; NaN without. */
    public double hitRate() {
      return events == 0 ? Double.NaN : squaredErrors / events;
    }

    /** MRR@k of a list-check row (1 / rank, 0 when absent); NaN without events. */
    public double mrr() {
      return events == 0 ? Double.NaN : absoluteErrors / events;
    }
  }

  private final int groups;
  private final long idleMillis;
  private final BoundedLruMap<String, Long> userEvents;
  private final Map<String, Map<String, double[]>> errors = new LinkedHashMap<>();
  private final Map<String, double[][]> window = new HashMap<>();
  private final Map<String, Integer> listLengths = new HashMap<>();
  private final Map<String, Double> lastRmse = new java.util.concurrent.ConcurrentHashMap<>();

  /** Per mode: per group 0..C, the sums of the users that left (sse, sae, n). */
  private final Map<String, double[][]> retired = new HashMap<>();

  /** Per mode: per group 0..C, how many users left. */
  private final Map<String, long[]> retiredUsers = new HashMap<>();

  /** The kept users' sums by count: what a report groups. Rebuilt after a restore. */
  private final SumsByCount byCount = new SumsByCount();

  /** While a restore merges sums, {@link #byCount} is left alone and rebuilt at its end. */
  private boolean restoring;

  /** The boundaries of the last report, which a user who leaves is grouped by. */
  private GroupBoundaries lastBoundaries;

  private long maxEventTime = Long.MIN_VALUE;

  /** The window's number since this scoreboard was made, which users' sums mark they counted in. */
  private long windowNumber;

  private static final int WINDOW = 3;
  private static final int WINDOW_GROUP = 4;

  private long windowStart;
  private boolean windowStarted;

  /** A scoreboard that keeps users until there are more than {@code maxUsers}. */
  public PrequentialScoreboard(int groups, int maxUsers) {
    this(groups, maxUsers, Long.MAX_VALUE);
  }

  /**
   * @param idleMillis a user not scored for this long in event time (the latest event time seen)
   *     leaves; {@code Long.MAX_VALUE} for never
   */
  public PrequentialScoreboard(int groups, int maxUsers, long idleMillis) {
    this.groups = groups;
    this.idleMillis = idleMillis;
    this.userEvents = new BoundedLruMap<>(maxUsers, this::retire);
  }

  /** Adds one prediction (clamped to the scale already) and its label. */
  public void add(Prediction p) {
    if (idleMillis != Long.MAX_VALUE) {
      long now = Math.max(maxEventTime, p.eventTimeMillis);
      maxEventTime = now;
      if (now > Long.MIN_VALUE + idleMillis) {
        // Idle when last seen + idleMillis <= now, as in the global model and the coordinator.
        userEvents.expireSeenBefore(now - idleMillis + 1, now);
      }
    }
    long count = countAfter(p);
    if (idleMillis != Long.MAX_VALUE) {
      userEvents.seen(p.userId, p.eventTimeMillis);
    }
    if (p.k > 0) {
      listLengths.put(p.mode, p.k);
    }
    // A list check's two sums are hits and reciprocal ranks; a rating's, the errors.
    double first;
    double second;
    if (p.k > 0) {
      first = p.rank > 0 ? 1 : 0;
      second = p.rank > 0 ? 1.0 / p.rank : 0;
    } else {
      double e = p.prediction - p.label;
      first = e * e;
      second = Math.abs(e);
    }
    Map<String, double[]> perUser = errors.computeIfAbsent(p.mode, m -> new HashMap<>());
    double[] acc = perUser.get(p.userId);
    boolean firstOfMode = acc == null;
    if (firstOfMode) {
      acc = userSums(0, 0, 0);
      perUser.put(p.userId, acc);
    }
    acc[0] += first;
    acc[1] += second;
    acc[2] += 1;
    byCount.add(p.mode, count, first, second, firstOfMode);
    double[][] w = window.computeIfAbsent(p.mode, m -> new double[groups + 1][4]);
    // A prediction without a group (the global model's, which keeps no boundaries) counts in the
    // group of the user's count, as the other modes' predictions of the user told it.
    int group = p.group < 1 ? groupAtLastReport(count) : Math.min(groups, p.group);
    if (acc[WINDOW] != windowNumber) {
      acc[WINDOW] = windowNumber;
      acc[WINDOW_GROUP] = -1;
      w[0][3] += 1;
    }
    if (acc[WINDOW_GROUP] != group) {
      // A user whose group changes within a window counts in each group it was scored in.
      acc[WINDOW_GROUP] = group;
      w[group][3] += 1;
    }
    for (int g : new int[] {0, group}) {
      w[g][0] += first;
      w[g][1] += second;
      w[g][2] += 1;
    }
  }

  /**
   * A kept user's sums of one mode (sse, sae, n), then the window it was last counted in and the
   * group it was last counted in there ({@link #windowNumber}; -1 for none).
   */
  private static double[] userSums(double sse, double sae, double n) {
    return new double[] {sse, sae, n, -1, -1};
  }

  /**
   * Notes the user's count after {@code p} (the larger of the kept one and the prediction's; 0 for
   * a new user whose prediction carries none) and moves its sums to that count; returns it.
   */
  private long countAfter(Prediction p) {
    Long kept = userEvents.get(p.userId);
    long count = Math.max(kept == null ? 0 : kept, Math.max(0, p.userEvents));
    if (kept == null) {
      // Counted first: the put may push out the least recently scored user, whose group then
      // comes from the counts with this user's and without its own, as in the map.
      byCount.addUser(count);
      userEvents.put(p.userId, count);
    } else if (count != kept) {
      userEvents.put(p.userId, count);
      byCount.removeUser(kept);
      byCount.addUser(count);
      errors.forEach(
          (mode, perUser) -> {
            double[] acc = perUser.get(p.userId);
            if (acc != null) {
              byCount.removeUserSums(mode, kept, acc);
              byCount.addUserSums(mode, count, acc);
            }
          });
    }
    return count;
  }

  /**
   * Starts the first window at {@code nowMillis}, the time of the first prediction, unless a window
   * has started already (by an earlier call or a {@link #report}); without it the first window
   * would start at the epoch.
   */
  public void startWindow(long nowMillis) {
    if (!windowStarted) {
      windowStart = nowMillis;
      windowStarted = true;
    }
  }

  /**
   * The figures now: per mode seen, a cumulative row for every group 0..C (0 = all users), and a
   * windowed row for every group with predictions since the last report; then starts a new window.
   */
  public List<Row> report(long nowMillis) {
    GroupBoundaries boundaries = currentBoundaries();
    lastBoundaries = boundaries;
    List<Row> rows = new ArrayList<>();
    for (String mode : modesInOrder()) {
      Map<String, double[]> perUser = errors.get(mode);
      double[][] byGroup = new double[groups + 1][3];
      long[] users = new long[groups + 1];
      double[][] left = retired.get(mode);
      if (left != null) {
        for (int g = 0; g <= groups; g++) {
          byGroup[g] = left[g].clone();
          users[g] = retiredUsers.get(mode)[g];
        }
      }
      if (byGroup[0][2] == 0 && perUser.isEmpty()) {
        continue;
      }
      byCount
          .of(mode)
          .forEach(
              (count, sums) -> {
                int g = boundaries.groupOf(Math.max(1, count));
                for (int slot : new int[] {0, g}) {
                  byGroup[slot][0] += sums[0];
                  byGroup[slot][1] += sums[1];
                  byGroup[slot][2] += sums[2];
                  users[slot] += (long) sums[3];
                }
              });
      for (int g = 0; g <= groups; g++) {
        rows.add(row(mode, g, true, 0, nowMillis, byGroup[g], users[g], k(mode)));
      }
      lastRmse.put(mode, rows.get(rows.size() - groups - 1).rmse());
      double[][] w = window.get(mode);
      if (w != null) {
        for (int g = 0; g <= groups; g++) {
          if (w[g][2] > 0) {
            rows.add(row(mode, g, false, windowStart, nowMillis, w[g], (long) w[g][3], k(mode)));
          }
          w[g] = new double[4];
        }
      }
    }
    windowStart = nowMillis;
    windowStarted = true;
    windowNumber++;
    return rows;
  }

  /** The cumulative RMSE of a mode over all users at the last report; NaN before one. */
  public double lastRmse(String mode) {
    return lastRmse.getOrDefault(mode, Double.NaN);
  }

  /** Users whose sums are kept. */
  public int users() {
    return userEvents.size();
  }

  /** Users that left so far (idle, or over the bound), each counted once however many modes. */
  public long usersLeft() {
    return userEvents.evictions() + userEvents.expirations();
  }

  /** The boundaries of the kept users' counts now (only the smallest and largest matter). */
  private GroupBoundaries currentBoundaries() {
    long[] counts =
        restoring
            ? userEvents.values().stream().mapToLong(Long::longValue).toArray()
            : new long[] {byCount.smallestPositiveCount(), byCount.largestCount()};
    return Coordinator.boundaries(0, groups, counts);
  }

  /** Moves a user's sums to its modes' retired totals, in its group at the last report. */
  private void retire(String user, long count) {
    if (!restoring) {
      byCount.removeUser(count);
    }
    int group = groupAtLastReport(count);
    errors.forEach(
        (mode, perUser) -> {
          double[] acc = perUser.remove(user);
          if (acc != null) {
            addRetired(mode, group, acc, 1);
            if (!restoring) {
              byCount.removeUserSums(mode, count, acc);
            }
          }
        });
  }

  private int groupAtLastReport(long count) {
    if (lastBoundaries == null) {
      lastBoundaries = currentBoundaries(); // before the first report: the boundaries of now
    }
    return Math.max(1, Math.min(groups, lastBoundaries.groupOf(Math.max(1, count))));
  }

  /** Adds to a mode's retired totals: of all users, and of {@code group} unless it is 0. */
  private void addRetired(String mode, int group, double[] acc, long users) {
    double[][] sums = retired.computeIfAbsent(mode, m -> new double[groups + 1][3]);
    long[] count = retiredUsers.computeIfAbsent(mode, m -> new long[groups + 1]);
    for (int slot : group == 0 ? new int[] {0} : new int[] {0, group}) {
      for (int i = 0; i < 3; i++) {
        sums[slot][i] += acc[i];
      }
      count[slot] += users;
    }
  }

  /** The cumulative rows of a report as a table: one line per mode, one column per group. */
  public String table(List<Row> rows) {
    StringBuilder table =
        new StringBuilder("prequential RMSE (HR@k for lists) by group (1 = least data):\n");
    table.append(String.format(Locale.ROOT, "%-14s", "mode"));
    for (int g = 1; g <= groups; g++) {
      table.append(String.format(Locale.ROOT, " %8s", "g" + g));
    }
    table.append(String.format(Locale.ROOT, " %8s %9s%n", "all", "events"));
    Map<String, Row[]> byMode = new LinkedHashMap<>();
    for (Row row : rows) {
      if (row.cumulative()) {
        byMode.computeIfAbsent(row.mode(), m -> new Row[groups + 1])[row.group()] = row;
      }
    }
    byMode.forEach(
        (mode, cells) -> {
          table.append(String.format(Locale.ROOT, "%-14s", mode));
          for (int g = 1; g <= groups; g++) {
            table.append(String.format(Locale.ROOT, " %8s", format(cells[g])));
          }
          table.append(
              String.format(Locale.ROOT, " %8s %9d%n", format(cells[0]), cells[0].events()));
        });
    return table.toString();
  }

  private static String format(Row row) {
    if (row == null || row.events() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.4f", row.isTopN() ? row.hitRate() : row.rmse());
  }

  private List<String> modesInOrder() {
    List<String> modes = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      if (errors.containsKey(mode.label())) {
        modes.add(mode.label());
      }
    }
    for (String mode : errors.keySet()) {
      if (!modes.contains(mode)) {
        modes.add(mode);
      }
    }
    return modes;
  }

  private int k(String mode) {
    return listLengths.getOrDefault(mode, 0);
  }

  private static Row row(
      String mode,
      int group,
      boolean cumulative,
      long start,
      long end,
      double[] acc,
      long users,
      int k) {
    return new Row(
        mode, group, cumulative, start, end, (long) acc[2], Math.max(0, users), acc[0], acc[1], k);
  }

  public ScoreboardSnapshot snapshot() {
    ScoreboardSnapshot s = new ScoreboardSnapshot();
    s.users = userEvents.keySet().toArray(new String[0]);
    s.userEvents = new long[s.users.length];
    for (int u = 0; u < s.users.length; u++) {
      s.userEvents[u] = userEvents.get(s.users[u]);
    }
    List<String> modes = new ArrayList<>(errors.keySet());
    s.modes = modes.toArray(new String[0]);
    s.errors = new double[modes.size()][];
    s.listLengths = new int[modes.size()];
    for (int m = 0; m < modes.size(); m++) {
      double[] flat = new double[3 * s.users.length];
      Map<String, double[]> perUser = errors.get(modes.get(m));
      for (int u = 0; u < s.users.length; u++) {
        double[] acc = perUser.get(s.users[u]);
        if (acc != null) {
          System.arraycopy(acc, 0, flat, 3 * u, 3);
        }
      }
      s.errors[m] = flat;
      s.listLengths[m] = k(modes.get(m));
    }
    s.retired = new double[modes.size()][];
    s.retiredUsers = new long[modes.size()][];
    for (int m = 0; m < modes.size(); m++) {
      double[][] sums = retired.getOrDefault(modes.get(m), new double[groups + 1][3]);
      s.retired[m] = new double[3 * (groups + 1)];
      for (int g = 0; g <= groups; g++) {
        System.arraycopy(sums[g], 0, s.retired[m], 3 * g, 3);
      }
      s.retiredUsers[m] = retiredUsers.getOrDefault(modes.get(m), new long[groups + 1]).clone();
    }
    return s;
  }

  /**
   * Adds a snapshot's sums to this scoreboard (a fresh one, or another subtask's). Retired totals
   * of a snapshot with another number of groups count in group 0 (all users) only.
   */
  public void restore(ScoreboardSnapshot s) {
    restoring = true;
    try {
      merge(s);
    } finally {
      restoring = false;
      rebuildByCount();
    }
  }

  /** Sums the kept users by count again, from their own sums. */
  private void rebuildByCount() {
    byCount.clear();
    // forEach, not get: a lookup in the access-ordered map would change who leaves first.
    userEvents.forEach(
        (user, count) -> {
          byCount.addUser(count);
          errors.forEach(
              (mode, perUser) -> {
                double[] acc = perUser.get(user);
                if (acc != null) {
                  byCount.addUserSums(mode, count, acc);
                }
              });
        });
  }

  private void merge(ScoreboardSnapshot s) {
    for (int m = 0; s.retired != null && m < Math.min(s.modes.length, s.retired.length); m++) {
      double[] sums = s.retired[m];
      long[] users = s.retiredUsers[m];
      double[] rest = Arrays.copyOfRange(sums, 0, 3); // of all users: what no group below holds
      long restUsers = users[0];
      if (sums.length == 3 * (groups + 1)) {
        for (int g = 1; g <= groups; g++) {
          double[] acc = Arrays.copyOfRange(sums, 3 * g, 3 * g + 3);
          if (acc[2] > 0) {
            addRetired(s.modes[m], g, acc, users[g]);
            for (int i = 0; i < 3; i++) {
              rest[i] -= acc[i];
            }
            restUsers -= users[g];
          }
        }
      }
      if (rest[2] > 0.5) { // counts are whole numbers: what is left is not rounding
        addRetired(s.modes[m], 0, rest, restUsers);
      }
    }
    for (int u = 0; u < s.users.length; u++) {
      userEvents.merge(s.users[u], s.userEvents[u], Math::max);
    }
    for (int m = 0; m < s.modes.length; m++) {
      if (m < s.listLengths.length && s.listLengths[m] > 0) {
        listLengths.put(s.modes[m], s.listLengths[m]);
      }
      Map<String, double[]> perUser = errors.computeIfAbsent(s.modes[m], x -> new HashMap<>());
      for (int u = 0; u < s.users.length; u++) {
        int at = 3 * u;
        double[] e = userSums(s.errors[m][at], s.errors[m][at + 1], s.errors[m][at + 2]);
        if (e[2] == 0) {
          continue;
        }
        if (userEvents.containsKey(s.users[u])) {
          perUser.merge(s.users[u], e, (a, b) -> userSums(a[0] + b[0], a[1] + b[1], a[2] + b[2]));
        } else {
          // Left above (more users than the bound): its sums are retired, as in add().
          addRetired(s.modes[m], groupAtLastReport(s.userEvents[u]), e, 1);
        }
      }
    }
  }
}
