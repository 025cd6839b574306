package io.personalize.graph;

import static io.personalize.graph.CoInteractionGraphTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A per-user operator's copy of the graph, advanced by versioned deltas after the watermark. */
class GraphReplicaTest {
  private static final GraphSettings SETTINGS = GraphSettings.defaults();

  /** A delta replacing one item's list. */
  private static GraphDelta delta(
      long version, long previous, long maxEventTime, String item, ItemEdges edges) {
    GraphDelta d = new GraphDelta();
    d.version = version;
    d.previousVersion = previous;
    d.maxEventTimeMillis = maxEventTime;
    d.items = new String[] {item};
    d.edges = new ItemEdges[] {edges};
    return d;
  }

  @Test
  void deltasApplyInOrderOnlyOnceTheWatermarkPassedTheirEvents() {
    GraphReplica replica = new GraphReplica(SETTINGS);
    replica.offer(delta(1, 0, 100, "a", list(100, "b", 1)));
    replica.offer(delta(2, 1, 200, "a", list(200, "b", 2, "c", 1)));
    replica.offer(delta(3, 2, 300, "b", list(300, "c", 1)));
    replica.advanceTo(100); // 100 is not before 100
    assertThat(replica.version()).isZero();
    assertThat(replica.pending()).isEqualTo(3);
    assertThat(replica.graph().neighbors("a")).isNull();
    replica.advanceTo(200);
    assertThat(replica.version()).isEqualTo(1);
    assertThat(replica.graph().neighbors("a").weights).containsExactly(1.0);
    replica.advanceTo(0); // a smaller watermark applies nothing
    assertThat(replica.version()).isEqualTo(1);
    replica.advanceTo(Long.MAX_VALUE);
    assertThat(replica.version()).isEqualTo(3);
    assertThat(replica.pending()).isZero();
    assertThat(replica.gaps()).isZero();
    // a's whole list was replaced: b 2, c 1; c is reached from a and b.
    assertThat(replica.graph().neighbors("a").neighbors).containsExactly("b", "c");
    assertThat(replica.graph().inDegree("c")).isEqualTo(2);
    // b: 2 at 200 ms, read at the latest time, 300 ms.
    assertThat(replica.graph().weightedInDegree("b"))
        .isCloseTo(2 * SETTINGS.decay(100), within(1e-15));
  }

  @Test
  void newestOnlyTheQueueHoldsAnItemsFirstAndNewestListsAndASnapshotKeepsOnlyThose() {
    GraphReplica replica = new GraphReplica(SETTINGS, true);
    GraphDelta first = new GraphDelta();
    first.version = 1;
    first.maxEventTimeMillis = 100;
    first.items = new String[] {"a", "b"};
    first.edges = new ItemEdges[] {list(100, "b", 1), list(100, "a", 1)};
    replica.offer(first);
    replica.offer(delta(2, 1, 200, "a", list(200, "c", 2)));
    assertThat(replica.listsDropped()).as("a's first and newest lists").isZero();
    replica.offer(delta(3, 2, 300, "a", list(300, "d", 3)));
    // a's list of version 2 was the newest queued until version 3 replaced it; its first stays.
    assertThat(replica.listsDropped()).isEqualTo(1);
    assertThat(first.items).as("the caller's delta is left alone").containsExactly("a", "b");
    GraphReplicaSnapshot s = replica.snapshot();
    assertThat(s.pending).extracting(d -> d.version).containsExactly(1L, 2L, 3L);
    assertThat(s.pending)
        .extracting(d -> List.of(d.items))
        .containsExactly(List.of("a", "b"), List.of(), List.of("a"));
    // Applied in order: a and b with version 1, a again only with version 3, at d.
    replica.advanceTo(200);
    assertThat(replica.graph().neighbors("b").neighbors).containsExactly("a");
    assertThat(replica.graph().neighbors("a").neighbors).containsExactly("b");
    // Version 3's list is a's first queued now: a newer one is its newest, nothing dropped.
    replica.offer(delta(4, 3, 400, "a", list(400, "e", 1)));
    assertThat(replica.listsDropped()).isEqualTo(1);
    replica.advanceTo(350);
    assertThat(replica.graph().neighbors("a").neighbors).containsExactly("d");
    replica.advanceTo(Long.MAX_VALUE);
    assertThat(replica.version()).isEqualTo(4);
    assertThat(replica.graph().neighbors("a").neighbors).containsExactly("e");
    // A snapshot taken before lists were dropped (every list queued) gets them dropped on restore.
    GraphReplica restored = new GraphReplica(SETTINGS, true);
    GraphReplicaSnapshot old = new GraphReplicaSnapshot();
    old.pending =
        new ArrayList<>(
            List.of(
                first,
                delta(2, 1, 200, "a", list(200, "c", 2)),
                delta(3, 2, 300, "a", list(300, "d", 3))));
    restored.restore(old);
    assertThat(restored.listsDropped()).isEqualTo(1);
    assertThat(restored.snapshot().pending)
        .extracting(d -> List.of(d.items))
        .containsExactly(List.of("a", "b"), List.of(), List.of("a"));
  }

  /**
   * An item whose list changes in every delta while the watermark trails a few deltas behind: with
   * newest-only, each new list used to drop the one queued before it, so the item's list never
   * applied at all (the replica kept its first list for ever). The list queued first is kept, so
   * the item lags a replica that applies every list by at most the watermark's lag.
   */
  @Test
  void newestOnlyAnItemChangedByEveryDeltaStillAdvancesWithTheWatermark() {
    GraphReplica newestOnly = new GraphReplica(SETTINGS, true);
    GraphReplica everyList = new GraphReplica(SETTINGS, false);
    int perStep = 3;
    for (long v = 1; v <= 30; v++) {
      GraphDelta d = delta(v, v - 1, 100 * v, "a", list(100 * v, "b", v));
      newestOnly.offer(d);
      everyList.offer(d);
      if (v % perStep == 0) {
        long watermark = 100 * (v - 2 * perStep) + 1; // two steps behind the newest delta
        newestOnly.advanceTo(watermark);
        everyList.advanceTo(watermark);
        if (everyList.graph().neighbors("a") != null) {
          double ideal = everyList.graph().neighbors("a").weights[0];
          assertThat(newestOnly.graph().neighbors("a"))
              .as("a's list after delta %d", v)
              .isNotNull();
          assertThat(newestOnly.graph().neighbors("a").weights[0])
              .as("a's list after delta %d", v)
              .isBetween(ideal - 2 * perStep, ideal);
        }
      }
    }
    assertThat(newestOnly.listsDropped()).isPositive();
    assertThat(newestOnly.snapshot().pending.stream().mapToInt(d -> d.items.length).sum())
        .as("at most two lists of a queued")
        .isLessThanOrEqualTo(2);
  }

  @Test
  void aDuplicateIsSkippedAndAMissedVersionCounted() {
    GraphReplica replica = new GraphReplica(SETTINGS);
    GraphDelta first = delta(1, 0, 10, "a", list(10, "b", 1));
    replica.offer(first);
    replica.offer(first);
    // Version 2 never arrives.
    replica.offer(delta(3, 2, 30, "a", list(30, "c", 1)));
    replica.advanceTo(Long.MAX_VALUE);
    assertThat(replica.version()).isEqualTo(3);
    assertThat(replica.duplicates()).isEqualTo(1);
    assertThat(replica.gaps()).isEqualTo(1);
    // The late version 2 and a redelivered 1 change nothing.
    replica.offer(delta(2, 1, 20, "a", list(20, "d", 1)));
    replica.offer(first);
    replica.advanceTo(Long.MAX_VALUE);
    assertThat(replica.duplicates()).isEqualTo(3);
    assertThat(replica.graph().neighbors("a").neighbors).containsExactly("c");
    assertThat(replica.graph().inDegree("b")).isZero();
  }

  @Test
  void anEmptyListRemovesTheItem() {
    GraphReplica replica = new GraphReplica(SETTINGS);
    replica.offer(delta(1, 0, 10, "a", list(10, "b", 1)));
    replica.offer(delta(2, 1, 20, "a", new ItemEdges()));
    replica.advanceTo(Long.MAX_VALUE);
    assertThat(replica.graph().items()).isEmpty();
    assertThat(replica.graph().inDegree("b")).isZero();
  }

  @Test
  void theBuilderSendsEachChangedListOnceWithItsLatestState() {
    GraphDeltaBuilder builder = new GraphDeltaBuilder();
    assertThat(builder.close(0)).isNull();
    ItemEdges a = list(5, "b", 1);
    builder.listChanged("a", a, 5);
    a.weights[0] = 2; // the caller's list changes; the recorded copy does not
    builder.listChanged("c", list(7, "a", 1), 7);
    builder.listChanged("a", list(9, "b", 3), 9);
    assertThat(builder.pending()).isEqualTo(2);
    GraphDelta d = builder.close(1_000);
    assertThat(d.version).isEqualTo(1);
    assertThat(d.previousVersion).isZero();
    assertThat(d.createdAtMillis).isEqualTo(1_000);
    assertThat(d.maxEventTimeMillis).isEqualTo(9);
    assertThat(d.items).containsExactly("a", "c");
    assertThat(d.edges[0].weights).containsExactly(3.0);
    assertThat(builder.pending()).isZero();
    assertThat(builder.close(2_000)).isNull();
    builder.listChanged("c", new ItemEdges(), 3); // emptied by a timer: sent as an empty list
    GraphDelta next = builder.close(3_000);
    assertThat(next.version).isEqualTo(2);
    assertThat(next.previousVersion).isEqualTo(1);
    assertThat(next.maxEventTimeMillis).isEqualTo(3);
    assertThat(next.edges[0].isEmpty()).isTrue();
  }

  @Test
  void theBuilderKeepsItsOpenChangesAcrossARestore() {
    GraphDeltaBuilder builder = new GraphDeltaBuilder();
    builder.listChanged("a", list(5, "b", 1), 5);
    builder.close(10);
    builder.listChanged("b", list(8, "c", 2), 8);
    GraphDeltaBuilder restored = new GraphDeltaBuilder();
    restored.restore(builder.snapshot());
    assertThat(restored.version()).isEqualTo(1);
    GraphDelta d = restored.close(20);
    assertThat(d.version).isEqualTo(2);
    assertThat(d.previousVersion).isEqualTo(1);
    assertThat(d.maxEventTimeMillis).isEqualTo(8);
    assertThat(d.items).containsExactly("b");
    assertThat(d.edges[0].weights).containsExactly(2.0);
  }

  /**
   * Property: users' events build a master graph (the evaluator's way: {@link CoInteractionGraph}
   * adds their pairs) while a builder closes deltas at random points; a replica fed every delta,
   * some twice, with watermarks in between, and restored from its snapshot half-way, ends equal to
   * the master bit for bit.
   */
  @ParameterizedTest(name = "newest only: {0}")
  @ValueSource(booleans = {false, true})
  void aReplicaFedEveryDeltaEqualsTheMaster(boolean newestOnly) {
    GraphSettings settings = SETTINGS.withHalfLifeMillis(50_000).withMaxNeighbors(5);
    Random random = new Random(23);
    CoInteractionGraph master = new CoInteractionGraph(settings);
    Map<String, UserSequence> users = new HashMap<>();
    GraphDeltaBuilder builder = new GraphDeltaBuilder();
    GraphReplica replica = new GraphReplica(settings, newestOnly);
    List<GraphDelta> sent = new ArrayList<>();
    int redelivered = 0;
    for (int n = 1; n <= 5_000; n++) {
      UserSequence user = users.computeIfAbsent("u" + random.nextInt(60), u -> new UserSequence());
      long time = n * 1_000L;
      for (ItemPair pair : user.remember("i" + random.nextInt(80), 1, time, settings)) {
        builder.listChanged(pair.from(), master.add(pair), pair.timeMillis());
      }
      if (random.nextInt(20) == 0) {
        GraphDelta delta = builder.close(time);
        sent.add(delta);
        replica.offer(delta);
      }
      if (random.nextInt(100) == 0 && !sent.isEmpty()) {
        replica.offer(sent.get(random.nextInt(sent.size())));
        redelivered++;
      }
      if (random.nextInt(10) == 0) {
        replica.advanceTo(time);
      }
      if (n == 2_500) {
        GraphReplica restored = new GraphReplica(settings, newestOnly);
        restored.restore(replica.snapshot());
        assertSameGraph(restored.graph(), replica.graph());
        assertThat(restored.pending()).isEqualTo(replica.pending());
        replica = restored;
      }
    }
    GraphDelta last = builder.close(Long.MAX_VALUE);
    if (last != null) {
      sent.add(last);
      replica.offer(last);
    }
    replica.advanceTo(Long.MAX_VALUE);
    assertThat(sent.size()).isGreaterThan(100);
    assertThat(replica.version()).isEqualTo(sent.size());
    assertThat(replica.gaps()).isZero();
    assertThat(replica.pending()).isZero();
    // Redeliveries after the restore count; those before were counted by the replaced replica.
    assertThat(replica.duplicates()).isBetween(1L, (long) redelivered);
    assertThat(master.edgeCount()).isGreaterThan(200);
    assertSameGraph(replica.graph(), master);
    assertThat(replica.listsDropped() > 0).isEqualTo(newestOnly);
  }

  private static void assertSameGraph(CoInteractionGraph actual, CoInteractionGraph expected) {
    assertThat(actual.items()).containsExactlyInAnyOrderElementsOf(expected.items());
    for (String item : expected.items()) {
      ItemEdges e = expected.neighbors(item);
      ItemEdges a = actual.neighbors(item);
      assertThat(a.neighbors).as(item).containsExactly(e.neighbors);
      assertThat(a.weights).as(item).containsExactly(e.weights);
      assertThat(a.referenceMillis).as(item).isEqualTo(e.referenceMillis);
      for (String n : e.neighbors) {
        assertThat(actual.inDegree(n)).isEqualTo(expected.inDegree(n));
      }
    }
    assertThat(actual.edgeCount()).isEqualTo(expected.edgeCount());
  }
}
