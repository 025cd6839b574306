package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.click;
import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.ItemPair;
import io.personalize.job.Descriptors;
import io.personalize.job.UserSequenceFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.RecommendationOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UserSequenceFunction}: the item pairs of each user's sequence go to the graph, each event
 * gets its negatives (never the event's item, never one of the user's items, no item twice), and an
 * idle user leaves no state.
 */
class UserSequenceFunctionTest {
  private static final long IDLE = 10_000;
  private static final JobConfig CONFIG =
      Fixtures.config(100, 1_000, 1_000, 5_000, IDLE)
          .with(RecommendationOptions.RANKING_NEGATIVES, 3)
          .with(RecommendationOptions.RANKING_SIGNAL_WEIGHTS, "VIEW=0");

  private KeyedOneInputStreamOperatorTestHarness<String, ValidEvent, ValidEvent> harness;

  private static KeyedOneInputStreamOperatorTestHarness<String, ValidEvent, ValidEvent> open()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<String, ValidEvent, ValidEvent>(
            new KeyedProcessOperator<>(new UserSequenceFunction(CONFIG)),
            e -> e.userId,
            Types.STRING);
    h.open();
    return h;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private ValidEvent send(ValidEvent e) throws Exception {
    harness.processElement(e, e.eventTimeMillis);
    List<ValidEvent> out = harness.extractOutputValues();
    return out.get(out.size() - 1);
  }

  private List<ItemPair> pairs() {
    return harness.getSideOutput(Descriptors.ITEM_PAIRS).stream().map(r -> r.getValue()).toList();
  }

  @Test
  void aUsersEventsBecomeDirectedPairsStartingFromTheNoItemNode() throws Exception {
    harness = open();
    send(click("u1", "a", 1_000));
    send(click("u1", "b", 2_000));
    send(rating("u1", "c", 4, 3_000));
    // Gap weights 1/g^2 (graph.gap-exponent 2): b after a (g 1) 1; c after b (g 1) 1, c after a
    // (g 2) 0.25.
    assertThat(pairs())
        .containsExactly(
            new ItemPair(CoInteractionGraph.NO_ITEM, "a", 1, 1_000),
            new ItemPair("a", "b", 1, 2_000),
            new ItemPair("a", "c", 0.25, 3_000),
            new ItemPair("b", "c", 1, 3_000));
  }

  @Test
  void negativesAreNeverTheItemNorTheUsersItemsNorRepeated() throws Exception {
    harness = open();
    Random random = new Random(3);
    Map<String, Set<String>> seen = new HashMap<>();
    int withNegatives = 0;
    for (int n = 0; n < 300; n++) {
      String user = "u" + random.nextInt(5);
      String item = "i" + random.nextInt(40);
      ValidEvent out = send(click(user, item, 1_000 + n));
      Set<String> users = seen.computeIfAbsent(user, u -> new HashSet<>());
      assertThat(out.negatives).doesNotContain(item).doesNotHaveDuplicates().hasSizeLessThan(4);
      for (String negative : out.negatives) {
        assertThat(users).as("%s's items", user).doesNotContain(negative);
      }
      users.add(item);
      withNegatives += out.negatives.length == 3 ? 1 : 0;
    }
    // 40 items and at most 60 events per user leave most draws plenty of unseen items.
    assertThat(withNegatives).as("most events get all their negatives").isGreaterThan(250);
  }

  @Test
  void aUserWhoHasSeenAllButOneItemGetsThatOneAndTheNextUserIsNotHeldToTheFirstsItems()
      throws Exception {
    harness = open();
    for (int n = 0; n < 30; n++) {
      send(click("other", "i" + n, 1_000 + n)); // 30 items known to the sampler
    }
    for (int n = 0; n < 29; n++) {
      send(click("u1", "i" + n, 2_000 + n));
    }
    // u1 has seen i0..i28; its event on i28 again leaves only i29 to draw (the exact draw, past
    // the random attempts).
    assertThat(send(click("u1", "i28", 3_000)).negatives).containsExactly("i29");
    // u2 has seen only i0: the next draw may take any of i1..i29, also u1's items.
    send(click("u2", "i0", 3_001));
    ValidEvent next = send(click("u2", "i0", 3_002));
    assertThat(next.negatives).hasSize(3).doesNotContain("i0");
  }

  @Test
  void anEventKindOfWeightZeroMakesNoPairsAndNoNegativesButGoesOn() throws Exception {
    harness = open();
    send(click("u1", "a", 1_000));
    send(click("u2", "b", 1_000));
    ValidEvent view = send(new ValidEvent("u1", "c", "VIEW", 1, 2_000));
    assertThat(view.negatives).isEmpty();
    assertThat(pairs()).hasSize(2);
    assertThat(harness.extractOutputValues()).hasSize(3);
  }

  @Test
  void anIdleUserLeavesNoStateAndNoTimer() throws Exception {
    harness = open();
    send(click("u1", "a", 1_000));
    send(click("u1", "b", 4_000));
    assertThat(stateEntries()).as("user-sequence, sequence-seen-items").isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    harness.processWatermark(1_000 + IDLE);
    assertThat(stateEntries()).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).as("moved to the later event").isEqualTo(1);
    harness.processWatermark(4_000 + IDLE);
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private int stateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }
}
