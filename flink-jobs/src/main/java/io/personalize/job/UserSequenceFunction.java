package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MODEL_SEED;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;
import static io.personalize.job.config.RecommendationOptions.RANKING_NEGATIVES;
import static io.personalize.job.config.RecommendationOptions.SEEN_ITEMS;

import io.personalize.graph.GraphSettings;
import io.personalize.graph.ItemPair;
import io.personalize.graph.UserSequence;
import io.personalize.job.config.JobConfig;
import io.personalize.rank.NegativeSampler;
import io.personalize.rank.SignalWeights;
import io.personalize.recommend.ItemHashes;
import io.personalize.recommend.SeenItemIndices;
import io.personalize.recommend.SeenItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user, the first operator of the recommending half: each event becomes the directed item
 * pairs of the co-interaction graph ({@link UserSequence}, to the {@link Descriptors#ITEM_PAIRS}
 * side output), and its negatives for the ranking model are drawn here, once, excluding the user's
 * items ({@link SeenItems}), so that the global and the per-user operators learn the same examples.
 * The event goes on with its negatives.
 *
 * <p>The sampler is per subtask: it counts the events this subtask sees, a sample of every user's
 * events at parallelism above 1 (users are spread by hash), so its popularity is an estimate; at
 * parallelism 1 it draws what the evaluator draws for the same seed. Its counts are operator state;
 * after a rescale each subtask sums the counts it is given.
 *
 * <p>State per user: the sequence, the seen items and one event-time timer for idle expiry, as in
 * the per-user model operator.
 */
public class UserSequenceFunction extends KeyedProcessFunction<String, ValidEvent, ValidEvent>
    implements CheckpointedFunction {
  private final JobConfig config;
  private transient GraphSettings graph;
  private transient SignalWeights signals;
  private transient int seenCap;
  private transient long idleMillis;
  private transient NegativeSampler sampler;
  private transient Map<String, Integer> index;
  private transient List<String> ids;
  private transient int[] drawn;
  private transient ItemHashes hashes;
  private transient SeenItemIndices seenIndices;
  private transient ValueState<UserSequence> sequenceState;
  private transient ValueState<SeenItems> seenState;
  private transient ListState<NegativeSamplerState> stored;

  public UserSequenceFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    index = new HashMap<>();
    ids = new ArrayList<>();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    sampler = new NegativeSampler(config.negativeSampling(), config.get(MODEL_SEED) + subtask);
    stored = context.getOperatorStateStore().getListState(Descriptors.negativeSampler());
    for (NegativeSamplerState s : stored.get()) {
      for (int n = 0; n < s.itemIds.length; n++) {
        sampler.add(item(s.itemIds[n]), s.counts[n]);
      }
    }
  }

  @Override
  public void open(OpenContext context) {
    graph = config.graphSettings();
    signals = config.signalWeights();
    seenCap = config.get(SEEN_ITEMS);
    idleMillis = config.millis(USER_IDLE_EXPIRY);
    drawn = new int[config.get(RANKING_NEGATIVES)];
    hashes = new ItemHashes(ids::get);
    seenIndices = new SeenItemIndices(hashes);
    sequenceState = getRuntimeContext().getState(Descriptors.userSequence());
    seenState = getRuntimeContext().getState(Descriptors.sequenceSeenItems());
    getRuntimeContext().getMetricGroup().gauge("sampler-items", () -> (long) ids.size());
  }

  @Override
  public void processElement(ValidEvent event, Context ctx, Collector<ValidEvent> out)
      throws Exception {
    double weight = signals.weight(event.kind());
    SeenItems seen = seenState.value();
    if (seen == null) {
      seen = new SeenItems();
      // The user's one timer; it moves forward while the user stays active (see onTimer).
      ctx.timerService().registerEventTimeTimer(event.eventTimeMillis + idleMillis);
    } else {
      seen.upgrade();
    }
    seen.lastEventTimeMillis = Math.max(seen.lastEventTimeMillis, event.eventTimeMillis);
    if (weight > 0) {
      UserSequence sequence = sequenceState.value();
      if (sequence == null) {
        sequence = new UserSequence();
      }
      for (ItemPair pair : sequence.remember(event.itemId, weight, event.eventTimeMillis, graph)) {
        ctx.output(Descriptors.ITEM_PAIRS, pair);
      }
      sequenceState.update(sequence);
      int positive = item(event.itemId);
      SeenItemIndices user = seenIndices.load(seen);
      int n = sampler.sample(drawn, drawn.length, i -> i == positive || user.test(i));
      String[] negatives = new String[n];
      for (int k = 0; k < n; k++) {
        negatives[k] = ids.get(drawn[k]);
      }
      event.negatives = negatives;
      sampler.add(positive, 1);
      seen.remember(hashes.of(positive), seenCap);
    }
    seenState.update(seen);
    out.collect(event);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ValidEvent> out)
      throws Exception {
    SeenItems seen = seenState.value();
    if (seen == null) {
      return;
    }
    long deadline = seen.lastEventTimeMillis + idleMillis;
    if (deadline > timestamp) {
      ctx.timerService().registerEventTimeTimer(deadline);
      return;
    }
    seenState.clear();
    sequenceState.clear();
  }

  /** The sampler's index of a known item, -1 for one this subtask has not counted. */
  private int indexOf(String itemId) {
    Integer known = index.get(itemId);
    return known == null ? -1 : known;
  }

  /** The sampler's index of an item, which becomes known to the sampler if it was not. */
  private int item(String itemId) {
    int known = indexOf(itemId);
    if (known >= 0) {
      return known;
    }
    int item = ids.size();
    index.put(itemId, item);
    ids.add(itemId);
    sampler.ensureItem(item);
    return item;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    NegativeSamplerState s = new NegativeSamplerState();
    s.itemIds = ids.toArray(new String[0]);
    s.counts = new long[s.itemIds.length];
    for (int item = 0; item < s.counts.length; item++) {
      s.counts[item] = sampler.count(item);
    }
    stored.update(List.of(s));
  }
}
