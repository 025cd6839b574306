package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.GroupBoundaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Algorithm 3.1 over a stream: boundaries every regroupEvery events, sent only when changed. */
class GroupCoordinatorTest {

  private static GroupBoundaries boundaries(long version, int groups, long min, long max) {
    return new GroupBoundaries(version, groups, Math.log(min), Math.log(max));
  }

  @Test
  void boundariesEveryRegroupEveryEventsOnlyWhenTheyChange() {
    GroupCoordinator coordinator = new GroupCoordinator(2, 2, 10);
    // a: counts {a=1}; 1 event since the last regrouping, below 2: nothing.
    assertThat(coordinator.observe("a")).isNull();
    // a: {a=2}; regroup: d_min = d_max = ln 2, the first boundaries, version 1.
    assertThat(coordinator.observe("a")).isEqualTo(boundaries(1, 2, 2, 2));
    assertThat(coordinator.version()).isEqualTo(1);
    // b: {a=2, b=1}; 1 event since the regrouping: nothing, although the minimum changed.
    assertThat(coordinator.observe("b")).isNull();
    // b: {a=2, b=2}; regroup: ln 2 .. ln 2 again, unchanged: nothing sent, version stays.
    assertThat(coordinator.observe("b")).isNull();
    assertThat(coordinator.version()).isEqualTo(1);
    // a, a: {a=4, b=2}; regroup after the second: ln 2 .. ln 4, version 2.
    assertThat(coordinator.observe("a")).isNull();
    GroupBoundaries v2 = coordinator.observe("a");
    assertThat(v2).isEqualTo(boundaries(2, 2, 2, 4));
    // s = (ln 4 - ln 2) / 2 = ln 2 / 2: count 2 in group 1, ln 3 - ln 2 = 0.405 > s so 3 is in 2.
    assertThat(v2.groupOf(2)).isEqualTo(1);
    assertThat(v2.groupOf(3)).isEqualTo(2);
    assertThat(v2.groupOf(4)).isEqualTo(2);
    // c, c: {a=4, b=2, c=2}: still ln 2 .. ln 4.
    assertThat(coordinator.observe("c")).isNull();
    assertThat(coordinator.observe("c")).isNull();
    // d, a: {a=5, b=2, c=2, d=1}: ln 1 = 0 .. ln 5, version 3.
    assertThat(coordinator.observe("d")).isNull();
    assertThat(coordinator.observe("a")).isEqualTo(boundaries(3, 2, 1, 5));
    assertThat(coordinator.version()).isEqualTo(3);
    assertThat(coordinator.users()).isEqualTo(4);
    assertThat(coordinator.usersEvicted()).isZero();
  }

  @Test
  void regroupingEveryEventFollowsTheMinimumAndMaximum() {
    GroupCoordinator coordinator = new GroupCoordinator(3, 1, 10);
    // {a=1}: 0 .. 0
    assertThat(coordinator.observe("a")).isEqualTo(boundaries(1, 3, 1, 1));
    // {a=2}: ln 2 .. ln 2 (the count 1 left the histogram)
    assertThat(coordinator.observe("a")).isEqualTo(boundaries(2, 3, 2, 2));
    // {a=2, b=1}: 0 .. ln 2
    assertThat(coordinator.observe("b")).isEqualTo(boundaries(3, 3, 1, 2));
    // {a=2, b=2}: ln 2 .. ln 2
    assertThat(coordinator.observe("b")).isEqualTo(boundaries(4, 3, 2, 2));
    // {a=2, b=3}: ln 2 .. ln 3
    assertThat(coordinator.observe("b")).isEqualTo(boundaries(5, 3, 2, 3));
  }

  @Test
  void anEvictedUsersCountNoLongerCounts() {
    GroupCoordinator coordinator = new GroupCoordinator(2, 1, 2);
    coordinator.observe("a");
    coordinator.observe("a");
    // {a=3}: ln 3 .. ln 3, version 3.
    assertThat(coordinator.observe("a")).isEqualTo(boundaries(3, 2, 3, 3));
    // {a=3, b=1}: 0 .. ln 3.
    assertThat(coordinator.observe("b")).isEqualTo(boundaries(4, 2, 1, 3));
    // c evicts a, the least recently seen: {b=1, c=1}, so the maximum is 1 again, not 3.
    assertThat(coordinator.observe("c")).isEqualTo(boundaries(5, 2, 1, 1));
    assertThat(coordinator.users()).isEqualTo(2);
    assertThat(coordinator.usersEvicted()).isEqualTo(1);
    // a returns and evicts b: {c=1, a=1}: a starts over at 1; 0 .. 0 unchanged, nothing sent.
    assertThat(coordinator.observe("a")).isNull();
    assertThat(coordinator.usersEvicted()).isEqualTo(2);
    // {c=1, a=2}: 0 .. ln 2.
    assertThat(coordinator.observe("a")).isEqualTo(boundaries(6, 2, 1, 2));
    // c: {a=2, c=2}: ln 2 .. ln 2.
    assertThat(coordinator.observe("c")).isEqualTo(boundaries(7, 2, 2, 2));
    // d evicts a, now the least recently seen: {c=2, d=1}: 0 .. ln 2.
    assertThat(coordinator.observe("d")).isEqualTo(boundaries(8, 2, 1, 2));
    assertThat(coordinator.usersEvicted()).isEqualTo(3);
    // c: {d=1, c=3}: 0 .. ln 3.
    assertThat(coordinator.observe("c")).isEqualTo(boundaries(9, 2, 1, 3));
    CountsSnapshot s = coordinator.snapshot();
    assertThat(s.users).containsExactly("d", "c");
    assertThat(s.counts).containsExactly(1, 3);
  }

  @Test
  void snapshotAndRestoreContinueIdentically() {
    Random random = new Random(7);
    GroupCoordinator original = new GroupCoordinator(3, 5, 6);
    List<String> users = new ArrayList<>();
    for (int u = 0; u < 10; u++) {
      users.add("user-" + u);
    }
    for (int n = 0; n < 333; n++) {
      original.observe(users.get(skewed(random)));
    }
    CountsSnapshot snapshot = original.snapshot();
    assertThat(snapshot.eventsSinceRegroup).isEqualTo(333 % 5);
    assertThat(snapshot.version).isEqualTo(original.version()).isPositive();
    GroupCoordinator restored = new GroupCoordinator(3, 5, 6);
    restored.restore(snapshot);
    assertThat(restored.users()).isEqualTo(original.users()).isEqualTo(6);
    assertThat(restored.version()).isEqualTo(original.version());
    int sent = 0;
    for (int n = 0; n < 2000; n++) {
      String user = users.get(skewed(random));
      GroupBoundaries expected = original.observe(user);
      assertThat(restored.observe(user)).as("event %d", n).isEqualTo(expected);
      sent += expected == null ? 0 : 1;
    }
    assertThat(sent).isPositive();
    CountsSnapshot a = original.snapshot();
    CountsSnapshot b = restored.snapshot();
    assertThat(b.users).containsExactly(a.users);
    assertThat(b.counts).containsExactly(a.counts);
    assertThat(b.version).isEqualTo(a.version);
    assertThat(b.eventsSinceRegroup).isEqualTo(a.eventsSinceRegroup);
    assertThat(b.emittedMin).isEqualTo(a.emittedMin);
    assertThat(b.emittedMax).isEqualTo(a.emittedMax);
  }

  @Test
  void aFreshSnapshotRestoresToAFreshCoordinator() {
    GroupCoordinator restored = new GroupCoordinator(2, 1, 5);
    restored.restore(new GroupCoordinator(2, 1, 5).snapshot());
    assertThat(restored.users()).isZero();
    // NaN emitted boundaries: the first regrouping is always sent.
    assertThat(restored.observe("a")).isEqualTo(boundaries(1, 2, 1, 1));
  }

  @Test
  void regroupEveryBelowOneIsRejected() {
    assertThatThrownBy(() -> new GroupCoordinator(2, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Users 0..9 with user u about twice as likely as u + 1, so counts spread over groups. */
  private static int skewed(Random random) {
    int u = 0;
    while (u < 9 && random.nextBoolean()) {
      u++;
    }
    return u;
  }
}
