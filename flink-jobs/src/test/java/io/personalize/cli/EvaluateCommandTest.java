package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class EvaluateCommandTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** Exit code, the command line's err writer, and what the command printed on System.out. */
  private record Run(int exitCode, String err, String out) {}

  /** Where a run that names no --out writes: never the module's own out/eval. */
  @TempDir static Path defaultOut;

  private static Run run(String... args) {
    if (java.util.Arrays.stream(args).noneMatch(arg -> arg.startsWith("--out"))) {
      args = concat(args, new String[] {"--out", defaultOut.resolve("eval").toString()});
    }
    CommandLine cli = PersonalizeCli.commandLine();
    StringWriter err = new StringWriter();
    StringWriter cliOut = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(cliOut, true));
    // The command prints its tables on System.out: capture it too, and keep test logs quiet.
    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = cli.execute(args);
    } finally {
      System.setOut(originalOut);
    }
    return new Run(code, err.toString(), cliOut + out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void evaluatesGeneratedDataAndWritesSummaryAndChart(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("eval");
    Run run =
        run(
            "evaluate",
            "--data",
            "generated",
            "--protocol",
            "prequential",
            "--out",
            out.toString(),
            "--no-progress",
            "--generated-users",
            "200",
            "--generated-items",
            "300",
            "--generated-events",
            "5000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    Path summary = out.resolve("summary.json");
    Path chart = out.resolve("chart.png");
    assertThat(summary).isRegularFile();
    assertThat(chart).isRegularFile();
    assertThat(run.out()).contains("wrote " + summary).contains("wrote " + chart);
    assertThat(run.out()).contains("RMSE by user group");

    JsonNode json = new ObjectMapper().readTree(summary.toFile());
    assertThat(json.get("dataset").asText()).isEqualTo("generated");
    assertThat(json.get("protocol").asText()).isEqualTo("prequential");
    assertThat(json.get("model").asText()).isEqualTo("hybrid");
    assertThat(json.get("events").asInt()).isEqualTo(5000);
    assertThat(json.get("users").asInt()).isEqualTo(200);
    assertThat(json.get("items").asInt()).isBetween(100, 300);
    JsonNode modes = json.get("modes");
    assertThat(modes.has("global")).isTrue();
    assertThat(modes.has("adaptive")).isTrue();
    assertThat(modes.has("adaptive-paper")).isFalse();
    assertThat(modes.get("global").get("events").asInt()).isEqualTo(5000);
    assertThat(modes.get("global").get("rmse").asDouble()).isBetween(0.5, 1.5);
    assertThat(modes.get("global").get("groups")).hasSize(7);
    // The rating protocols' summary has no recommenders block.
    assertThat(json.has("recommenders")).isFalse();

    byte[] png = Files.readAllBytes(chart);
    byte[] head = new byte[8];
    System.arraycopy(png, 0, head, 0, 8);
    assertThat(head).containsExactly(PNG_SIGNATURE);
  }

  @Test
  void optionsReachTheEvaluation(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("eval");
    Run run =
        run(
            "evaluate",
            "--data=generated",
            "--protocol=batch",
            "--model-kind=MF",
            "--modes=global,adaptive-paper",
            "--model-groups=3",
            "--epochs=5",
            "--personal-epochs=2",
            "--model-factors=4",
            "--model-seed=9",
            "--no-chart",
            "--no-progress",
            "--out=" + out,
            "--generated-users=80",
            "--generated-items=120",
            "--generated-events=2000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(out.resolve("chart.png")).doesNotExist();
    JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(json.get("protocol").asText()).isEqualTo("batch");
    assertThat(json.get("model").asText()).isEqualTo("mf");
    assertThat(json.get("groups").asInt()).isEqualTo(3);
    assertThat(json.get("events").asInt()).isEqualTo(2000);
    assertThat(json.get("users").asInt()).isEqualTo(80);
    assertThat(json.get("settings").get("epochs").asInt()).isEqualTo(5);
    assertThat(json.get("settings").get("personalEpochs").asInt()).isEqualTo(2);
    assertThat(json.get("settings").get("factors").asInt()).isEqualTo(4);
    assertThat(json.get("settings").get("seed").asLong()).isEqualTo(9);
    JsonNode modes = json.get("modes");
    assertThat(modes.size()).isEqualTo(2);
    assertThat(modes.has("global")).isTrue();
    assertThat(modes.has("adaptive-paper")).isTrue();
    assertThat(modes.get("global").get("groups")).hasSize(3);
    // 20% of 2000 events are scored in the batch protocol.
    assertThat(modes.get("global").get("events").asInt()).isEqualTo(400);
  }

  /**
   * An evaluator setting out of its range names its key and rule, as the job's settings do; the
   * errors named Java fields ("testFraction must be in (0, 1)"), and a rate scale of 0 or below was
   * taken.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--test-fraction=1.5| personalize.evaluate.test-fraction must be in (0, 1), was 1.5",
        "--epochs=0| personalize.evaluate.epochs must be >= 1, was 0",
        "--personal-epochs=-1| personalize.evaluate.personal-epochs must be >= 0, was -1",
        "--rate-scale=0| personalize.evaluate.rate-scale must be > 0, was 0.0",
        "--sampled-items=0| personalize.evaluate.sampled-items must be >= 1, was 0",
        "--ranking-epochs=0| personalize.evaluate.ranking-epochs must be >= 1, was 0",
        "--like-threshold=NaN| personalize.evaluate.like-threshold must be a number, was NaN"
      })
  void anEvaluatorSettingOutOfRangeNamesItsKeyAndRule(
      String flag, String message, @TempDir Path dir) {
    // --out: were a setting taken, the evaluation would write its output there, not in the module.
    Run run =
        run(
            "evaluate",
            "--data=generated",
            "--protocol=batch",
            "--no-progress",
            "--out=" + dir.resolve("eval"),
            flag);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("personalize: " + message);
  }

  @Test
  void malformedLineIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("u.data"), "1\t10\t5\t881250949\n2\t20\t3\t881250950\n3\t30\t881250951\n");
    Run run =
        run(
            "evaluate",
            "--data",
            dir.toString(),
            "--no-progress",
            "--out",
            dir.resolve("o").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("personalize: ").contains("u.data").contains("line 3");
    assertThat(run.err().lines()).as("one line, no stack trace").hasSize(1);
    assertThat(dir.resolve("o").resolve("summary.json")).doesNotExist();
  }

  @Test
  void badRatingValueIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("u.data"),
        "1\t10\t5\t881250949\n2\t20\tfive\t881250950\n3\t30\t4\t881250951\n");
    Run run = run("evaluate", "--data", dir.resolve("u.data").toString(), "--no-progress");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("personalize: ").contains("u.data").contains("line 2");
    assertThat(run.err().lines()).hasSize(1);
  }

  /**
   * REGRESSION: a rating outside the scale used to be accepted, and the evaluation failed later
   * with a NaN and no line number.
   */
  @Test
  void ratingOutsideTheScaleIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int user = 1; user <= 30; user++) {
      for (int item = 1; item <= 10; item++) {
        int rating = user == 17 && item == 4 ? 99 : 1 + (user + item) % 5;
        text.append(user).append('\t').append(item).append('\t').append(rating);
        text.append('\t').append(881_250_949 + user * 10 + item).append('\n');
      }
    }
    Files.writeString(dir.resolve("u.data"), text);
    Path out = dir.resolve("o");

    Run run = run("evaluate", "--data", dir.toString(), "--no-progress", "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines()).as("one line, no stack trace").hasSize(1);
    assertThat(run.err())
        .startsWith("personalize: u.data line 164: ")
        .contains("rating is outside the scale 1..5")
        .contains("'99'");
    assertThat(out.resolve("summary.json")).doesNotExist();
  }

  @Test
  void clickDataIsReadAndRefusedByTheRatingProtocols(@TempDir Path dir) throws IOException {
    String header = "SessionId\tItemId\tTime\n";
    Files.writeString(dir.resolve("c_train_full.txt"), header + "1\t10\t5.5\n1\t11\t6\n");
    Files.writeString(dir.resolve("c_test.txt"), header + "2\t10\t7.25\n2\t11\t8\n");

    Run run =
        run(
            "evaluate",
            "--data",
            dir.toString(),
            "--no-progress",
            "--out",
            dir.resolve("o").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "personalize: the prequential protocol learns and scores ratings, but 4 of the 4"
                + " events of data set '"
                + dir.getFileName()
                + "' are not ratings (4 CLICK): a click or view has no rating to predict");
    assertThat(run.err().lines()).as("one line, no stack trace").hasSize(1);
    assertThat(dir.resolve("o").resolve("summary.json")).doesNotExist();
  }

  @Test
  void directoryWithoutRatingsIsAnInputError(@TempDir Path dir) {
    Run run = run("evaluate", "--data", dir.toString(), "--no-progress");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("personalize: ").contains("no ratings file");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void missingDataSetNameExitsTwoWithAClearMessage() {
    Run run = run("evaluate", "--data", "no-such-data-set-xyz", "--no-progress");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("personalize: ")
        .contains("'no-such-data-set-xyz'")
        .contains("no file or directory");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void missingRelativePathExitsTwoWithAClearMessage() {
    Run run = run("evaluate", "--data", "no/such/dir/u.data", "--no-progress");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("personalize: ")
        .contains("'no/such/dir/u.data'")
        .contains("no file or directory");
  }

  @Test
  void missingPathExitsTwoWithAClearMessage(@TempDir Path dir) {
    String missing = dir.resolve("does-not-exist").toString();
    Run run = run("evaluate", "--data", missing, "--no-progress");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("personalize: ")
        .contains(missing)
        .contains("no file or directory");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void unknownProtocolIsRejectedByName() {
    Run run = run("evaluate", "--data", "generated", "--protocol", "sideways", "--no-progress");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("sideways").contains("protocol");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void unknownModelIsRejectedByName() {
    Run run = run("evaluate", "--data", "generated", "--model-kind", "deep-net", "--no-progress");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("personalize: ")
        .contains("'deep-net'")
        .contains("--model-kind")
        .contains("HYBRID", "MF", "LOGISTIC");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void modelKindIsReadInAnyCaseAndFromDashD(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("eval");
    String[] small = {
      "--data=generated",
      "--generated-users=30",
      "--generated-items=40",
      "--generated-events=300",
      "--protocol=batch",
      "--modes=global",
      "--epochs=1",
      "--no-chart",
      "--no-progress",
      "--out=" + out
    };
    Run lower = run(concat(new String[] {"evaluate", "--model-kind=mf"}, small));
    assertThat(lower.exitCode()).as(lower.err()).isZero();
    assertThat(model(out)).isEqualTo("mf");

    Run property = run(concat(new String[] {"evaluate", "-D", "personalize.model.kind=MF"}, small));
    assertThat(property.exitCode()).as(property.err()).isZero();
    assertThat(model(out)).isEqualTo("mf");

    Run badProperty =
        run(concat(new String[] {"evaluate", "-D", "personalize.model.kind=deep-net"}, small));
    assertThat(badProperty.exitCode()).isEqualTo(2);
    assertThat(badProperty.err()).contains("'deep-net'").contains("personalize.model.kind");
  }

  /**
   * The logistic model is the evaluator's too (the job only learns ratings): `--model-kind
   * LOGISTIC` was refused by the job's rule when the top-N settings were read.
   */
  @Test
  void theLogisticModelRunsInTheEvaluator(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("eval");
    Run run =
        run(
            "evaluate",
            "--model-kind=LOGISTIC",
            "--data=generated",
            "--generated-users=30",
            "--generated-items=40",
            "--generated-events=300",
            "--protocol=prequential",
            "--no-chart",
            "--no-progress",
            "--out=" + out);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(model(out)).isEqualTo("logistic");
  }

  /** What the model learns from the stream is on by default; the setting turns it off. */
  @Test
  void learnedSettingsAreReportedAndCanBeTurnedOff(@TempDir Path dir) {
    String[] small = {
      "--data=generated",
      "--generated-users=30",
      "--generated-items=40",
      "--generated-events=300",
      "--protocol=prequential",
      "--no-chart",
      "--no-progress",
      "--out=" + dir.resolve("eval")
    };
    Run learning = run(concat(new String[] {"evaluate"}, small));
    assertThat(learning.exitCode()).as(learning.err()).isZero();
    assertThat(learning.out())
        .contains("global model learned from the stream: steps bias x")
        .contains("first 20 events x2.0")
        .contains("global row (borrow everything)");
    Run off = run(concat(new String[] {"evaluate", "--model-learn-settings=false"}, small));
    assertThat(off.exitCode()).as(off.err()).isZero();
    assertThat(off.out()).contains("first 0 events").doesNotContain("global row (borrow");
  }

  /**
   * The batch protocol chooses the global trainer on its 5 validation folds and uses 128 factors
   * unless a k is given; with the settings not learned, neither (SGD, k = 32); nor does the
   * per-user time split, whose one fold is each user's latest events.
   */
  @Test
  void batchChoosesItsTrainerAndUsesItsOwnFactorsUnlessGiven(@TempDir Path dir) throws IOException {
    Path learning = dir.resolve("learning");
    Run run = smallEvaluation(learning, "--protocol=batch");
    assertThat(run.out())
        .containsPattern(
            "global model chosen on the validation folds: trainer (SGD|AdaGrad) \\(mean held-out"
                + " loss SGD [0-9.]+, AdaGrad [0-9.]+ over [0-9]+ events in 5 folds\\)");
    assertThat(factors(learning)).isEqualTo(128);

    Path given = dir.resolve("given");
    smallEvaluation(given, "--protocol=batch", "--model-factors=16");
    assertThat(factors(given)).isEqualTo(16);

    Path off = dir.resolve("off");
    run = smallEvaluation(off, "--protocol=batch", "--model-learn-settings=false");
    assertThat(run.out()).doesNotContain("chosen on the validation folds");
    assertThat(factors(off)).isEqualTo(32);

    Path stream = dir.resolve("stream");
    smallEvaluation(stream, "--protocol=prequential");
    assertThat(factors(stream)).isEqualTo(32);

    Path userSplit = dir.resolve("user-split");
    run = smallEvaluation(userSplit, "--protocol=user-split");
    assertThat(run.out()).doesNotContain("chosen on the validation folds");
    assertThat(factors(userSplit)).isEqualTo(32);
  }

  /** An evaluation of global and adaptive on a small generated stream; it must succeed. */
  private static Run smallEvaluation(Path out, String... flags) {
    String[] small = {
      "evaluate",
      "--data=generated",
      "--generated-users=30",
      "--generated-items=40",
      "--generated-events=600",
      "--modes=global,adaptive",
      "--no-chart",
      "--no-progress",
      "--out=" + out
    };
    Run run = run(concat(small, flags));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }

  private static int factors(Path out) throws IOException {
    return new ObjectMapper()
        .readTree(out.resolve("summary.json").toFile())
        .get("settings")
        .get("factors")
        .asInt();
  }

  private static String model(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("model").asText();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void theOldModelFlagsAreGone() {
    for (String old : new String[] {"--model", "--factors", "--groups", "--seed"}) {
      Run run = run("evaluate", "--data", "generated", old, "4", "--no-progress");
      assertThat(run.exitCode()).as(old).isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(run.err()).as(old).contains("Unknown option").contains("'" + old + "'");
    }
  }

  @Test
  void unknownModeAndTargetAreRejectedByName() {
    Run mode = run("evaluate", "--data", "generated", "--modes", "global,psychic", "--no-progress");
    assertThat(mode.exitCode()).isEqualTo(2);
    assertThat(mode.err()).contains("psychic");
    Run target = run("evaluate", "--data", "generated", "--target", "stars", "--no-progress");
    assertThat(target.exitCode()).isEqualTo(2);
    assertThat(target.err()).contains("stars");
  }

  @Test
  void missingRequiredDataOptionIsAUsageError() {
    Run run = run("evaluate", "--no-progress");
    assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--data");
  }

  @Test
  void modeTheProtocolCannotRunIsRejected() {
    Run run =
        run(
            "evaluate",
            "--data",
            "generated",
            "--protocol",
            "prequential",
            "--modes",
            "adaptive-paper");
    assertThat(run.exitCode()).isEqualTo(2);
    // The message spells the mode as the enum constant (ADAPTIVE_PAPER), not as typed.
    assertThat(run.err())
        .startsWith("personalize: ")
        .containsIgnoringCase("adaptive")
        .containsIgnoringCase("paper")
        .contains("prequential");
  }

  @Test
  void outputPathThatIsAFileIsAnInputError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "not a directory");
    Run run =
        run(
            "evaluate",
            "--data=generated",
            "--generated-users=20",
            "--generated-items=30",
            "--generated-events=200",
            "--no-progress",
            "--out=" + file);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("personalize: ").contains("taken");
    assertThat(run.err().lines()).as("one line, no stack trace").hasSize(1);
  }

  @Test
  void topNProtocolWritesRecommendersSideBySide(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("eval");
    Run run =
        run(
            "evaluate",
            "--data=generated",
            "--protocol=leave-last-out",
            "--out=" + out,
            "--no-progress",
            "--generated-users=100",
            "--generated-items=200",
            "--generated-events=3000",
            "--ranking-epochs=1",
            "--recommenders=popularity;walks+rank+mmr",
            "--recommend-candidates=30",
            "--sampled-items=50");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("recommender").contains("hr@10 by user group");
    JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(json.get("protocol").asText()).isEqualTo("leave-last-out");
    assertThat(json.get("modes")).isEmpty();
    JsonNode recommenders = json.get("recommenders");
    assertThat(recommenders.size()).isEqualTo(2);
    JsonNode mmr = recommenders.get("walks+rank+mmr");
    for (String key :
        new String[] {
          "hr@10", "ndcg@10", "hr@10-full", "ndcg@10-full", "coverage@10", "ild@10", "mrr@10"
        }) {
      assertThat(mmr.has(key)).as(key).isTrue();
    }
    assertThat(mmr.has("hr@20")).isFalse();
    assertThat(mmr.get("hr@10").asDouble()).isBetween(0.0, 1.0);
    assertThat(mmr.get("groups")).hasSize(7);
    assertThat(mmr.get("groups").get(0).has("mrr@10")).isTrue();
    assertThat(json.get("settings").get("list").asText()).contains("candidates=30");
    assertThat(json.get("settings").get("sampledItems").asInt()).isEqualTo(50);
    assertThat(out.resolve("chart.png")).isRegularFile();
  }

  @Test
  void theEvaluatorsDefaultRecommendationSettingsAreTheJobs() {
    assertThat(
            EvaluateCommand.topNSettings(
                io.personalize.job.config.JobConfig.defaults(),
                java.util.List.of(io.personalize.recommend.RecommenderKind.values()),
                100,
                io.personalize.job.config.EvaluatorOptions.RANKING_EPOCHS.defaultValue()))
        .isEqualTo(io.personalize.eval.TopNSettings.defaults());
  }
}
