package io.personalize.bench;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalUserRow;
import io.personalize.model.Initializer;
import io.personalize.model.Loss;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SelfTuningTrainer;
import io.personalize.model.SharedParameters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of the engine's per-event model step with its default model (hybrid, squared loss,
 * adaptive mode, {@link ModelConfig#defaults} for a stream), on an ml-100k-sized model.
 *
 * <ul>
 *   <li>{@link #adaptiveStep}: the per-user side, {@link AdaptiveLearner#step}: predict with the
 *       group's chosen candidate, then every candidate (3 personal blocks and the global row by
 *       default) learns, for the sampled share of the users ({@code candidateShare}); for the
 *       others their one personal block and their global row learn.
 *   <li>{@link #globalLearn}: the global side, {@link SelfTuningTrainer#learn}, step-size races
 *       included at their share of the events.
 *   <li>{@link #fullEvent}: both, in the engine's order: what one event costs on one core.
 * </ul>
 *
 * <p>Each call takes the next event of a pre-generated {@link Ml100kLikeStream} (100,000 events,
 * cycled), so users, items and feature vectors change from call to call as in the stream and the
 * working set is the whole model, not one hot row. Feature lookup, state access and serialization
 * are outside the measured step. Run with {@code bin/benchmark}; JMH flags override the defaults
 * below (e.g. {@code -f 3 -wi 5 -i 10 -p factors=32}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PerEventStepBenchmark {
  /** k, the number of factors; 32 is the engine's default. */
  @Param({"32", "64"})
  public int factors;

  /** The share of users that keep a block per candidate; the default is the engine's. */
  @Param({"0.5"})
  public double candidateShare;

  private AdaptiveLearner adaptive;
  private SelfTuningTrainer global;
  private GlobalUserRow[] globalRows;
  private AdaptiveUserState[] states;

  private int[] user;
  private int[] item;
  private double[] label;
  private FeatureVector[] x;
  private int[] group;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig config =
        withFactors(ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true))
            .withCandidateShare(candidateShare);
    Ml100kLikeStream stream = Ml100kLikeStream.generate(7, config.groups(), config.regroupEvery());
    Model model = config.model(stream.space.dimension());
    Initializer initializer = config.initializer();
    // As the evaluator does for ratings 1..5: the untrained model predicts the scale's midpoint.
    SharedParameters shared =
        new SharedParameters(model.factors(), model.featureDimension(), 3.0, initializer);
    shared.ensureItem(Ml100kLikeStream.ITEMS - 1);
    // The global side as the job runs it: learning its settings, with step-size races at their
    // default schedule (a tenth of the events pay for the challengers too).
    global =
        new SelfTuningTrainer(
            model,
            shared,
            initializer,
            config.globalSteps(),
            config.globalRegularization(),
            config.tuning());
    adaptive = config.adaptiveLearner(model);
    adaptive.useSettings(global.settings());
    // Every user already seen, past its first events: the steady state, not a user's first events.
    globalRows = new GlobalUserRow[Ml100kLikeStream.USERS];
    states = new AdaptiveUserState[Ml100kLikeStream.USERS];
    for (int u = 0; u < Ml100kLikeStream.USERS; u++) {
      globalRows[u] = global.newUser(u, 1_000);
      PersonalParameters block = new PersonalParameters(model.factors(), model.featureDimension());
      block.copyFrom(global.row(globalRows[u]));
      states[u] = adaptive.start(block, u);
      states[u].events = 1_000;
    }
    user = stream.user;
    item = stream.item;
    label = stream.label;
    x = stream.x;
    group = stream.group;
    next = 0;
  }

  private ModelConfig withFactors(ModelConfig d) {
    return d.toBuilder().factors(factors).build();
  }

  private int nextEvent() {
    int e = next;
    next = e + 1 == user.length ? 0 : e + 1;
    return e;
  }

  @Benchmark
  public double adaptiveStep() {
    int e = nextEvent();
    return adaptive.step(global.shared(), states[user[e]], item[e], x[e], label[e], group[e]);
  }

  @Benchmark
  public double globalLearn() {
    int e = nextEvent();
    return global.learn(globalRows[user[e]], item[e], x[e], label[e]);
  }

  @Benchmark
  public void fullEvent(Blackhole blackhole) {
    int e = nextEvent();
    int u = user[e];
    int i = item[e];
    FeatureVector features = x[e];
    double y = label[e];
    blackhole.consume(adaptive.step(global.shared(), states[u], i, features, y, group[e]));
    blackhole.consume(global.learn(globalRows[u], i, features, y));
  }

  /** A model that diverged (NaN, infinities) would time a different computation: fail instead. */
  @TearDown(Level.Trial)
  public void checkModelIsFinite() {
    SharedParameters shared = global.shared();
    boolean finite = Double.isFinite(shared.mean);
    for (int i = 0; finite && i < shared.items(); i++) {
      finite = Double.isFinite(shared.itemBias(i));
    }
    for (int u = 0; finite && u < states.length; u++) {
      for (PersonalParameters block : states[u].blocks) {
        finite &= Double.isFinite(block.bias);
      }
      finite &= Double.isFinite(global.row(globalRows[u]).bias);
    }
    if (!finite) {
      throw new IllegalStateException(
          "the model diverged during the benchmark (k = " + factors + ")");
    }
  }
}
