package io.personalize.job.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.graph.ItemPair;
import io.personalize.graph.ItemPairs;
import io.personalize.graph.PairCombiner;
import io.personalize.job.CombiningOperator;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.RecommendationOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CombiningOperator} with the graph's {@link PairCombiner}: what it holds goes out, one
 * record per source item, before a watermark, before a checkpoint barrier, on its timer and at its
 * bound, and at once with 0 ms.
 */
class CombiningOperatorTest {
  private OneInputStreamOperatorTestHarness<ItemPair, ItemPairs> harness;

  private void open(Duration within) throws Exception {
    JobConfig config =
        Fixtures.config(100, 1_000, 1_000, 5_000, 10_000)
            .with(RecommendationOptions.GRAPH_PAIRS_COMBINE_WITHIN, within);
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new CombiningOperator<>(
                config.millis(RecommendationOptions.GRAPH_PAIRS_COMBINE_WITHIN),
                PairCombiner::new));
    harness.setProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void pair(String from, String to, long time) throws Exception {
    harness.processElement(new ItemPair(from, to, 1.0, time), time);
  }

  /** What came out so far, records as "from->to,to@timestamp" and watermarks as "W time". */
  private List<String> output() {
    List<String> out = new ArrayList<>();
    for (Object o : harness.getOutput()) {
      if (o instanceof Watermark w) {
        out.add("W " + w.getTimestamp());
      } else {
        @SuppressWarnings("unchecked")
        StreamRecord<ItemPairs> r = (StreamRecord<ItemPairs>) o;
        out.add(
            r.getValue().from + "->" + String.join(",", r.getValue().to) + "@" + r.getTimestamp());
      }
    }
    return out;
  }

  @Test
  void pairsHeldGoOutPerSourceItemBeforeTheWatermarkThatPassesThem() throws Exception {
    open(Duration.ofSeconds(10));
    pair("a", "b", 5);
    pair("x", "a", 6);
    pair("a", "c", 4);
    assertThat(output()).as("held").isEmpty();

    harness.processWatermark(new Watermark(6));

    assertThat(output()).containsExactly("a->b,c@5", "x->a@6", "W 6");
  }

  @Test
  void aCheckpointBarrierFindsNothingHeld() throws Exception {
    open(Duration.ofSeconds(10));
    pair("a", "b", 5);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(output()).containsExactly("a->b@5");
  }

  @Test
  void theTimerSendsWhatWasHeldWithinTheInterval() throws Exception {
    open(Duration.ofMillis(200));
    pair("a", "b", 5);
    harness.setProcessingTime(199);
    pair("a", "c", 6);
    assertThat(output()).isEmpty();
    harness.setProcessingTime(200);
    assertThat(output()).containsExactly("a->b,c@6");

    pair("a", "d", 7); // a new interval starts with the next pair
    harness.setProcessingTime(399);
    assertThat(output()).hasSize(1);
    harness.setProcessingTime(400);
    assertThat(output()).containsExactly("a->b,c@6", "a->d@7");
  }

  @Test
  void noMoreThanTheBoundIsHeld() throws Exception {
    open(Duration.ofSeconds(10));
    for (int n = 0; n < 10_000; n++) {
      pair("a", "i" + (n % 7), n);
    }
    assertThat(harness.getOutput()).hasSize(1);
  }

  @Test
  void zeroSendsEveryPairAlone() throws Exception {
    open(Duration.ZERO);
    pair("a", "b", 5);
    pair("a", "c", 6);
    assertThat(output()).containsExactly("a->b@5", "a->c@6");
  }
}
