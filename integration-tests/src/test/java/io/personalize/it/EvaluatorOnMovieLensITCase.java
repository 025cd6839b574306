package io.personalize.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.cli.PersonalizeCli;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.eval.EvaluationConfig;
import io.personalize.eval.Evaluator;
import io.personalize.eval.EventLog;
import io.personalize.eval.Metrics;
import io.personalize.eval.ModeResult;
import io.personalize.eval.Progress;
import io.personalize.eval.Protocol;
import io.personalize.eval.Summary;
import io.personalize.eval.Target;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The evaluator end to end through the command line, with the documented figures pinned: on ml-100k
 * (from the real data sets beside the repository) for every protocol, on generated data (always),
 * and the readers plus the prequential protocol on the other real sets.
 */
class EvaluatorOnMovieLensITCase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path shared(String name) {
    return SharedDataSets.require(name);
  }

  /**
   * The documented figures (docs/evaluation.md) of the evaluator on ml-100k with the defaults, per
   * protocol: global and adaptive RMSE over all users, and the least margin by which adaptive beats
   * global in every user group. A broken step (mtl scored as adaptive, a personal step skipped, a
   * changed default) moves one of them by more than the tolerance.
   */
  private record Documented(double global, double adaptive, double groupMargin) {}

  private static final Map<String, Documented> ML100K =
      Map.of(
          "prequential", new Documented(0.9359, 0.9296, 0.0030),
          // The batch protocols keep the global row in groups whose evidence is thin: no margin.
          "batch", new Documented(0.9057, 0.8999, 0),
          "user-split", new Documented(0.9635, 0.9569, 0));

  /** How far a run may be from a documented figure: the runs are deterministic. */
  private static final double PINNED = 0.0005;

  /** Runs {@code personalize evaluate} as bin/personalize does. */
  private static JsonNode evaluate(Path out, String... options) throws IOException {
    CommandLine cli = PersonalizeCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    String[] args = new String[options.length + 4];
    args[0] = "evaluate";
    System.arraycopy(options, 0, args, 1, options.length);
    args[options.length + 1] = "--out";
    args[options.length + 2] = out.toString();
    args[options.length + 3] = "--no-progress";
    PrintStream originalOut = System.out;
    ByteArrayOutputStream tables = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(tables, true, StandardCharsets.UTF_8));
      code = cli.execute(args);
    } finally {
      System.setOut(originalOut);
    }
    assertThat(code).as("exit code; err: %s%nout: %s", err, tables).isZero();
    assertThat(out.resolve("summary.json")).isRegularFile();
    assertThat(out.resolve("chart.png")).isRegularFile();
    return JSON.readTree(out.resolve("summary.json").toFile());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"batch", "user-split", "prequential"})
  void ml100kThroughTheCommandLine(String protocol, @TempDir Path dir) throws IOException {
    Path data = shared("ml-100k");
    long start = System.nanoTime();
    JsonNode summary =
        evaluate(
            dir, "--data", data.toString(), "--protocol", protocol, "--modes", "global,adaptive");
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(summary.get("dataset").asText()).isEqualTo("ml-100k");
    assertThat(summary.get("protocol").asText()).isEqualTo(protocol);
    assertThat(summary.get("events").asInt()).isEqualTo(100_000);
    assertThat(summary.get("users").asInt()).isEqualTo(943);
    assertThat(summary.get("items").asInt()).isEqualTo(1682);

    JsonNode modes = summary.get("modes");
    double global = modes.get("global").get("rmse").asDouble();
    double adaptive = modes.get("adaptive").get("rmse").asDouble();
    System.out.printf(
        Locale.ROOT,
        "ml-100k %-11s global RMSE %.4f  adaptive RMSE %.4f  (adaptive - global %+.4f)  %.1f s%n",
        protocol,
        global,
        adaptive,
        adaptive - global,
        seconds);

    int expectedScored =
        protocol.equals("prequential") ? 100_000 : protocol.equals("batch") ? 20_000 : -1;
    Documented documented = ML100K.get(protocol);
    assertThat(global)
        .as("%s global RMSE (documented)", protocol)
        .isCloseTo(documented.global(), within(PINNED));
    assertThat(adaptive)
        .as("%s adaptive RMSE (documented)", protocol)
        .isCloseTo(documented.adaptive(), within(PINNED));
    for (int g = 0; g < modes.get("global").get("groups").size(); g++) {
      double globalGroup = modes.get("global").get("groups").get(g).get("rmse").asDouble();
      double adaptiveGroup = modes.get("adaptive").get("groups").get(g).get("rmse").asDouble();
      assertThat(adaptiveGroup)
          .as(
              "%s group %d: adaptive %.4f beats global %.4f by the documented margin",
              protocol, g + 1, adaptiveGroup, globalGroup)
          .isLessThanOrEqualTo(globalGroup - documented.groupMargin());
    }
    for (String mode : new String[] {"global", "adaptive"}) {
      JsonNode m = modes.get(mode);
      assertThat(m.get("rmse").isNumber()).as(mode).isTrue();
      assertThat(m.get("mae").asDouble()).as(mode).isBetween(0.6, m.get("rmse").asDouble());
      assertThat(m.get("auc").asDouble()).as(mode).isBetween(0.6, 1.0);
      assertThat(m.get("logloss").isNull()).as(mode).isTrue();
      if (expectedScored > 0) {
        assertThat(m.get("events").asInt()).as(mode).isEqualTo(expectedScored);
      } else {
        // Each user's last 20%: between 15% and 25% of the events overall.
        assertThat(m.get("events").asInt()).as(mode).isBetween(15_000, 25_000);
      }
      long users = 0;
      for (JsonNode group : m.get("groups")) {
        users += group.get("users").asLong();
      }
      assertThat(users).isEqualTo(m.get("users").asLong());
    }
    assertThat(adaptive)
        .as("%s: adaptive RMSE %.4f beats global %.4f overall", protocol, adaptive, global)
        .isLessThan(global - 0.004);
  }

  /**
   * The same pinned check on the built-in generated data (1,000 users, 1,500 items, 100,000
   * events), which always runs, also where the real data sets are absent.
   */
  @Test
  void generatedDataThroughTheCommandLine(@TempDir Path dir) throws IOException {
    JsonNode summary =
        evaluate(
            dir, "--data", "generated", "--protocol", "prequential", "--modes", "global,adaptive");
    assertThat(summary.get("events").asInt()).isEqualTo(100_000);
    JsonNode modes = summary.get("modes");
    assertThat(modes.get("global").get("rmse").asDouble()).isCloseTo(0.8749, within(PINNED));
    assertThat(modes.get("adaptive").get("rmse").asDouble()).isCloseTo(0.8303, within(PINNED));
    for (int g = 0; g < modes.get("global").get("groups").size(); g++) {
      assertThat(modes.get("adaptive").get("groups").get(g).get("rmse").asDouble())
          .as("generated group %d", g + 1)
          .isLessThanOrEqualTo(
              modes.get("global").get("groups").get(g).get("rmse").asDouble() - 0.005);
    }
  }

  @Test
  void ml1mPartialRatingsAreRead() {
    Path dir = shared("ml-1m");
    Dataset data = MovieLensReader.read(dir);
    assertThat(data.name()).isEqualTo("ml-1m");
    assertThat(data.layout()).isEqualTo("ratings.dat");
    assertThat(data.interactions()).hasSize(487_650);
    Set<String> users = new HashSet<>();
    Set<String> items = new HashSet<>();
    int fives = 0;
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    for (Interaction i : data.interactions()) {
      users.add(i.userId());
      items.add(i.itemId());
      fives += i.value() == 5 ? 1 : 0;
      minTime = Math.min(minTime, i.timeMillis());
      maxTime = Math.max(maxTime, i.timeMillis());
    }
    assertThat(users).hasSize(2999).contains("1", "2999");
    assertThat(items).hasSize(3615);
    assertThat(fives).isEqualTo(108_545);
    // 2000-10-04 .. 2003-02-27 UTC, in milliseconds.
    assertThat(minTime).isBetween(970_617_600_000L, 970_704_000_000L);
    assertThat(maxTime).isBetween(1_046_304_000_000L, 1_046_390_400_000L);
    assertThat(data.items()).hasSize(3883);
    assertThat(data.items().get("1").title()).isEqualTo("Toy Story (1995)");
  }

  @Test
  void mlLatestSmallIsReadAndEvaluatedPrequentially() {
    Path dir = shared("ml-latest-small");
    Dataset data = MovieLensReader.read(dir);
    assertThat(data.layout()).isEqualTo("ratings.csv");
    assertThat(data.interactions()).hasSize(100_836);
    assertThat(data.items()).hasSize(9_742);

    EventLog log = EventLog.of(data);
    assertThat(log.users()).isEqualTo(610);
    assertThat(log.items()).isEqualTo(9_724);
    assertThat(log.valueRange()).containsExactly(0.5, 5.0);

    EvaluationConfig config =
        new EvaluationConfig(
            Protocol.PREQUENTIAL,
            Target.RATING,
            4,
            0.2,
            0.1,
            ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true),
            EnumSet.allOf(Mode.class));
    Summary summary = Evaluator.evaluate(log, config, Progress.silent());

    assertThat(summary.dataset()).isEqualTo("ml-latest-small");
    assertThat(summary.events()).isEqualTo(100_836);
    assertThat(summary.modes().keySet()).containsExactly("global", "local", "mtl", "adaptive");
    for (ModeResult mode : summary.modes().values()) {
      Metrics all = mode.overall();
      assertThat(all.events()).as(mode.mode()).isEqualTo(100_836);
      assertThat(all.users()).as(mode.mode()).isEqualTo(610);
      assertThat(all.rmse()).as(mode.mode()).isNotNull().isBetween(0.7, 1.3);
      assertThat(all.mae()).as(mode.mode()).isNotNull().isBetween(0.5, all.rmse());
      assertThat(all.auc()).as(mode.mode()).isNotNull().isBetween(0.5, 1.0);
      for (Metrics group : mode.groups()) {
        for (Double value :
            new Double[] {group.rmse(), group.mae(), group.auc(), group.userAuc()}) {
          assertThat(value == null || Double.isFinite(value))
              .as("%s %s", mode.mode(), group)
              .isTrue();
        }
      }
    }
    // Documented in docs/evaluation.md (not tuned on this set).
    assertThat(summary.modes().get("global").overall().rmse()).isCloseTo(0.8514, within(PINNED));
    assertThat(summary.modes().get("local").overall().rmse()).isCloseTo(0.8998, within(PINNED));
    assertThat(summary.modes().get("mtl").overall().rmse()).isCloseTo(0.8380, within(PINNED));
    assertThat(summary.modes().get("adaptive").overall().rmse()).isCloseTo(0.8364, within(PINNED));
    System.out.printf(
        Locale.ROOT,
        "ml-latest-small prequential RMSE: global %.4f local %.4f mtl %.4f adaptive %.4f%n",
        summary.modes().get("global").overall().rmse(),
        summary.modes().get("local").overall().rmse(),
        summary.modes().get("mtl").overall().rmse(),
        summary.modes().get("adaptive").overall().rmse());
  }
}
