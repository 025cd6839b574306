package io.personalize.job.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.graph.ItemEdges;
import io.personalize.graph.ItemPair;
import io.personalize.graph.ItemPairs;
import io.personalize.graph.PairCombiner;
import io.personalize.job.Descriptors;
import io.personalize.job.ItemEdgesChange;
import io.personalize.job.ItemGraphFunction;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.RecommendationOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ItemGraphFunction}: decay and pruning on event-time timers, worked by hand. Edge weights
 * halve every second and edges under 0.25 are pruned, so a fresh edge of weight 1 at time 0 lives
 * until its weight 2^(-t / 1000) drops below 0.25, i.e. from t = 2001 ms on.
 */
class ItemGraphFunctionTest {
  private static final JobConfig CONFIG =
      Fixtures.config(100, 1_000, 1_000, 5_000, 10_000)
          .with(RecommendationOptions.GRAPH_HALF_LIFE, Duration.ofSeconds(1))
          .with(RecommendationOptions.GRAPH_MIN_WEIGHT, 0.25)
          .with(RecommendationOptions.GRAPH_MAX_NEIGHBORS, 2);

  private KeyedOneInputStreamOperatorTestHarness<String, ItemPairs, ItemEdgesChange> harness;

  private static KeyedOneInputStreamOperatorTestHarness<String, ItemPairs, ItemEdgesChange> open()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<String, ItemPairs, ItemEdgesChange>(
            new KeyedProcessOperator<>(new ItemGraphFunction(CONFIG)),
            pairs -> pairs.from,
            Types.STRING);
    h.open();
    return h;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void pair(String from, String to, double weight, long time) throws Exception {
    pairs(new ItemPair(from, to, weight, time));
  }

  /** One record of pairs that all leave the first one's item, as the combining operator sends. */
  private void pairs(ItemPair... pairs) throws Exception {
    PairCombiner combiner = new PairCombiner();
    for (ItemPair pair : pairs) {
      combiner.add(pair);
    }
    ItemPairs record = combiner.drain().get(0);
    harness.processElement(record, record.latestMillis());
  }

  private int stateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  private ItemEdges edges(String item) throws Exception {
    KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(item);
    return backend
        .getPartitionedState(
            VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, Descriptors.itemEdges())
        .value();
  }

  private List<ItemEdgesChange> changes() {
    return harness.extractOutputValues();
  }

  @Test
  void anItemWhoseEdgesAllDecayedLeavesNoStateAndNoTimer() throws Exception {
    harness = open();
    pair("a", "b", 1, 0);
    assertThat(stateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(new Watermark(2_000)); // weight 0.25: not below the minimum yet
    assertThat(stateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(new Watermark(2_001));
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(changes()).hasSize(2);
    assertThat(changes().get(0).edges.neighbors).containsExactly("b");
    assertThat(changes().get(1).itemId).isEqualTo("a");
    assertThat(changes().get(1).edges.isEmpty()).as("the item left the graph").isTrue();
  }

  @Test
  void aListThatGainedWeightMovesItsOneTimer() throws Exception {
    // Again at 1000: 1 * 2^-1 + 1 = 1.5, which stays >= 0.25 while 1.5 * 2^(-dt / 1000) >= 0.25,
    // dt <= 1000 * log2(6) = 2584.96: the list expires at 1000 + 2585 = 3585.
    harness = open();
    pair("a", "b", 1, 0);
    pair("a", "b", 1, 1_000);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(edges("a").weights[0]).isCloseTo(1.5, within(1e-12));

    harness.processWatermark(new Watermark(2_001)); // the first timer fires early and moves
    assertThat(stateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(changes()).as("an early timer changes nothing").hasSize(2);

    harness.processWatermark(new Watermark(3_584));
    assertThat(stateEntries()).isEqualTo(1);
    harness.processWatermark(new Watermark(3_585));
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void bothArrivalOrdersLeaveTheSameListAndBothClean() throws Exception {
    // a -> b at 0 and a -> c at 500, weight 1 each. As of 500: b 2^-0.5 = 0.7071, c 1. The list
    // expires with its strongest edge, c: 500 + 2001 = 2501.
    ItemEdges[] lists = new ItemEdges[2];
    for (int order = 0; order < 2; order++) {
      harness = open();
      if (order == 0) {
        pair("a", "b", 1, 0);
        pair("a", "c", 1, 500);
      } else {
        pair("a", "c", 1, 500);
        pair("a", "b", 1, 0);
      }
      lists[order] = edges("a");
      assertThat(lists[order].neighbors).containsExactly("c", "b");
      assertThat(lists[order].weights[0]).isCloseTo(1, within(1e-12));
      assertThat(lists[order].weights[1]).isCloseTo(Math.pow(2, -0.5), within(1e-12));
      assertThat(harness.numEventTimeTimers()).isEqualTo(1);
      harness.processWatermark(new Watermark(2_500));
      assertThat(stateEntries()).isEqualTo(1);
      harness.processWatermark(new Watermark(2_501));
      assertThat(stateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();
      harness.close();
      harness = null;
    }
    assertThat(lists[1].referenceMillis).isEqualTo(lists[0].referenceMillis);
  }

  @Test
  void eachItemKeepsItsStrongestNeighborsAndDropsWeakEdges() throws Exception {
    // At most 2 neighbors: of b 1, c 3, d 2 the weakest, b, goes. A pair of weight 0.2 is below
    // the minimum: it makes no state at all.
    harness = open();
    pair("a", "b", 1, 0);
    pair("a", "c", 3, 0);
    pair("a", "d", 2, 0);
    assertThat(edges("a").neighbors).containsExactly("c", "d");
    pair("x", "y", 0.2, 0);
    assertThat(edges("x")).isNull();
    assertThat(stateEntries()).isEqualTo(1);
  }

  @Test
  void pairsInOneRecordPruneAfterEachAddAsOneByOneAndChangeTheListOnce() throws Exception {
    // At most 2 neighbors. One by one: b 1, c 3, then d 2 drops b; b again at 1.5 is the weakest
    // of c 3, d 2, b 1.5 and is dropped again. Summed before pruning, b would be 2.5 and stay.
    harness = open();
    pairs(
        new ItemPair("a", "b", 1, 0),
        new ItemPair("a", "c", 3, 0),
        new ItemPair("a", "d", 2, 0),
        new ItemPair("a", "b", 1.5, 0));
    assertThat(edges("a").neighbors).containsExactly("c", "d");
    assertThat(edges("a").weights).containsExactly(3, 2);
    assertThat(changes()).as("one change for the record").hasSize(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }
}
