package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.job.Control;
import io.personalize.job.Descriptors;
import io.personalize.job.ItemNeighboursFunction;
import io.personalize.job.PersonalModelFunction;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.model.Mode;
import io.personalize.neighbours.NeighbourModel;
import io.personalize.neighbours.NeighbourRequest;
import io.personalize.neighbours.PartnerUpdates;
import io.personalize.online.Prediction;
import io.personalize.recommend.SeenItems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PersonalModelFunction} and {@link ItemNeighboursFunction} with {@code model.neighbours}:
 * adaptive's predictions leave the per-user operator only through the item neighbourhoods, which
 * correct them as the evaluator's {@link NeighbourModel} does; an item's sums and a user's history
 * leave with their idle timers.
 */
class ItemNeighboursFunctionTest {
  private static final long IDLE = 10_000;
  private static final JobConfig CONFIG =
      Fixtures.config(100, 1_000, 1_000, 5_000, IDLE, false)
          .with(PersonalizeOptions.MODEL_NEIGHBOURS, true);

  private KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> users;
  private KeyedTwoInputStreamOperatorTestHarness<
          Integer, NeighbourRequest, PartnerUpdates, Prediction>
      items;

  private void open() throws Exception {
    open(CONFIG);
  }

  private void open(JobConfig config) throws Exception {
    users =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new PersonalModelFunction(config),
            e -> e.userId,
            Types.STRING,
            Descriptors.CONTROL_CHANNEL);
    items =
        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
            new ItemNeighboursFunction(config),
            request -> request.item,
            update -> update.item,
            Types.INT);
  }

  @AfterEach
  void close() throws Exception {
    if (users != null) {
      users.close();
    }
    if (items != null) {
      items.close();
    }
  }

  private int sent;
  private int updatesSent;

  /**
   * Sends the event through the per-user operator and what it sends on (the request, then the
   * partner updates) through the neighbourhoods; returns the event's request as it was sent (the
   * neighbourhood corrects the prediction in it).
   */
  private NeighbourRequest send(ValidEvent e) throws Exception {
    users.processElement(e, e.eventTimeMillis);
    List<NeighbourRequest> requests = values(users.getSideOutput(Descriptors.NEIGHBOUR_REQUESTS));
    List<PartnerUpdates> updates = values(users.getSideOutput(Descriptors.PARTNER_UPDATES));
    assertThat(requests).hasSize(sent + 1);
    NeighbourRequest request = requests.get(sent++);
    NeighbourRequest asSent = copy(request);
    items.processElement1(new StreamRecord<>(request, e.eventTimeMillis));
    for (; updatesSent < updates.size(); updatesSent++) {
      items.processElement2(new StreamRecord<>(updates.get(updatesSent), e.eventTimeMillis));
    }
    return asSent;
  }

  private static NeighbourRequest copy(NeighbourRequest request) {
    NeighbourRequest copy = new NeighbourRequest();
    copy.item = request.item;
    copy.prediction = new Prediction();
    copy.prediction.prediction = request.prediction.prediction;
    copy.history = request.history.clone();
    return copy;
  }

  private static <T> List<T> values(java.util.Queue<StreamRecord<T>> records) {
    List<T> out = new ArrayList<>();
    if (records != null) {
      records.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  /**
   * Sends each (user, item, rating) through both operators, one 10 ms after the other, and returns
   * what the evaluator's {@link NeighbourModel} makes of them: each rating's adaptive prediction
   * corrected, and not.
   */
  private Reference sendAll(JobConfig config, List<String[]> ratings) throws Exception {
    NeighbourModel model = new NeighbourModel(config.neighbours());
    Map<String, Integer> userIndex = new HashMap<>();
    Map<String, Integer> itemIndex = new HashMap<>();
    Reference reference = new Reference(new ArrayList<>(), new ArrayList<>());
    long time = 1_000;
    for (String[] r : ratings) {
      ValidEvent e = rating(r[0], r[1], Double.parseDouble(r[2]), time += 10);
      NeighbourRequest request = send(e);
      assertThat(request.item).isEqualTo(SeenItems.hash(r[1]));
      int u = userIndex.computeIfAbsent(r[0], id -> userIndex.size());
      int i = itemIndex.computeIfAbsent(r[1], id -> itemIndex.size());
      double adaptive = request.prediction.prediction;
      reference.uncorrected.add(config.scale().clamp(adaptive));
      reference.corrected.add(config.scale().clamp(adaptive + model.correction(u, i)));
      // No checkpoint came: the baseline is the initial model's mean (3) and item biases (0).
      model.learn(u, i, e.value, adaptive, config.initialMean());
    }
    return reference;
  }

  private record Reference(List<Double> corrected, List<Double> uncorrected) {}

  /** The neighbourhoods' outputs are the reference's corrected predictions, in order. */
  private void assertCorrectedAsTheReference(Reference reference) {
    List<Prediction> corrected = items.extractOutputValues();
    assertThat(corrected).hasSize(reference.corrected.size());
    for (int n = 0; n < corrected.size(); n++) {
      assertThat(corrected.get(n).prediction)
          .as("rating %d", n)
          .isCloseTo(reference.corrected.get(n), within(1e-6));
    }
  }

  @Test
  void adaptiveIsCorrectedAsTheEvaluatorsNeighbourModelCorrectsIt() throws Exception {
    open();
    String[][] ratings = {
      {"u1", "a", "5"}, {"u1", "b", "3"}, {"u2", "a", "4"}, {"u2", "b", "1"}, {"u3", "a", "2"},
      {"u1", "c", "4"}, {"u3", "b", "5"}, {"u2", "c", "2"}, {"u3", "c", "5"}, {"u4", "b", "2"},
      {"u4", "a", "4"}, {"u4", "c", "1"}, {"u1", "d", "5"}, {"u2", "d", "2"}, {"u4", "d", "3"}
    };
    Reference reference = sendAll(CONFIG, List.of(ratings));
    // adaptive went only the neighbourhoods' way.
    assertThat(users.extractOutputValues()).extracting(p -> p.mode).doesNotContain("adaptive");
    List<Prediction> corrected = items.extractOutputValues();
    assertThat(corrected).extracting(p -> p.mode).containsOnly(Mode.ADAPTIVE.label());
    assertThat(corrected)
        .extracting(p -> p.userId)
        .containsExactly(Arrays.stream(ratings).map(r -> r[0]).toArray(String[]::new));
    assertCorrectedAsTheReference(reference);
    // Ratings were corrected: their users had rated similar items.
    assertThat(reference.corrected).isNotEqualTo(reference.uncorrected);
  }

  @Test
  void updatesHeldBackReachTheSumsInTheOrderTheyCameBeforeTheItemsNextCorrection()
      throws Exception {
    // Two partners per item: which two an item keeps depends on the order of its updates.
    JobConfig config = CONFIG.with(PersonalizeOptions.MODEL_NEIGHBOURS_PARTNERS, 2);
    open(config);
    // Users rate a, then all rate b, then c, then d: a's sums take only partner updates (three
    // per user), far more than an item holds back, and evict b for d. Then new users rate b, c
    // and d before a: their corrections read those sums.
    int users = 2 * ItemNeighboursFunction.HELD_UPDATES + 10;
    List<String[]> ratings = new ArrayList<>();
    for (String item : List.of("a", "b", "c", "d")) {
      for (int u = 0; u < users; u++) {
        int rating = 1 + (u * (item.charAt(0) - 'a' + 1)) % 5;
        ratings.add(new String[] {"u" + u, item, Integer.toString(rating)});
      }
    }
    for (int u = users; u < users + 10; u++) {
      ratings.add(new String[] {"u" + u, "b", u % 2 == 0 ? "5" : "1"});
      ratings.add(new String[] {"u" + u, "c", u % 2 == 0 ? "1" : "4"});
      ratings.add(new String[] {"u" + u, "d", u % 2 == 0 ? "2" : "5"});
      ratings.add(new String[] {"u" + u, "a", "3"});
    }
    Reference reference = sendAll(config, ratings);
    // The last users' ratings of a were corrected: a's sums had its partners.
    int lastOfA = ratings.size() - 1;
    assertThat(reference.corrected.get(lastOfA)).isNotEqualTo(reference.uncorrected.get(lastOfA));
    assertCorrectedAsTheReference(reference);
  }

  @Test
  void anItemsSumsAndAUsersHistoryLeaveWithTheirIdleTimers() throws Exception {
    open();
    send(rating("u1", "a", 5, 0));
    // b's rating pairs with a: b's sums take it with the request, a's with a partner update.
    send(rating("u1", "b", 3, 1_000));
    // a holds the update back until its next rating reads its sums.
    assertThat(entries(items)).isEqualTo(5);
    send(rating("u2", "a", 2, 6_000));
    // Each item: its sums and the count of the updates it holds back (none now).
    assertThat(entries(items)).isEqualTo(4);
    items.processWatermark1(new Watermark(11_000));
    items.processWatermark2(new Watermark(11_000));
    // a was last rated at 6 s (keeps its sums until 16 s), b at 1 s (gone at 11 s).
    assertThat(entries(items)).isEqualTo(2);
    items.processWatermark1(new Watermark(16_000));
    items.processWatermark2(new Watermark(16_000));
    assertThat(entries(items)).isZero();
    // Users: u1 idle since 1 s, u2 since 6 s; both states of each leave together.
    assertThat(entries(users)).isEqualTo(4);
    users.processWatermark(11_000);
    users.processBroadcastWatermark(11_000);
    assertThat(entries(users)).isEqualTo(2);
    users.processWatermark(16_000);
    users.processBroadcastWatermark(16_000);
    assertThat(entries(users)).isZero();
  }

  @Test
  void sumsWrittenBeforeUpdatesWereHeldBackStillLeaveWithTheirTimer() throws Exception {
    open();
    send(rating("u1", "a", 5, 0));
    send(rating("u1", "b", 3, 1_000));
    // As state written before 2026-12-06 has it: sums and a timer, no count of held updates.
    KeyedStateBackend<Integer> backend = items.getOperator().getKeyedStateBackend();
    for (String item : List.of("a", "b")) {
      backend.setCurrentKey(SeenItems.hash(item));
      ValueStateDescriptor<Integer> count = Descriptors.itemHeldUpdateCount();
      backend
          .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, count)
          .clear();
      backend
          .getPartitionedState(
              VoidNamespace.INSTANCE,
              VoidNamespaceSerializer.INSTANCE,
              Descriptors.itemHeldUpdates())
          .clear();
    }
    assertThat(entries(items)).isEqualTo(2);
    items.processWatermark1(new Watermark(11_000));
    items.processWatermark2(new Watermark(11_000));
    assertThat(entries(items)).isZero();
  }

  private static int entries(
      org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?> h) {
    return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }
}
