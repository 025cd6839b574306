package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.model.Coordinator;
import io.personalize.model.Mode;
import io.personalize.online.PrequentialScoreboard.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Prequential RMSE and MAE per mode and group, cumulative and windowed. */
class PrequentialScoreboardTest {
  private static final double EPS = 1e-12;

  private static Prediction p(
      String mode, String user, long userEvents, int group, double prediction, double label) {
    return new Prediction(mode, user, userEvents, group, prediction, label, 0, 0);
  }

  /**
   * Three events. a's first (a has 1 event, group 1): global 3 vs 4, adaptive 3.5 vs 4. b's first
   * (group 1): global 5 vs 3, adaptive 2 vs 3. a's second (a has 2 events, scored in group 2):
   * adaptive 4.5 vs 4 only.
   */
  private static void threeEvents(PrequentialScoreboard board) {
    board.add(p("global", "a", 1, 1, 3, 4));
    board.add(p("adaptive", "a", 1, 1, 3.5, 4));
    board.add(p("global", "b", 1, 1, 5, 3));
    board.add(p("adaptive", "b", 1, 1, 2, 3));
    board.add(p("adaptive", "a", 2, 2, 4.5, 4));
  }

  private static Row find(List<Row> rows, String mode, int group, boolean cumulative) {
    return rows.stream()
        .filter(r -> r.mode().equals(mode) && r.group() == group && r.cumulative() == cumulative)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + mode + " g" + group + " " + cumulative));
  }

  private static void assertRow(
      Row row, long events, long users, double sse, double sae, double rmse, double mae) {
    assertThat(row.events()).as("events of %s", row).isEqualTo(events);
    assertThat(row.users()).as("users of %s", row).isEqualTo(users);
    assertThat(row.squaredErrors()).as("sse of %s", row).isCloseTo(sse, within(EPS));
    assertThat(row.absoluteErrors()).as("sae of %s", row).isCloseTo(sae, within(EPS));
    assertThat(row.rmse()).as("rmse of %s", row).isCloseTo(rmse, within(EPS));
    assertThat(row.mae()).as("mae of %s", row).isCloseTo(mae, within(EPS));
  }

  @Test
  void cumulativeRowsGroupUsersByTheirCurrentCounts() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 10);
    threeEvents(board);
    assertThat(board.users()).isEqualTo(2);
    List<Row> rows = board.report(1_000);
    // Counts now {a=2, b=1}: d in [0, ln 2], s = ln 2 / 2, so b (d = 0) is in group 1 and a (d =
    // ln 2, on the upper end) in group 2, although a's first event was scored in group 1.
    //
    // global: a e = 3 - 4 = -1, b e = 5 - 3 = 2.
    //   all: sse 1 + 4 = 5, sae 3, n 2: RMSE sqrt(5/2), MAE 3/2
    //   g1 (b): sse 4, sae 2, n 1: RMSE 2, MAE 2; g2 (a): sse 1, sae 1: RMSE 1, MAE 1
    assertRow(find(rows, "global", 0, true), 2, 2, 5, 3, Math.sqrt(2.5), 1.5);
    assertRow(find(rows, "global", 1, true), 1, 1, 4, 2, 2, 2);
    assertRow(find(rows, "global", 2, true), 1, 1, 1, 1, 1, 1);
    // adaptive: a e = -0.5 and +0.5, b e = 2 - 3 = -1.
    //   all: sse 0.25 + 0.25 + 1 = 1.5, sae 2, n 3: RMSE sqrt(0.5), MAE 2/3
    //   g1 (b): sse 1, sae 1, n 1: RMSE 1, MAE 1
    //   g2 (a): sse 0.5, sae 1, n 2: RMSE sqrt(0.25) = 0.5, MAE 0.5
    assertRow(find(rows, "adaptive", 0, true), 3, 2, 1.5, 2, Math.sqrt(0.5), 2.0 / 3);
    assertRow(find(rows, "adaptive", 1, true), 1, 1, 1, 1, 1, 1);
    assertRow(find(rows, "adaptive", 2, true), 2, 1, 0.5, 1, 0.5, 0.5);
    for (Row row : rows) {
      if (row.cumulative()) {
        assertThat(row.startMillis()).isZero();
      }
      assertThat(row.endMillis()).isEqualTo(1_000);
    }
    assertThat(board.lastRmse("global")).isCloseTo(Math.sqrt(2.5), within(EPS));
    assertThat(board.lastRmse("adaptive")).isCloseTo(Math.sqrt(0.5), within(EPS));
    assertThat(board.lastRmse("mtl")).isNaN();
  }

  @Test
  void windowedRowsCoverOnlyGroupsScoredSinceTheLastReport() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 10);
    assertThat(board.report(500)).isEmpty();
    assertThat(board.lastRmse("global")).isNaN();
    threeEvents(board);
    List<Row> rows = board.report(1_000);
    // Modes in Mode order (global before adaptive); per mode cumulative rows 0..C, then the
    // windowed rows of the groups with predictions: global scored nothing in group 2.
    assertThat(rows)
        .extracting(r -> r.mode() + " " + r.group() + (r.cumulative() ? " cum" : " win"))
        .containsExactly(
            "global 0 cum",
            "global 1 cum",
            "global 2 cum",
            "global 0 win",
            "global 1 win",
            "adaptive 0 cum",
            "adaptive 1 cum",
            "adaptive 2 cum",
            "adaptive 0 win",
            "adaptive 1 win",
            "adaptive 2 win");
    // Windowed rows group by the group at scoring time and count the distinct users scored.
    // global: both events in group 1: sse 5, sae 3, n 2, users a and b.
    assertRow(find(rows, "global", 0, false), 2, 2, 5, 3, Math.sqrt(2.5), 1.5);
    assertRow(find(rows, "global", 1, false), 2, 2, 5, 3, Math.sqrt(2.5), 1.5);
    // adaptive g1: a -0.5, b -1: sse 1.25, sae 1.5, n 2: RMSE sqrt(0.625), MAE 0.75.
    // adaptive g2: a +0.5: RMSE 0.5, MAE 0.5. All: a counted once for its two events.
    assertRow(find(rows, "adaptive", 1, false), 2, 2, 1.25, 1.5, Math.sqrt(0.625), 0.75);
    assertRow(find(rows, "adaptive", 2, false), 1, 1, 0.25, 0.5, 0.5, 0.5);
    assertRow(find(rows, "adaptive", 0, false), 3, 2, 1.5, 2, Math.sqrt(0.5), 2.0 / 3);
    assertThat(find(rows, "adaptive", 0, false).startMillis()).isEqualTo(500);

    // The window restarts: one more global event of b (now 2 events, scored in group 1), 4 vs 3.
    board.add(p("global", "b", 2, 1, 4, 3));
    List<Row> next = board.report(2_000);
    assertThat(next)
        .extracting(r -> r.mode() + " " + r.group() + (r.cumulative() ? " cum" : " win"))
        .containsExactly(
            "global 0 cum",
            "global 1 cum",
            "global 2 cum",
            "global 0 win",
            "global 1 win",
            "adaptive 0 cum",
            "adaptive 1 cum",
            "adaptive 2 cum");
    // Window: only the new event, e = 1, from the previous report's time, and only its user.
    Row window = find(next, "global", 0, false);
    assertRow(window, 1, 1, 1, 1, 1, 1);
    assertThat(window.startMillis()).isEqualTo(1_000);
    assertThat(window.endMillis()).isEqualTo(2_000);
    // Cumulative: counts {a=2, b=2}, so d_min = d_max and everyone is in group 1.
    // global: sse 1 + 4 + 1 = 6, sae 1 + 2 + 1 = 4, n 3: RMSE sqrt(2), MAE 4/3.
    assertRow(find(next, "global", 0, true), 3, 2, 6, 4, Math.sqrt(2), 4.0 / 3);
    assertRow(find(next, "global", 1, true), 3, 2, 6, 4, Math.sqrt(2), 4.0 / 3);
    Row empty = find(next, "global", 2, true);
    assertThat(empty.events()).isZero();
    assertThat(empty.users()).isZero();
    assertThat(empty.rmse()).isNaN();
    assertThat(empty.mae()).isNaN();
    assertThat(board.lastRmse("global")).isCloseTo(Math.sqrt(2), within(EPS));
  }

  /** The metrics topic's windowed snapshots said 0 users for every window. */
  @Test
  void aWindowCountsEachUserOnceAndAgainInTheNextWindow() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 10);
    for (int e = 1; e <= 3; e++) {
      board.add(p("global", "a", e, 1, 3, 4));
    }
    board.add(p("global", "b", 1, 1, 3, 4));
    assertThat(find(board.report(1_000), "global", 1, false).users()).isEqualTo(2);
    board.add(p("global", "a", 4, 1, 3, 4));
    assertThat(find(board.report(2_000), "global", 1, false).users()).isEqualTo(1);
    // After a restore the window starts empty, and a restored user counts at its next event.
    PrequentialScoreboard restored = new PrequentialScoreboard(2, 10);
    restored.restore(board.snapshot());
    restored.add(p("global", "a", 5, 1, 3, 4));
    restored.add(p("global", "a", 6, 1, 3, 4));
    assertThat(find(restored.report(3_000), "global", 0, false).users()).isEqualTo(1);
  }

  /**
   * The global model's predictions carry no group (0): the job's windowed figures of the global
   * mode put all of its events in group 1.
   */
  @Test
  void aPredictionWithoutAGroupCountsInTheGroupOfTheUsersCount() {
    PrequentialScoreboard board = new PrequentialScoreboard(3, 10);
    board.add(p("adaptive", "a", 1, 1, 3, 3));
    board.add(p("adaptive", "c", 100, 3, 3, 3));
    board.report(1); // the boundaries of the counts 1 and 100: a in group 1, c in group 3
    board.add(p("global", "c", 0, 0, 4, 3));
    board.add(p("global", "a", 0, 0, 2, 3));
    List<Row> rows = board.report(2);
    assertRow(find(rows, "global", 3, false), 1, 1, 1, 1, 1, 1);
    assertRow(find(rows, "global", 1, false), 1, 1, 1, 1, 1, 1);
    assertThat(rows).noneMatch(r -> !r.cumulative() && r.group() == 2);
  }

  @Test
  void windowGroupsOutsideOneToCAreClamped() {
    PrequentialScoreboard board = new PrequentialScoreboard(3, 10);
    board.add(p("global", "a", 1, 0, 1, 2));
    board.add(p("global", "b", 1, 9, 1, 3));
    List<Row> rows = board.report(1);
    assertRow(find(rows, "global", 1, false), 1, 1, 1, 1, 1, 1);
    assertRow(find(rows, "global", 3, false), 1, 1, 4, 2, 2, 2);
  }

  @Test
  void usersOverTheBoundLeaveTheirSumsInTheGroupTheyHadAndEventsNeverGoDown() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 2);
    threeEvents(board);
    // Least recently scored first: b, a (a's second event came last). c pushes b out before any
    // report, so b is grouped by the counts of then, {a=2, c=1}: b (1 event) in group 1. b's
    // sums leave to the retired totals: global (4, 2, 1), adaptive (1, 1, 1).
    board.add(p("global", "c", 1, 1, 2, 4));
    assertThat(board.users()).isEqualTo(2);
    assertThat(board.usersLeft()).isEqualTo(1);
    List<Row> rows = board.report(1);
    // Counts {a=2, c=1}: c in group 1, a in group 2; b retired in group 1.
    // global: a e = -1, c e = 2 - 4 = -2, b (retired) e = 2: sse 9, sae 5, n 3, 3 users.
    assertRow(find(rows, "global", 0, true), 3, 3, 9, 5, Math.sqrt(3), 5.0 / 3);
    assertRow(find(rows, "global", 1, true), 2, 2, 8, 4, 2, 2);
    assertRow(find(rows, "global", 2, true), 1, 1, 1, 1, 1, 1);
    // adaptive: a's -0.5 and +0.5 (group 2) and b's retired -1 (group 1).
    assertRow(find(rows, "adaptive", 0, true), 3, 2, 1.5, 2, Math.sqrt(0.5), 2.0 / 3);
    assertRow(find(rows, "adaptive", 1, true), 1, 1, 1, 1, 1, 1);
    assertRow(find(rows, "adaptive", 2, true), 2, 1, 0.5, 1, 0.5, 0.5);
    // b returns and pushes out a, now the least recently scored, grouped by the last report's
    // boundaries: group 2. b starts new sums (4 vs 4: e = 0) and has 3 events: group 2.
    board.add(p("adaptive", "b", 3, 1, 4, 4));
    List<Row> next = board.report(2);
    // global: nothing new, so the same sums: c live (g1), b retired (g1), a retired (g2).
    assertRow(find(next, "global", 0, true), 3, 3, 9, 5, Math.sqrt(3), 5.0 / 3);
    assertRow(find(next, "global", 1, true), 2, 2, 8, 4, 2, 2);
    assertRow(find(next, "global", 2, true), 1, 1, 1, 1, 1, 1);
    // adaptive: old b (1, 1, 1) retired in g1; a (0.5, 1, 2) retired in g2; new b (0, 0, 1) in g2:
    // sse 1.5, sae 2, n 4, b counted twice (3 users). g2: sse 0.5, sae 1, n 3.
    assertRow(find(next, "adaptive", 0, true), 4, 3, 1.5, 2, Math.sqrt(0.375), 0.5);
    assertRow(find(next, "adaptive", 1, true), 1, 1, 1, 1, 1, 1);
    assertRow(find(next, "adaptive", 2, true), 3, 2, 0.5, 1, Math.sqrt(0.5 / 3), 1.0 / 3);
    ScoreboardSnapshot s = board.snapshot();
    assertThat(s.users).containsExactly("c", "b");
    assertThat(s.userEvents).containsExactly(1, 3);
    assertThat(s.modes).containsExactly("global", "adaptive");
    assertThat(s.retired[0]).containsExactly(5, 3, 2, 4, 2, 1, 1, 1, 1);
    assertThat(s.retiredUsers[0]).containsExactly(2, 1, 1);
  }

  @Test
  void usersIdleForTheExpiryInEventTimeLeaveAndCountAgainWhenTheyReturn() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 10, 1_000);
    board.add(new Prediction("global", "a", 1, 1, 3, 4, 0, 0)); // e = -1
    board.add(new Prediction("global", "b", 1, 1, 5, 3, 500, 0)); // e = 2
    board.report(1);
    // At 1,000, a (seen at 0) has been idle for 1,000: it leaves; b (500) stays.
    board.add(new Prediction("global", "c", 1, 1, 2, 4, 1_000, 0)); // e = -2
    assertThat(board.users()).isEqualTo(2);
    assertThat(board.usersLeft()).isEqualTo(1);
    assertRow(find(board.report(2), "global", 0, true), 3, 3, 9, 5, Math.sqrt(3), 5.0 / 3);
    // An out-of-order event does not move time back: at 1,600 b (500) leaves; a returns anew.
    board.add(new Prediction("global", "a", 1, 1, 4, 4, 1_600, 0)); // e = 0
    board.add(new Prediction("global", "c", 2, 1, 4, 4, 900, 0)); // e = 0, late
    assertThat(board.users()).isEqualTo(2);
    assertThat(board.usersLeft()).isEqualTo(2);
    List<Row> rows = board.report(3);
    // a's first event retired, b retired, a's new one and c's two live: n 5, 4 users.
    assertRow(find(rows, "global", 0, true), 5, 4, 9, 5, Math.sqrt(9.0 / 5), 1);
    PrequentialScoreboard restored = new PrequentialScoreboard(2, 10, 1_000);
    restored.restore(board.snapshot());
    assertThat(cumulative(restored.report(4))).isEqualTo(cumulative(board.report(4)));
  }

  @Test
  void aSnapshotFromBeforeRetiredTotalsOrWithOtherGroupsRestores() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 1);
    board.add(p("global", "a", 1, 1, 3, 4)); // e = -1
    board.add(p("global", "b", 1, 1, 5, 3)); // e = 2, pushes a out
    ScoreboardSnapshot s = board.snapshot();
    // Into three groups: a's retired sums count in all users only.
    PrequentialScoreboard regrouped = new PrequentialScoreboard(3, 10);
    regrouped.restore(s);
    List<Row> rows = regrouped.report(1);
    assertRow(find(rows, "global", 0, true), 2, 2, 5, 3, Math.sqrt(2.5), 1.5);
    assertThat(find(rows, "global", 1, true).events() + find(rows, "global", 2, true).events())
        .isEqualTo(1);
    // Restored again with three groups, the all-users-only part stays all-users-only.
    PrequentialScoreboard again = new PrequentialScoreboard(3, 10);
    again.restore(regrouped.snapshot());
    assertThat(cumulative(again.report(2))).isEqualTo(cumulative(regrouped.report(2)));
    // A snapshot written before retired totals were kept (the fields null after a restore).
    s.retired = null;
    s.retiredUsers = null;
    PrequentialScoreboard old = new PrequentialScoreboard(2, 10);
    old.restore(s);
    assertRow(find(old.report(1), "global", 0, true), 1, 1, 4, 2, 2, 2);
  }

  @Test
  void snapshotAndRestoreGiveTheSameCumulativeFigures() {
    PrequentialScoreboard original = new PrequentialScoreboard(3, 8);
    Random random = new Random(11);
    long[] counts = new long[12];
    for (int n = 0; n < 400; n++) {
      original.add(randomPrediction(random, counts));
    }
    original.report(1);
    PrequentialScoreboard restored = new PrequentialScoreboard(3, 8);
    restored.restore(original.snapshot());
    assertThat(restored.users()).isEqualTo(original.users()).isEqualTo(8);
    assertThat(cumulative(restored.report(2))).isEqualTo(cumulative(original.report(2)));
    for (int n = 0; n < 400; n++) {
      Prediction p = randomPrediction(random, counts);
      original.add(p);
      restored.add(p);
    }
    List<Row> a = original.report(3);
    List<Row> b = restored.report(3);
    // The windows were not snapshotted, but both started at the report at 2 and saw the same.
    assertThat(b).isEqualTo(a);
    assertThat(restored.lastRmse("mtl")).isEqualTo(original.lastRmse("mtl")).isNotNaN();
  }

  @Test
  void restoringTwoSnapshotsAddsTheirSums() {
    PrequentialScoreboard x = new PrequentialScoreboard(2, 10);
    x.add(p("global", "a", 1, 1, 3, 4));
    PrequentialScoreboard y = new PrequentialScoreboard(2, 10);
    y.add(p("global", "a", 3, 1, 5, 4));
    y.add(p("global", "b", 1, 1, 1, 3));
    y.add(p("mtl", "b", 1, 1, 2, 3));
    PrequentialScoreboard merged = new PrequentialScoreboard(2, 10);
    merged.restore(x.snapshot());
    merged.restore(y.snapshot());
    List<Row> rows = merged.report(1);
    // a: e = -1 (x) and +1 (y): sse 2, sae 2, n 2; count max(1, 3) = 3. b: e = -2, count 1.
    // Counts {a=3, b=1}: a in group 2, b in group 1.
    // global all: sse 2 + 4 = 6, sae 4, n 3: RMSE sqrt(2), MAE 4/3.
    assertRow(find(rows, "global", 0, true), 3, 2, 6, 4, Math.sqrt(2), 4.0 / 3);
    assertRow(find(rows, "global", 1, true), 1, 1, 4, 2, 2, 2);
    assertRow(find(rows, "global", 2, true), 2, 1, 2, 2, 1, 1);
    // mtl only has b: e = -1.
    assertRow(find(rows, "mtl", 0, true), 1, 1, 1, 1, 1, 1);
    assertRow(find(rows, "mtl", 1, true), 1, 1, 1, 1, 1, 1);
    assertThat(find(rows, "mtl", 2, true).events()).isZero();
    // Restored sums are cumulative only: no window.
    assertThat(rows).allMatch(Row::cumulative);
  }

  @Test
  void restoringMoreUsersThanTheBoundRetiresTheRest() {
    PrequentialScoreboard big = new PrequentialScoreboard(2, 10);
    big.add(p("global", "a", 1, 1, 3, 4));
    big.add(p("global", "b", 1, 1, 5, 3));
    big.add(p("global", "c", 1, 1, 1, 4));
    PrequentialScoreboard small = new PrequentialScoreboard(2, 2);
    small.restore(big.snapshot());
    // a, the least recently scored, leaves: b (e = 2) and c (e = -3) are kept, a's e = -1 is
    // retired in group 1 (all have 1 event).
    assertThat(small.users()).isEqualTo(2);
    List<Row> rows = small.report(1);
    // sse 1 + 4 + 9 = 14, sae 6, n 3.
    assertRow(find(rows, "global", 0, true), 3, 3, 14, 6, Math.sqrt(14.0 / 3), 2);
    assertThat(small.snapshot().errors[0]).containsExactly(4, 2, 1, 9, 3, 1);
    assertThat(small.snapshot().retired[0]).containsExactly(1, 1, 1, 1, 1, 1, 0, 0, 0);
  }

  @Test
  void tableHasOneLinePerMode() {
    PrequentialScoreboard board = new PrequentialScoreboard(2, 10);
    threeEvents(board);
    String table = board.table(board.report(1));
    assertThat(table.lines())
        .containsExactly(
            "prequential RMSE (HR@k for lists) by group (1 = least data):",
            "mode                 g1       g2      all    events",
            "global           2.0000   1.0000   1.5811         2",
            "adaptive         1.0000   0.5000   0.7071         3");
    // A group without events shows a dash.
    board.add(p("global", "b", 2, 1, 3, 3));
    String next = board.table(board.report(2));
    // Counts {a=2, b=2}: everyone in group 1; global sse 5, n 3: sqrt(5/3) = 1.2910.
    assertThat(next.lines()).contains("global           1.2910        -   1.2910         3");
  }

  @Test
  void listChecksGiveHitRateAndMrr() {
    // User a: ranks 1 and 0 (a miss); user b: rank 4. Hits 2 of 3: HR 0.6667; reciprocal ranks
    // 1 + 0 + 0.25: MRR 0.4167. Counts a=2, b=1 with 2 groups: b in group 1, a in group 2.
    PrequentialScoreboard board = new PrequentialScoreboard(2, 10);
    board.add(Prediction.listCheck("walks+rank", "a", 1, 1, 10, 1, 0, 0));
    board.add(Prediction.listCheck("walks+rank", "a", 2, 1, 10, 0, 0, 0));
    board.add(Prediction.listCheck("walks+rank", "b", 1, 1, 10, 4, 0, 0));
    List<Row> rows = cumulative(board.report(1));
    Row all = rows.get(0);
    assertThat(all.isTopN()).isTrue();
    assertThat(all.k()).isEqualTo(10);
    assertThat(all.hitRate()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(all.mrr()).isCloseTo(1.25 / 3, within(1e-12));
    assertThat(rows.get(1).hitRate()).isEqualTo(1.0); // b
    assertThat(rows.get(2).hitRate()).isEqualTo(0.5); // a
    assertThat(rows.get(2).mrr()).isEqualTo(0.5);
    PrequentialScoreboard restored = new PrequentialScoreboard(2, 10);
    restored.restore(board.snapshot());
    Row again = cumulative(restored.report(2)).get(0);
    assertThat(again.k()).isEqualTo(10);
    assertThat(again.mrr()).isCloseTo(1.25 / 3, within(1e-12));
  }

  @Test
  void reportsGroupAsIfEveryKeptUserWereWalked() {
    // Users come, score more events (their counts grow), go idle or are pushed out, and return,
    // with reports in between. Each report must equal the figures of the kept users walked one by
    // one, from the snapshot, plus the retired totals.
    int groups = 3;
    PrequentialScoreboard board = new PrequentialScoreboard(groups, 20, 5_000);
    Random random = new Random(7);
    long[] counts = new long[60];
    long time = 0;
    for (int n = 1; n <= 5_000; n++) {
      time += random.nextInt(40);
      Prediction p = randomPrediction(random, counts);
      p.eventTimeMillis = time;
      board.add(p);
      if (n % 250 == 0) {
        ScoreboardSnapshot s = board.snapshot();
        assertThat(cumulative(board.report(n))).isEqualTo(walkEveryUser(s, groups, n));
      }
    }
    assertThat(board.usersLeft()).isGreaterThan(100);
  }

  /** The cumulative rows of a snapshot, walking its users one by one. */
  private static List<Row> walkEveryUser(ScoreboardSnapshot s, int groups, long nowMillis) {
    var boundaries = Coordinator.boundaries(0, groups, s.userEvents);
    List<Row> rows = new ArrayList<>();
    for (int m = 0; m < s.modes.length; m++) {
      double[][] sums = new double[groups + 1][3];
      long[] users = s.retiredUsers[m].clone();
      for (int g = 0; g <= groups; g++) {
        sums[g] = Arrays.copyOfRange(s.retired[m], 3 * g, 3 * g + 3);
      }
      for (int u = 0; u < s.users.length; u++) {
        double[] e = Arrays.copyOfRange(s.errors[m], 3 * u, 3 * u + 3);
        if (e[2] > 0) {
          for (int slot : new int[] {0, boundaries.groupOf(Math.max(1, s.userEvents[u]))}) {
            for (int i = 0; i < 3; i++) {
              sums[slot][i] += e[i];
            }
            users[slot]++;
          }
        }
      }
      for (int g = 0; g <= groups; g++) {
        rows.add(
            new Row(
                s.modes[m],
                g,
                true,
                0,
                nowMillis,
                (long) sums[g][2],
                users[g],
                sums[g][0],
                sums[g][1],
                0));
      }
    }
    // The report lists modes in Mode order.
    rows.sort(
        Comparator.comparingInt(r -> Mode.valueOf(r.mode().toUpperCase(Locale.ROOT)).ordinal()));
    return rows;
  }

  private static List<Row> cumulative(List<Row> rows) {
    return rows.stream().filter(Row::cumulative).toList();
  }

  private static Prediction randomPrediction(Random random, long[] counts) {
    int user = random.nextInt(counts.length);
    counts[user]++;
    String mode = List.of("global", "local", "mtl", "adaptive").get(random.nextInt(4));
    return p(
        mode,
        "u" + user,
        counts[user],
        1 + random.nextInt(3),
        // Multiples of 1/4: every sum is exact, so the order of summation does not matter.
        1 + random.nextInt(17) / 4.0,
        1 + random.nextInt(5));
  }
}
