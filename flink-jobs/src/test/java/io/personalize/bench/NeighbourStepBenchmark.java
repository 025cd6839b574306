package io.personalize.bench;

import io.personalize.neighbours.NeighbourModel;
import io.personalize.neighbours.NeighbourSettings;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the item-neighbourhood correction ({@code model.neighbours}) per event, in memory:
 * the correction from the user's history and the item's partner sums, then the rating learned
 * (paired with every item of the history on both sides). The job adds state access and
 * serialization of the rows and the records around it; the evaluator pays this.
 *
 * <p>An {@link Ml100kLikeStream} (943 users, 1,682 items) replayed once before measuring, so the
 * histories are full and the partner sums at their bound: the steady state. Run with {@code
 * bin/benchmark NeighbourStepBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NeighbourStepBenchmark {
  /** An item's partner bound; 1,000 is the default. */
  @Param({"200", "1000"})
  public int partners;

  private NeighbourModel model;
  private Ml100kLikeStream stream;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    stream = Ml100kLikeStream.generate(7, 7, 1_000);
    NeighbourSettings defaults = NeighbourSettings.defaults();
    model =
        new NeighbourModel(
            new NeighbourSettings(
                defaults.neighbours(), defaults.history(), partners, defaults.weight()));
    for (int e = 0; e < stream.user.length; e++) {
      step(e);
    }
  }

  private double step(int e) {
    int u = stream.user[e];
    int i = stream.item[e];
    double correction = model.correction(u, i);
    // A model prediction a little off the label, and the mid-scale baseline of an untrained model.
    model.learn(u, i, stream.label[e], 3.5, 3.0);
    return correction;
  }

  @Benchmark
  public double correctAndLearn() {
    int e = next;
    next = e + 1 == stream.user.length ? 0 : e + 1;
    return step(e);
  }
}
