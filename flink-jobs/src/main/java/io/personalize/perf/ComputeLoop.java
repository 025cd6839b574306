package io.personalize.perf;

import io.personalize.cli.EvaluateCommand;
import io.personalize.connectors.data.Dataset;
import io.personalize.eval.EvaluationConfig;
import io.personalize.eval.Evaluator;
import io.personalize.eval.EventLog;
import io.personalize.eval.Progress;
import io.personalize.job.config.EvaluatorOptions;
import io.personalize.model.Mode;
import java.io.PrintStream;
import org.apache.flink.configuration.Configuration;

/**
 * The same events in memory, in plain Java on one core: what the job's model math costs without
 * Flink, Kafka or state. {@link #engine} is the evaluator's prequential pass, which runs the job's
 * own per-event steps (the per-user step of every stream mode, then the global step, the feature
 * and group bookkeeping), so it is the job's per-event core work; {@link #bareSgd} is a plain
 * biased matrix-factorization SGD update per event, the least any such model can do.
 */
final class ComputeLoop {
  private ComputeLoop() {}

  /**
   * Events per second of the engine's per-event steps over {@code data}, with {@code settings}: the
   * prequential pass's own loop, timed on a second run after a first one warms the JIT (as {@link
   * #bareSgd} is), without the metrics the evaluator computes from the predictions afterwards.
   * Until 2026-12-04 one cold run was timed whole: metrics (AUC's sorts) and JIT warm-up were about
   * half of it.
   */
  static double engine(Dataset data, Configuration settings, PrintStream out) {
    Configuration conf = new Configuration(settings);
    conf.set(EvaluatorOptions.PROTOCOL, "prequential");
    conf.set(EvaluatorOptions.MODES, Mode.STREAM.stream().map(Mode::label).toList());
    EvaluationConfig config = EvaluateCommand.config(conf);
    EventLog log = EventLog.of(data);
    Evaluator.evaluate(log, config, new Progress(out, false));
    Progress timed = new Progress(out, false);
    Evaluator.evaluate(log, config, timed);
    return log.events() / timed.taskSeconds(Evaluator.PREQUENTIAL_PASS);
  }

  /**
   * Events per second of a bare biased-MF SGD step (predict, then update the user's and the item's
   * bias and {@code k} factors; doubles, learning rate 0.01, L2 0.02) over {@code data}, timed on a
   * second pass after a first one warms the JIT.
   */
  static double bareSgd(Dataset data, int k) {
    EventLog log = EventLog.of(data);
    BareSgd model = new BareSgd(log.users(), log.items(), k);
    model.pass(log);
    long start = System.nanoTime();
    double loss = model.pass(log);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException("the bare SGD loop diverged");
    }
    return log.events() / seconds;
  }

  /** Biased MF with plain arrays: the reference step, nothing else. */
  private static final class BareSgd {
    private static final double RATE = 0.01;
    private static final double L2 = 0.02;
    private final int k;
    private final double[] userBias;
    private final double[] itemBias;
    private final double[] userFactors;
    private final double[] itemFactors;
    private double mean = 3.0;

    BareSgd(int users, int items, int k) {
      this.k = k;
      userBias = new double[users];
      itemBias = new double[items];
      userFactors = new double[users * k];
      itemFactors = new double[items * k];
      java.util.Random random = new java.util.Random(1);
      for (int i = 0; i < userFactors.length; i++) {
        userFactors[i] = 0.1 * random.nextGaussian();
      }
      for (int i = 0; i < itemFactors.length; i++) {
        itemFactors[i] = 0.1 * random.nextGaussian();
      }
    }

    /** One prequential pass; returns the summed squared error, so the work cannot be skipped. */
    double pass(EventLog log) {
      double loss = 0;
      for (int e = 0; e < log.events(); e++) {
        int u = log.user[e];
        int i = log.item[e];
        int pu = u * k;
        int qi = i * k;
        double dot = 0;
        for (int f = 0; f < k; f++) {
          dot += userFactors[pu + f] * itemFactors[qi + f];
        }
        double err = log.value[e] - (mean + userBias[u] + itemBias[i] + dot);
        loss += err * err;
        mean += RATE * 0.01 * err;
        userBias[u] += RATE * (err - L2 * userBias[u]);
        itemBias[i] += RATE * (err - L2 * itemBias[i]);
        for (int f = 0; f < k; f++) {
          double p = userFactors[pu + f];
          double q = itemFactors[qi + f];
          userFactors[pu + f] += RATE * (err * q - L2 * p);
          itemFactors[qi + f] += RATE * (err * p - L2 * q);
        }
      }
      return loss;
    }
  }
}
