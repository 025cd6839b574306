package io.personalize.cli;

import io.personalize.connectors.data.Dataset;
import io.personalize.eval.Chart;
import io.personalize.eval.EvaluationConfig;
import io.personalize.eval.Evaluator;
import io.personalize.eval.EventLog;
import io.personalize.eval.Mode;
import io.personalize.eval.Progress;
import io.personalize.eval.Protocol;
import io.personalize.eval.Report;
import io.personalize.eval.Summary;
import io.personalize.eval.Target;
import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code personalize evaluate}: measures every mode per user group on a data set. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the global, local, mtl, adaptive and adaptive-paper modes per user group.",
      "Prints a table per metric, writes DIR/summary.json and DIR/chart.png."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--protocol",
      defaultValue = "prequential",
      description = "batch | user-split | prequential (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(
      names = "--model",
      defaultValue = "hybrid",
      description = "mf | logistic | hybrid (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--target",
      description = "rating | like (default: like for logistic, rating otherwise).")
  String target;

  @Option(
      names = "--out",
      defaultValue = "out/eval",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--modes",
      split = ",",
      description = "Modes to run, comma-separated (default: all the protocol supports).")
  Set<String> modes;

  @Option(names = "--factors", description = "k, factors per user and item (default: 32).")
  Integer factors;

  @Option(names = "--epochs", description = "Global epochs T of the batch protocols (default: 40).")
  Integer epochs;

  @Option(
      names = "--personal-epochs",
      description = "Own epochs of personal modes, batch protocols (default: 20).")
  Integer personalEpochs;

  @Option(
      names = "--rate-scale",
      defaultValue = "1",
      description = "Multiplies every default SGD step size (default: ${DEFAULT-VALUE}).")
  double rateScale;

  @Option(names = "--groups", description = "C, number of user groups (default: 7).")
  Integer groups;

  @Option(
      names = "--seed",
      description = "Seed of initial values, splits and shuffles (default: 42).")
  Long seed;

  @Mixin DataSets.Options dataSet;

  @Option(
      names = "--like-threshold",
      defaultValue = "4",
      description = "Ratings at or above are likes (default: ${DEFAULT-VALUE}).")
  double likeThreshold;

  @Option(
      names = "--test-fraction",
      defaultValue = "0.2",
      description = "Test share of batch protocols (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--no-progress", description = "Do not show progress.")
  boolean noProgress;

  @Option(names = "--no-chart", description = "Do not write chart.png.")
  boolean noChart;

  @Override
  public Integer call() throws Exception {
    EvaluationConfig config = config();
    try {
      // Fail before a long run, not after it, when the output cannot be written.
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot create the output directory " + out + ": " + e, e);
    }
    Dataset dataset = load();
    System.err.printf(
        "read %s (%s): %,d events%n",
        dataset.name(), dataset.layout(), dataset.interactions().size());
    EventLog log = EventLog.of(dataset);
    Summary summary = Evaluator.evaluate(log, config, new Progress(System.err, !noProgress));
    Report.printTables(summary, System.out);
    Path json = Report.writeJson(summary, out);
    System.out.println();
    System.out.println("wrote " + json);
    if (!noChart) {
      System.out.println("wrote " + Chart.writePng(summary, out));
    }
    return 0;
  }

  EvaluationConfig config() {
    Protocol parsedProtocol = Protocol.parse(protocol);
    ModelKind kind = ModelKind.parse(model);
    Target parsedTarget =
        target != null
            ? Target.parse(target)
            : kind == ModelKind.LOGISTIC ? Target.LIKE : Target.RATING;
    Loss loss = parsedTarget == Target.RATING ? Loss.SQUARED : Loss.LOGISTIC;
    ModelConfig d = ModelConfig.defaults(kind, loss, parsedProtocol.isStream());
    ModelConfig hyper =
        new ModelConfig(
            kind,
            loss,
            factors != null ? factors : d.factors(),
            d.initStd(),
            seed != null ? seed : d.seed(),
            d.globalSteps().times(rateScale),
            d.rateDecay(),
            d.globalRegularization(),
            epochs != null ? epochs : d.epochs(),
            personalEpochs != null ? personalEpochs : d.personalEpochs(),
            d.local(),
            d.mtl(),
            d.adaptiveCandidates(),
            d.paper(),
            groups != null ? groups : d.groups(),
            d.regroupEvery());
    Set<Mode> selected = EnumSet.noneOf(Mode.class);
    if (modes == null || modes.isEmpty()) {
      selected.addAll(EnumSet.allOf(Mode.class));
    } else {
      for (String name : modes) {
        selected.add(parseMode(name));
      }
    }
    return new EvaluationConfig(
        parsedProtocol, parsedTarget, likeThreshold, testFraction, 0.1, hyper, selected);
  }

  private static Mode parseMode(String name) {
    for (Mode mode : Mode.values()) {
      if (mode.label().equalsIgnoreCase(name.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '"
            + name
            + "': expected global, local, mtl, adaptive, adaptive-paper or adaptive-paper-reverse");
  }

  private Dataset load() {
    return dataSet.load(seed != null ? seed : 42);
  }
}
