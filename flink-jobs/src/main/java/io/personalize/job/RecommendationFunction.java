package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MODEL_SEED;
import static io.personalize.job.config.PersonalizeOptions.RECENT_ITEMS;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;
import static io.personalize.job.config.RecommendationOptions.GRAPH_UPDATES_NEWEST_ONLY;
import static io.personalize.job.config.RecommendationOptions.INTERVAL;
import static io.personalize.job.config.RecommendationOptions.POPULARITY_HALF_LIFE;
import static io.personalize.job.config.RecommendationOptions.POPULARITY_TOP;
import static io.personalize.job.config.RecommendationOptions.PUBLISH_INTERVAL;
import static io.personalize.job.config.RecommendationOptions.RANKING_NEGATIVES;
import static io.personalize.job.config.RecommendationOptions.SEEN_ITEMS;

import io.personalize.avro.GroupBoundaries;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.graph.GraphReplica;
import io.personalize.graph.GraphReplicaSnapshot;
import io.personalize.graph.RandomWalks;
import io.personalize.job.config.JobConfig;
import io.personalize.model.IncompatibleStateException;
import io.personalize.model.Model;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SelectorSnapshot;
import io.personalize.model.features.FeatureSpace;
import io.personalize.online.Ids;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import io.personalize.online.ReplicaSnapshot;
import io.personalize.online.SharedReplica;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import io.personalize.rank.ItemSimilarity;
import io.personalize.rank.PopularitySnapshot;
import io.personalize.rank.PopularityTracker;
import io.personalize.rank.RankingSteps;
import io.personalize.recommend.ItemHashes;
import io.personalize.recommend.ItemIndex;
import io.personalize.recommend.ListBuilder;
import io.personalize.recommend.ListRequest;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommendedList;
import io.personalize.recommend.SeenItems;
import io.personalize.state.RecommendationView;
import io.personalize.util.IntHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-user operator of the recommending half, keyed by user: it keeps each user's ranking model
 * (the personal blocks of the "will interact" model, {@link UserModels#learnPlan}) and each user's
 * current list of recommendations, made by {@link ListBuilder} from replicas of the ranking model's
 * shared block, of the item graph and of recent popularity, all advanced by the broadcast channel
 * under the watermark rule of {@link PersonalModelFunction}.
 *
 * <p>Per event, in the evaluator's order ({@code prequential-topn}): the user's current list is
 * checked against the event's item (the rank goes to the metrics as a {@link Prediction} list
 * check), then the ranking model learns the event with the negatives drawn upstream, then the list
 * is due if {@code recommend.interval} of event time has passed since the last one was made.
 *
 * <p>A due list is made, put in queryable state and published on {@link
 * Descriptors#RECOMMENDATIONS} (the recommendations topic) at once, unless the user's last list
 * went out less than {@code recommend.publish-interval} of processing time ago: then one
 * processing-time timer at the end of the interval makes the list from the user's state at that
 * time (the newest) and publishes it. Lists are made at most once per interval per user, so a busy
 * user's events do not each pay for a list nobody sees (with the interval 0, every due list is made
 * and published at once). At most one such timer per user, and only while a list is due.
 *
 * <p>Subtask 0 also publishes the global fallback list (user {@link #FALLBACK_USER}, {@code
 * fallback} true, recommender {@link #FALLBACK_RECOMMENDER}): what a brand-new user with no history
 * gets, made for no user's state, whenever the ranking or graph replica's version changed since the
 * last one, at most once per publish interval. Every subtask holds the same replicas, so one is
 * enough.
 *
 * <p>State per user: the ranking {@link UserState} (blocks and recent items), {@link SeenItems},
 * the queryable {@link RecommendationView}, the processing time of the last published list, one
 * event-time timer for idle expiry and at most one processing-time timer for a waiting list.
 * Popularity is read from the ranking checkpoints' count deltas, at their latest event time.
 */
public class RecommendationFunction
    extends KeyedBroadcastProcessFunction<String, ValidEvent, Control, Prediction>
    implements CheckpointedFunction, CheckpointListener {
  /** The user id (and Kafka key) of the global fallback list: never a valid user id. */
  public static final String FALLBACK_USER = "";

  /** The recommender label of the global fallback list. */
  public static final String FALLBACK_RECOMMENDER = "fallback";

  private final JobConfig config;
  private transient SharedReplica replica;
  private transient GraphReplica graph;
  private transient PopularityTracker popularity;
  private transient UserModels models;
  private transient io.personalize.model.GroupBoundaries boundaries;
  private transient FeatureSpace space;
  private transient RankingSteps steps;
  private transient ListBuilder builder;
  private transient ListSettings list;
  private transient long intervalMillis;
  private transient long publishMillis;
  private transient long idleMillis;
  private transient int recentItems;
  private transient int seenCap;
  private transient long seed;
  private transient ValueState<UserState> rankingState;
  // Written before 2026-12-05 beside rankingState; moved into it at the user's next event.
  private transient ValueState<SeenItems> retiredSeen;
  private transient ItemHashes itemHashes;
  private transient IntHashSet seenSet;
  private transient ValueState<RecommendationView> listState;
  // Written before 2026-12-05 beside listState, whose list tells the same time; cleared with it.
  private transient ValueState<Long> retiredLastPublished;
  private transient ListState<ReplicaSnapshot> storedReplica;
  private transient ListState<GraphReplicaSnapshot> storedGraph;
  private transient ListState<PopularitySnapshot> storedPopularity;
  private transient ListState<SelectorSnapshot> storedSelector;
  private transient ListState<GroupBoundaries> storedBoundaries;
  private transient Counter listsComputed;
  private transient Counter listsPublished;
  private transient Counter fallbacksPublished;
  private transient Counter eventsProcessed;
  private transient Counter usersExpired;
  private transient boolean publishesFallback;

  /**
   * Replica versions of the last fallback list published, -1 before the first (also on restore).
   */
  private transient long fallbackModelVersion;

  private transient long fallbackGraphVersion;

  /** Processing time of the last fallback list published. */
  private transient long fallbackPublishedMillis;

  public RecommendationFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    space = config.featureSpace();
    replica = new SharedReplica(config.rankingModel(), space, 0);
    graph = new GraphReplica(config.graphSettings(), config.get(GRAPH_UPDATES_NEWEST_ONLY));
    popularity =
        PopularityTracker.decaying(
            config.get(POPULARITY_TOP),
            config.millis(POPULARITY_HALF_LIFE),
            item -> replica.itemId(item));
    replica.onApplied(this::countPopularity);
    models =
        new UserModels(
            config.rankingModel(),
            space.dimension(),
            0,
            Set.of(),
            item -> Ids.hash(replica.itemId(item)));
    boundaries = io.personalize.model.GroupBoundaries.initial(config.model().groups());
    var store = context.getOperatorStateStore();
    storedReplica = store.getUnionListState(Descriptors.rankingReplica());
    ReplicaSnapshot freshestReplica = null;
    for (ReplicaSnapshot s : storedReplica.get()) {
      if (freshestReplica == null || s.version > freshestReplica.version) {
        freshestReplica = s;
      }
    }
    storedPopularity = store.getUnionListState(Descriptors.popularity());
    if (freshestReplica != null) {
      try {
        replica.restore(freshestReplica);
      } catch (IncompatibleStateException e) {
        throw new SuppressRestartsException(e); // a restart would restore the same state
      }
      // Every subtask's popularity follows the same checkpoints: any one is the whole.
      var snapshots = storedPopularity.get().iterator();
      if (snapshots.hasNext()) {
        popularity.restore(snapshots.next(), replica::item);
      }
    }
    storedGraph = store.getUnionListState(Descriptors.graphReplica());
    GraphReplicaSnapshot freshestGraph = null;
    for (GraphReplicaSnapshot s : storedGraph.get()) {
      if (freshestGraph == null || s.version > freshestGraph.version) {
        freshestGraph = s;
      }
    }
    if (freshestGraph != null) {
      graph.restore(freshestGraph);
    }
    OperatorSnapshots.release(storedReplica, storedPopularity, storedGraph);
    storedBoundaries = store.getUnionListState(Descriptors.rankingGroupBoundaries());
    for (GroupBoundaries b : storedBoundaries.get()) {
      applyBoundaries(b);
    }
    storedSelector = store.getUnionListState(Descriptors.rankingSelector());
    List<SelectorSnapshot> selectors = new ArrayList<>();
    storedSelector.get().forEach(selectors::add);
    try {
      models.selector().restoreMean(selectors);
    } catch (IncompatibleStateException e) {
      throw new SuppressRestartsException(e); // a restart would restore the same state
    }
  }

  @Override
  public void open(OpenContext context) {
    rankingState = getRuntimeContext().getState(Descriptors.rankingUserState());
    retiredSeen = getRuntimeContext().getState(Descriptors.retiredSeenItems());
    itemHashes = new ItemHashes(replica::itemId);
    seenSet = new IntHashSet();
    listState = getRuntimeContext().getState(Descriptors.recommendations());
    retiredLastPublished = getRuntimeContext().getState(Descriptors.retiredLastPublished());
    list = config.listSettings();
    intervalMillis = config.millis(INTERVAL);
    publishMillis = config.millis(PUBLISH_INTERVAL);
    publishesFallback = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    fallbackModelVersion = -1;
    fallbackGraphVersion = -1;
    idleMillis = config.millis(USER_IDLE_EXPIRY);
    recentItems = config.get(RECENT_ITEMS);
    seenCap = config.get(SEEN_ITEMS);
    seed = config.get(MODEL_SEED);
    steps = new RankingSteps(config.signalWeights(), config.get(RANKING_NEGATIVES), null);
    RandomWalks walks = new RandomWalks(graph.graph(), config.walkSettings());
    builder = new ListBuilder(list, walks, items());
    listsComputed = getRuntimeContext().getMetricGroup().counter("lists-computed");
    listsPublished = getRuntimeContext().getMetricGroup().counter("lists-published");
    fallbacksPublished = getRuntimeContext().getMetricGroup().counter("fallback-lists-published");
    eventsProcessed = getRuntimeContext().getMetricGroup().counter("recommend-events");
    usersExpired = getRuntimeContext().getMetricGroup().counter("users-expired");
    getRuntimeContext().getMetricGroup().gauge("ranking-replica-version", () -> replica.version());
    getRuntimeContext().getMetricGroup().gauge("graph-replica-version", () -> graph.version());
    getRuntimeContext().getMetricGroup().gauge("graph-replica-gaps", () -> graph.gaps());
    // Deltas waiting for the watermark: a backlog here is memory, and state every checkpoint
    // writes.
    getRuntimeContext()
        .getMetricGroup()
        .gauge("ranking-replica-pending", () -> (long) replica.pending());
    getRuntimeContext()
        .getMetricGroup()
        .gauge("graph-replica-pending", () -> (long) graph.pending());
    getRuntimeContext()
        .getMetricGroup()
        .gauge("graph-replica-lists-dropped", () -> graph.listsDropped());
    getRuntimeContext().getMetricGroup().gauge("graph-items", () -> (long) graph.graph().size());
    // Start items whose two-hop expansion was reused between graph changes, against computed.
    getRuntimeContext()
        .getMetricGroup()
        .gauge("walk-expansions-reused", () -> walks.expansionsReused());
    getRuntimeContext()
        .getMetricGroup()
        .gauge("walk-expansions-computed", () -> walks.expansionsComputed());
  }

  /** The ranking replica's items: the indices the model, popularity and lists share. */
  private ItemIndex items() {
    return new ItemIndex() {
      @Override
      public int size() {
        return replica.items();
      }

      @Override
      public String id(int item) {
        return replica.itemId(item);
      }

      @Override
      public int indexOf(String id) {
        return replica.item(id);
      }
    };
  }

  @Override
  public void processElement(ValidEvent event, ReadOnlyContext ctx, Collector<Prediction> out)
      throws Exception {
    long completeBefore = PersonalModelFunction.completeBefore(ctx.currentWatermark());
    replica.advanceTo(completeBefore);
    graph.advanceTo(completeBefore);
    long now = ctx.timerService().currentProcessingTime();
    if (publishesFallback) {
      publishFallbackIfChanged(event.eventTimeMillis, now, ctx);
    }
    UserState state = rankingState.value();
    if (state == null) {
      state = models.newUser(event.userId, Ids.hash(event.userId));
      state.seen = new SeenItems();
      // The user's one timer; it moves forward while the user stays active (see onTimer).
      ctx.timerService().registerEventTimeTimer(event.eventTimeMillis + idleMillis);
    }
    SeenItems seen = seenOf(state);
    RecommendationView current = listState.value();
    int group = boundaries.groupOf(state.events);

    int item = replica.item(event.itemId);
    int[] negatives = new int[event.negatives.length];
    for (int n = 0; n < negatives.length; n++) {
      negatives[n] = replica.item(event.negatives[n]);
    }
    if (steps.use(item, event.kind(), negatives, negatives.length) > 0) {
      try {
        models.learnPlan(state, replica.shared(), steps, replica::features, group);
      } catch (IncompatibleStateException e) {
        throw new SuppressRestartsException(e); // a restart would restore the same state
      }
      seen.remember(itemHashes.of(item), seenCap);
    }
    state.lastEventTimeMillis = Math.max(state.lastEventTimeMillis, event.eventTimeMillis);
    state.rememberItem(event.itemId, recentItems);
    if (current != null) {
      out.collect(
          Prediction.listCheck(
              list.kind().label(),
              event.userId,
              state.events,
              group,
              list.length(),
              current.rankOf(event.itemId),
              event.eventTimeMillis,
              replica.version()));
    }
    if (current == null || event.eventTimeMillis - current.eventTimeMillis >= intervalMillis) {
      // Every list made is published when it is made: the user's current list tells when the
      // last one went out, with no state of its own to read at every event.
      long last = current == null ? Long.MIN_VALUE : current.generatedAtMillis;
      if (publishMillis == 0 || current == null || now - last >= publishMillis) {
        current = recommend(state, seen, event.eventTimeMillis, now);
        publish(current, ctx);
        listState.update(current);
      } else {
        // Due, but the user's last list went out less than an interval ago: the list is made
        // once, at the end of the interval, from the user's state then (the newest). Lists made
        // and dropped within the interval were most of the job's work.
        ctx.timerService().registerProcessingTimeTimer(last + publishMillis);
      }
    }
    rankingState.update(state);
    eventsProcessed.inc();
  }

  private void publish(RecommendationView view, ReadOnlyContext ctx) {
    ctx.output(Descriptors.RECOMMENDATIONS, view);
    listsPublished.inc();
  }

  /**
   * The global fallback list, when a replica's version changed since the last one (or none went out
   * yet, also after a restore) and the publish interval has passed since the last one.
   */
  private void publishFallbackIfChanged(long eventTimeMillis, long now, ReadOnlyContext ctx) {
    long modelVersion = replica.version();
    long graphVersion = graph.version();
    // The first goes out at once, even before any model or graph update (then it may be empty):
    // a server must be able to tell an unknown user "nothing yet" from "no answer".
    if (modelVersion == fallbackModelVersion && graphVersion == fallbackGraphVersion) {
      return;
    }
    if (fallbackModelVersion >= 0 && now - fallbackPublishedMillis < publishMillis) {
      return;
    }
    ctx.output(Descriptors.RECOMMENDATIONS, fallback(eventTimeMillis, now));
    fallbackModelVersion = modelVersion;
    fallbackGraphVersion = graphVersion;
    fallbackPublishedMillis = now;
    fallbacksPublished.inc();
  }

  /**
   * What a brand-new user with no history gets (walks from the "no item yet" node, then recent
   * popularity), made with no user's state: no recent items, nothing seen, the initial block of a
   * new user.
   */
  private RecommendationView fallback(long popularityAtMillis, long now) {
    UserState nobody = models.newUser(FALLBACK_USER, Ids.hash(FALLBACK_USER));
    RecommendationView view = recommend(nobody, item -> false, popularityAtMillis, now);
    view.recommender = FALLBACK_RECOMMENDER;
    view.fallback = true;
    view.eventTimeMillis = 0;
    view.userEvents = 0;
    return view;
  }

  /**
   * The user's seen items, in ids turned into hashes, and moved into the ranking state from the
   * state of their own that kept them before 2026-12-05 (the move is written at once).
   */
  private SeenItems seenOf(UserState state) throws Exception {
    if (state.seen == null) {
      SeenItems kept = retiredSeen.value();
      state.seen = kept == null ? new SeenItems() : kept;
      retiredSeen.clear();
      rankingState.update(state);
    }
    return state.seen.upgrade();
  }

  /** The user's list now, leaving out the items the user has seen. */
  private RecommendationView recommend(
      UserState state, SeenItems seen, long eventTimeMillis, long now) {
    IntHashSet seenHashes = seen.into(seenSet);
    RecommendationView view =
        recommend(state, i -> seenHashes.contains(itemHashes.of(i)), eventTimeMillis, now);
    listsComputed.inc();
    return view;
  }

  private RecommendationView recommend(
      UserState state, IntPredicate seen, long eventTimeMillis, long now) {
    int group = boundaries.groupOf(state.events);
    PersonalParameters block = models.chosenBlock(state, group);
    Model model = models.model();
    RecommendedList made =
        builder.build(
            new ListRequest(
                state.recentItems,
                seen,
                item -> model.score(replica.shared(), block, item, replica.features(item)),
                popularity,
                eventTimeMillis,
                ItemSimilarity.genresElseFactors(
                    replica::metadata, space.genreCount(), replica.shared()),
                null,
                Ids.hash(state.userId) ^ (seed * 31 + state.events)));
    RecommendationView view = new RecommendationView();
    view.userId = state.userId;
    view.itemIds = new String[made.size()];
    view.sources = new String[made.size()];
    for (int n = 0; n < made.size(); n++) {
      view.itemIds[n] = replica.itemId(made.items()[n]);
      view.sources[n] = made.sources()[n].label();
    }
    view.scores = made.scores();
    view.recommender = list.kind().label();
    view.generatedAtMillis = now;
    view.eventTimeMillis = eventTimeMillis;
    view.userEvents = state.events;
    view.modelVersion = replica.version();
    view.graphVersion = graph.version();
    return view;
  }

  /** Recent popularity follows the ranking checkpoints' event counts, as of their latest event. */
  private void countPopularity(ModelDelta checkpoint) {
    for (int d = 0; d < checkpoint.itemIds.length; d++) {
      popularity.add(
          replica.item(checkpoint.itemIds[d]),
          checkpoint.itemCountDeltas[d],
          checkpoint.maxEventTimeMillis);
    }
  }

  @Override
  public void processBroadcastElement(Control control, Context ctx, Collector<Prediction> out) {
    if (control.checkpoint != null || control.graph != null) {
      if (control.checkpoint != null) {
        replica.offer(control.checkpoint);
      } else {
        graph.offer(control.graph);
      }
      // Deltas the watermark has passed apply now, not at the user's next event: a quiet input
      // (or one behind the graph) must not leave them piling up in memory and in every checkpoint.
      long completeBefore = PersonalModelFunction.completeBefore(ctx.currentWatermark());
      replica.advanceTo(completeBefore);
      graph.advanceTo(completeBefore);
    } else if (control.boundaries != null) {
      applyBoundaries(control.boundaries);
    } else if (control.item != null) {
      replica.describeItem(control.item.getItemId(), CoreRecords.describe(space, control.item));
    }
  }

  private void applyBoundaries(GroupBoundaries b) {
    if (b.getVersion() > boundaries.version()) {
      boundaries = CoreRecords.fromAvro(b);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out)
      throws Exception {
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      publishWaiting(ctx);
      return;
    }
    // The event-time timer: idle expiry.
    UserState state = rankingState.value();
    if (state == null) {
      return;
    }
    long deadline = state.lastEventTimeMillis + idleMillis;
    if (deadline > timestamp) {
      ctx.timerService().registerEventTimeTimer(deadline);
      return;
    }
    RecommendationView current = listState.value();
    if (current != null && publishMillis > 0) {
      // A list still waiting is dropped with the user: no timer outlives the user's state.
      ctx.timerService().deleteProcessingTimeTimer(current.generatedAtMillis + publishMillis);
    }
    rankingState.clear();
    retiredSeen.clear();
    listState.clear();
    retiredLastPublished.clear();
    usersExpired.inc();
  }

  /**
   * The end of a user's publish interval with a list due: the list is made from the user's state
   * now and goes out (nothing when the user expired meanwhile).
   */
  private void publishWaiting(OnTimerContext ctx) throws Exception {
    UserState state = rankingState.value();
    if (state == null) {
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    RecommendationView current = recommend(state, seenOf(state), state.lastEventTimeMillis, now);
    publish(current, ctx);
    listState.update(current);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    // The replicas are copies of the broadcast updates, alike in every subtask up to the updates
    // still waiting for a watermark, and a restore gives every subtask one copy (the freshest):
    // one subtask's is all a checkpoint needs, not one per subtask.
    boolean keepsReplicas = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    storedReplica.update(keepsReplicas ? List.of(replica.snapshot()) : List.of());
    storedGraph.update(keepsReplicas ? List.of(graph.snapshot()) : List.of());
    storedPopularity.update(keepsReplicas ? List.of(popularity.snapshot()) : List.of());
    storedSelector.update(List.of(models.selector().snapshot()));
    storedBoundaries.update(
        boundaries.version() == 0 ? List.of() : List.of(CoreRecords.toAvro(boundaries, 0, 0)));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    OperatorSnapshots.release(storedReplica, storedGraph, storedPopularity);
  }
}
