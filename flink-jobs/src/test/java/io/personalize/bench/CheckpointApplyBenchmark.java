package io.personalize.bench;

import io.personalize.graph.CoInteractionGraph;
import io.personalize.graph.GraphDelta;
import io.personalize.graph.GraphDeltaBuilder;
import io.personalize.graph.GraphReplica;
import io.personalize.graph.GraphSettings;
import io.personalize.graph.ItemEdges;
import io.personalize.graph.ItemPair;
import io.personalize.graph.UserSequence;
import io.personalize.model.EventKind;
import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.ItemCatalog;
import io.personalize.online.GlobalModel;
import io.personalize.online.ModelDelta;
import io.personalize.online.SharedReplica;
import io.personalize.rank.SignalWeights;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of applying one published checkpoint in a per-user operator subtask, on checkpoints made
 * by the real master from an ml-100k-sized stream with sessions ({@link
 * Ml100kLikeStream#withSessions}, seed 7).
 *
 * <ul>
 *   <li>{@link #applyModelCheckpoint}: the rating model's replica, {@link SharedReplica#offer} of
 *       the next {@link ModelDelta} and {@link SharedReplica#advanceTo} just past its latest event,
 *       as the personal-model operator does with a checkpoint and then its watermark. The deltas
 *       are what {@link GlobalModel#closeCheckpoint} closed every 100 learned events ({@code
 *       model-updates.every-events}'s default) while the default model (hybrid, squared loss,
 *       adaptive, {@code factors} changed) learned the whole stream, items described first.
 *   <li>{@link #applyGraphDelta}: the item graph's replica, {@link GraphReplica#offer}
 *       (newest-only, the default) and {@link GraphReplica#advanceTo} of the next {@link
 *       GraphDelta}. The deltas are what a {@link GraphDeltaBuilder} closed every 100 changed lists
 *       ({@code graph-updates.every-changes}'s default until 2026-12-05, kept so that the recorded
 *       figures compare; a delta's cost grows with its lists) while the pairs of the stream ({@link
 *       UserSequence#remember}, default {@link GraphSettings}) went into a {@link
 *       CoInteractionGraph}, as the graph operator's lists do, expiries included.
 * </ul>
 *
 * <p>Every call applies exactly one delta (the teardown checks it: no call was a duplicate, left
 * one queued or found a gap). The deltas are cycled; since a replica skips a version it already
 * applied, each call stamps the delta with the replica's next version (two field writes), as if the
 * master had sent it next. Setup applies the whole sequence once before measuring, so the replicas
 * know every item and list (steady state, not the first minutes of a job). Re-applying a model
 * delta adds its change again: the replica's values drift by the stream's whole change per cycle,
 * which changes no cost (the same additions on finite doubles; the teardown checks they stay
 * finite). Graph deltas carry whole lists, so re-applying one leaves the graph as it was.
 * Serialization and the broadcast channel are not part of the step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CheckpointApplyBenchmark {
  private static final long SEED = 7;

  /** {@code model-updates.every-events}: the global operator's checkpoint cadence in events. */
  private static final int MODEL_UPDATES_EVERY_EVENTS = 100;

  /** {@code users.idle-expiry}'s default: the global model drops user rows idle this long. */
  private static final long USER_IDLE_MILLIS = Duration.ofDays(365).toMillis();

  /** {@code max-users}'s default. */
  private static final int MAX_USERS = 1_000_000;

  /**
   * Changed lists per graph delta: {@code graph-updates.every-changes}'s default until 2026-12-05.
   */
  private static final int LISTS_PER_DELTA = 100;

  /** The rating model's checkpoints and a replica that applies them. */
  @State(Scope.Thread)
  public static class ModelCheckpoints {
    /** k, the number of factors; 32 is the engine's default. */
    @Param({"32", "64"})
    public int factors;

    private ModelDelta[] deltas;
    private SharedReplica replica;
    private long applied;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig config =
          ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true).toBuilder()
              .factors(factors)
              .build();
      Ml100kLikeStream stream =
          Ml100kLikeStream.withSessions(SEED, config.groups(), config.regroupEvery());
      ItemCatalog items = stream.catalog;
      // As the job does for ratings 1..5 (JobConfig.initialMean): the scale's midpoint.
      double initialMean = 3.0;
      GlobalModel global =
          new GlobalModel(config, stream.space, initialMean, MAX_USERS, USER_IDLE_MILLIS);
      replica = new SharedReplica(config, stream.space, initialMean);
      // The items topic describes every item before its ratings, in the master and each replica.
      for (int i = 0; i < items.size(); i++) {
        global.describeItem(items.id(i), items.description(i));
        replica.describeItem(items.id(i), items.description(i));
      }
      List<ModelDelta> closed = new ArrayList<>();
      for (int e = 0; e < stream.events(); e++) {
        global.learn(
            "u" + stream.user[e], items.id(stream.item[e]), stream.label[e], stream.timeMillis[e]);
        if (global.eventsSinceCheckpoint() >= MODEL_UPDATES_EVERY_EVENTS) {
          closed.add(global.closeCheckpoint(stream.timeMillis[e]));
        }
      }
      ModelDelta last = global.closeCheckpoint(stream.timeMillis[stream.events() - 1]);
      if (last != null) {
        closed.add(last);
      }
      deltas = closed.toArray(new ModelDelta[0]);
      printShape();
      // One pass before measuring: the replica at the end of the stream, every item known.
      for (int d = 0; d < deltas.length; d++) {
        applyNext();
      }
      applied = 0;
    }

    private void printShape() {
      long itemRows = 0;
      long featureWeights = 0;
      int most = 0;
      for (ModelDelta delta : deltas) {
        itemRows += delta.items();
        featureWeights += delta.featureIndices.length;
        most = Math.max(most, delta.items());
      }
      System.err.printf(
          Locale.ROOT,
          "%nsetup (k = %d): %,d checkpoints; item rows per checkpoint: mean %.1f, most %,d;"
              + " feature weights per checkpoint: mean %.1f%n",
          factors,
          deltas.length,
          (double) itemRows / deltas.length,
          most,
          (double) featureWeights / deltas.length);
    }

    long applyNext() {
      ModelDelta delta = deltas[next];
      next = next + 1 == deltas.length ? 0 : next + 1;
      // The next version, so the replica applies it instead of skipping it as a redelivery.
      delta.previousVersion = replica.version();
      delta.version = delta.previousVersion + 1;
      replica.offer(delta);
      // The watermark passes the delta's latest event: it applies now.
      replica.advanceTo(delta.maxEventTimeMillis + 1);
      applied++;
      return replica.version();
    }

    /** A call that applied nothing (or a replica gone to NaN) would time something else: fail. */
    @TearDown(Level.Trial)
    public void check() {
      if (replica.pending() != 0 || replica.gaps() != 0 || replica.duplicates() != 0) {
        throw new IllegalStateException(
            "not every call applied its checkpoint: pending "
                + replica.pending()
                + ", gaps "
                + replica.gaps()
                + ", duplicates "
                + replica.duplicates());
      }
      SharedParameters shared = replica.shared();
      boolean finite = Double.isFinite(shared.mean);
      for (int i = 0; finite && i < shared.items(); i++) {
        finite = Double.isFinite(shared.itemBias(i));
      }
      if (!finite) {
        throw new IllegalStateException("the replica's values are no longer finite");
      }
      if (applied == 0) {
        throw new IllegalStateException("no checkpoint was applied");
      }
    }
  }

  /** The item graph's deltas and a replica that applies them. */
  @State(Scope.Thread)
  public static class GraphDeltas {
    private GraphDelta[] deltas;
    private GraphReplica replica;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig rating = ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true);
      Ml100kLikeStream stream =
          Ml100kLikeStream.withSessions(SEED, rating.groups(), rating.regroupEvery());
      ItemCatalog items = stream.catalog;
      GraphSettings settings = GraphSettings.defaults();
      double pairWeight = SignalWeights.defaults().weight(EventKind.RATING);
      CoInteractionGraph graph = new CoInteractionGraph(settings);
      GraphDeltaBuilder builder = new GraphDeltaBuilder();
      UserSequence[] sequences = new UserSequence[Ml100kLikeStream.USERS];
      for (int u = 0; u < sequences.length; u++) {
        sequences[u] = new UserSequence();
      }
      List<GraphDelta> closed = new ArrayList<>();
      for (int e = 0; e < stream.events(); e++) {
        long time = stream.timeMillis[e];
        List<ItemPair> pairs =
            sequences[stream.user[e]].remember(
                items.id(stream.item[e]), pairWeight, time, settings);
        for (ItemPair pair : pairs) {
          // The graph operator's list of the pair's source item after the pair, to the builder.
          builder.listChanged(pair.from(), graph.add(pair), pair.timeMillis());
          closeIfDue(builder, closed, time);
        }
        // Lists whose edges all decayed: the operator's timers send them as empty lists.
        for (String expired : graph.expire(time)) {
          builder.listChanged(expired, new ItemEdges(), time);
          closeIfDue(builder, closed, time);
        }
      }
      GraphDelta last = builder.close(stream.timeMillis[stream.events() - 1]);
      if (last != null) {
        closed.add(last);
      }
      deltas = closed.toArray(new GraphDelta[0]);
      long lists = 0;
      long edges = 0;
      for (GraphDelta delta : deltas) {
        lists += delta.items.length;
        for (ItemEdges list : delta.edges) {
          edges += list.size();
        }
      }
      System.err.printf(
          Locale.ROOT,
          "%nsetup (graph): %,d deltas; lists per delta: mean %.1f; edges per list: mean %.1f%n",
          deltas.length,
          (double) lists / deltas.length,
          (double) edges / lists);
      // The job's default: newest-only waiting lists (graph-updates.newest-only).
      replica = new GraphReplica(settings, true);
      for (int d = 0; d < deltas.length; d++) {
        applyNext();
      }
    }

    private static void closeIfDue(GraphDeltaBuilder builder, List<GraphDelta> closed, long now) {
      if (builder.pending() >= LISTS_PER_DELTA) {
        closed.add(builder.close(now));
      }
    }

    long applyNext() {
      GraphDelta delta = deltas[next];
      next = next + 1 == deltas.length ? 0 : next + 1;
      // The next version, so the replica applies it instead of skipping it as a redelivery.
      delta.previousVersion = replica.version();
      delta.version = delta.previousVersion + 1;
      replica.offer(delta);
      replica.advanceTo(delta.maxEventTimeMillis + 1);
      return replica.version();
    }

    /** A call that applied nothing, or an empty graph, would time something else: fail. */
    @TearDown(Level.Trial)
    public void check() {
      if (replica.pending() != 0 || replica.gaps() != 0 || replica.duplicates() != 0) {
        throw new IllegalStateException(
            "not every call applied its delta: pending "
                + replica.pending()
                + ", gaps "
                + replica.gaps()
                + ", duplicates "
                + replica.duplicates());
      }
      if (replica.graph().size() == 0) {
        throw new IllegalStateException("the replica's graph is empty");
      }
    }
  }

  @Benchmark
  public long applyModelCheckpoint(ModelCheckpoints checkpoints) {
    return checkpoints.applyNext();
  }

  @Benchmark
  public long applyGraphDelta(GraphDeltas graph) {
    return graph.applyNext();
  }
}
