package io.personalize.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final List<String> METRIC_KEYS = List.of("rmse", "mae", "logloss", "auc");
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Summary prequential;
  private static Summary userSplitLike;

  @BeforeAll
  static void evaluate() {
    EventLog log = EventLog.of(SyntheticData.generate(3, 120, 200, 5_000));
    prequential =
        Evaluator.evaluate(log, config(Protocol.PREQUENTIAL, Target.RATING), Progress.silent());
    userSplitLike =
        Evaluator.evaluate(log, config(Protocol.USER_SPLIT, Target.LIKE), Progress.silent());
  }

  private static EvaluationConfig config(Protocol protocol, Target target) {
    Loss loss = target == Target.RATING ? Loss.SQUARED : Loss.LOGISTIC;
    ModelConfig defaults = ModelConfig.defaults(ModelKind.HYBRID, loss, protocol.isStream());
    return new EvaluationConfig(protocol, target, 4, 0.2, 0.1, defaults, EnumSet.allOf(Mode.class));
  }

  private static JsonNode roundTrip(Summary summary) throws IOException {
    String text = JSON.writeValueAsString(Report.jsonTree(summary));
    return JSON.readTree(text);
  }

  @Test
  void jsonHasTheRequiredShape() throws IOException {
    JsonNode root = roundTrip(prequential);
    assertThat(root.get("dataset").asText()).isEqualTo("generated");
    assertThat(root.get("protocol").asText()).isEqualTo("prequential");
    assertThat(root.get("model").asText()).isEqualTo("hybrid");
    assertThat(root.get("events").isInt()).isTrue();
    assertThat(root.get("events").asInt()).isEqualTo(5_000);
    assertThat(root.get("users").asInt()).isEqualTo(120);
    assertThat(root.get("items").asInt()).isEqualTo(prequential.items());
    assertThat(fieldNames(root.get("modes"))).containsExactly("global", "local", "mtl", "adaptive");

    for (String name : fieldNames(root.get("modes"))) {
      JsonNode mode = root.get("modes").get(name);
      ModeResult expected = prequential.modes().get(name);
      assertThat(fieldNames(mode)).as(name).containsAll(METRIC_KEYS).contains("groups");
      // Rating target: rmse, mae and auc are numbers, log loss an explicit null.
      assertThat(mode.get("rmse").isNumber()).as(name).isTrue();
      assertThat(mode.get("rmse").asDouble()).isCloseTo(expected.overall().rmse(), within(1e-12));
      assertThat(mode.get("mae").asDouble()).isCloseTo(expected.overall().mae(), within(1e-12));
      assertThat(mode.get("auc").asDouble()).isCloseTo(expected.overall().auc(), within(1e-12));
      assertThat(mode.get("logloss").isNull()).as(name + " logloss").isTrue();
      // Prequential has no ranking metrics: present, null.
      assertThat(mode.get("map").isNull()).isTrue();

      JsonNode groups = mode.get("groups");
      assertThat(groups.isArray()).isTrue();
      assertThat(groups).hasSize(7);
      long users = 0;
      for (int g = 0; g < 7; g++) {
        JsonNode group = groups.get(g);
        assertThat(fieldNames(group))
            .as("%s group %d", name, g + 1)
            .containsAll(List.of("group", "users", "events"))
            .containsAll(METRIC_KEYS);
        assertThat(group.get("group").asInt()).isEqualTo(g + 1);
        assertThat(group.get("users").asLong()).isEqualTo(expected.groups().get(g).users());
        assertThat(group.get("events").asLong()).isEqualTo(expected.groups().get(g).events());
        assertThat(group.get("logloss").isNull()).isTrue();
        if (group.get("events").asLong() > 0) {
          assertThat(group.get("rmse").asDouble())
              .isCloseTo(expected.groups().get(g).rmse(), within(1e-12));
        } else {
          assertThat(group.get("rmse").isNull()).isTrue();
        }
        users += group.get("users").asLong();
      }
      assertThat(users).isEqualTo(120);
    }
  }

  @Test
  void jsonOfTheLikeTargetHasNullRatingErrors() throws IOException {
    JsonNode root = roundTrip(userSplitLike);
    assertThat(root.get("protocol").asText()).isEqualTo("user-split");
    assertThat(fieldNames(root.get("modes")))
        .containsExactly(
            "global", "local", "mtl", "adaptive", "adaptive-paper", "adaptive-paper-reverse");
    for (String name : fieldNames(root.get("modes"))) {
      JsonNode mode = root.get("modes").get(name);
      assertThat(mode.has("rmse") && mode.get("rmse").isNull()).as(name + " rmse").isTrue();
      assertThat(mode.has("mae") && mode.get("mae").isNull()).as(name + " mae").isTrue();
      assertThat(mode.get("logloss").isNumber()).as(name + " logloss").isTrue();
      assertThat(mode.get("logloss").asDouble()).isBetween(0.2, 1.0);
      assertThat(mode.get("auc").isNumber()).isTrue();
      // The per-user time split ranks each user's test events.
      assertThat(mode.get("map").isNumber()).isTrue();
      for (JsonNode group : mode.get("groups")) {
        assertThat(group.has("rmse") && group.get("rmse").isNull()).isTrue();
        assertThat(group.has("logloss")).isTrue();
      }
    }
  }

  @Test
  void writeJsonWritesTheSameTreeToSummaryJson(@TempDir Path dir) throws IOException {
    Path file = Report.writeJson(prequential, dir.resolve("nested/out"));
    assertThat(file).isEqualTo(dir.resolve("nested/out/summary.json"));
    assertThat(file).isRegularFile();
    assertThat(JSON.readTree(file.toFile())).isEqualTo(roundTrip(prequential));
  }

  @Test
  void printTablesHasARowPerGroupAndAnAllRow() {
    String text = print(prequential);
    assertThat(text)
        .startsWith("generated, prequential protocol, hybrid model (rating target): 5,000 events");
    assertThat(text).contains("RMSE by user group").contains("MAE by user group");
    // No mode produced a log loss: that table is left out.
    assertThat(text).doesNotContain("log loss by user group");

    List<String> rows = tableRows(text, "RMSE by user group");
    assertThat(rows).hasSize(8);
    ModeResult global = prequential.modes().get("global");
    ModeResult adaptive = prequential.modes().get("adaptive");
    for (int g = 0; g < 7; g++) {
      String[] cells = rows.get(g).trim().split("\\s+");
      Metrics m = global.groups().get(g);
      assertThat(cells[0]).isEqualTo(String.valueOf(g + 1));
      assertThat(Long.parseLong(cells[1])).isEqualTo(m.users());
      assertThat(Long.parseLong(cells[2])).isEqualTo(m.events());
      assertThat(cells).hasSize(3 + 4);
      assertThat(cells[3]).isEqualTo(m.rmse() == null ? "-" : format(m.rmse()));
      Double adaptiveRmse = adaptive.groups().get(g).rmse();
      assertThat(cells[6]).isEqualTo(adaptiveRmse == null ? "-" : format(adaptiveRmse));
    }
    String[] all = rows.get(7).trim().split("\\s+");
    assertThat(all[0]).isEqualTo("all");
    assertThat(all[1]).isEqualTo("120");
    assertThat(all[2]).isEqualTo("5000");
    assertThat(all[3]).isEqualTo(format(global.overall().rmse()));
  }

  @Test
  void aRunThatScoredNoRatingNamesNoModelInItsFirstLine() {
    // The job learns ratings; on a click stream (yoochoose in the demo) it scores only lists.
    Summary listsOnly =
        new Summary(
            "yoochoose-100k-sample",
            "prequential",
            "hybrid",
            "rating",
            83_846,
            21_210,
            2_933,
            7,
            25.7,
            Map.of(),
            List.of(),
            Map.of());
    assertThat(print(listsOnly))
        .startsWith(
            "yoochoose-100k-sample, prequential protocol, lists only (no rating scored): 83,846"
                + " events");
  }

  @Test
  void printTablesOfTheLikeTargetShowsLogLossAndRanking() {
    String text = print(userSplitLike);
    assertThat(text).contains("log loss by user group").contains("MAP by user group");
    assertThat(text).doesNotContain("RMSE by user group");
    List<String> rows = tableRows(text, "log loss by user group");
    assertThat(rows).hasSize(8);
    assertThat(rows.get(7).trim()).startsWith("all");
    assertThat(text).contains("adaptive: setting chosen per group").contains("group 7: candidate");
  }

  @Test
  void chartIsAPng(@TempDir Path dir) throws IOException {
    Path file = Chart.writePng(prequential, dir);
    assertThat(file).isEqualTo(dir.resolve("chart.png"));
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).isGreaterThan(1_000);
    byte[] head = new byte[8];
    System.arraycopy(bytes, 0, head, 0, 8);
    assertThat(head).containsExactly(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(1000);
    assertThat(image.getHeight()).isEqualTo(560);
  }

  @Test
  void chartUsesLogLossForTheLikeTarget(@TempDir Path dir) throws IOException {
    assertThat(Chart.mainMetric(prequential).getKey()).isEqualTo("RMSE");
    assertThat(Chart.mainMetric(userSplitLike).getKey()).isEqualTo("log loss");
    Path file = Chart.writePng(userSplitLike, dir);
    byte[] head = new byte[8];
    System.arraycopy(Files.readAllBytes(file), 0, head, 0, 8);
    assertThat(head).containsExactly(PNG_SIGNATURE);
  }

  @Test
  void handBuiltSummaryKeepsExplicitNullsAndEmptyGroups() throws IOException {
    Metrics overall = new Metrics(0, 2, 5, 0.9, 0.7, null, 0.75, null, null, null, null);
    Metrics one = new Metrics(1, 2, 5, 0.9, 0.7, null, 0.75, null, null, null, null);
    Metrics two = new Metrics(2, 0, 0, null, null, null, null, null, null, null, null);
    Map<String, ModeResult> modes = new LinkedHashMap<>();
    modes.put("global", new ModeResult("global", overall, List.of(one, two)));
    Summary summary =
        new Summary(
            "hand", "batch", "mf", "rating", 25, 4, 3, 2, 0.5, modes, List.of(), Map.of("seed", 1));
    JsonNode root = roundTrip(summary);
    assertThat(root.get("events").asInt()).isEqualTo(25);
    assertThat(root.get("users").asInt()).isEqualTo(4);
    assertThat(root.get("items").asInt()).isEqualTo(3);
    JsonNode global = root.get("modes").get("global");
    assertThat(global.get("rmse").asDouble()).isEqualTo(0.9);
    assertThat(global.get("mae").asDouble()).isEqualTo(0.7);
    assertThat(global.get("auc").asDouble()).isEqualTo(0.75);
    assertThat(global.has("logloss")).isTrue();
    assertThat(global.get("logloss").isNull()).isTrue();
    JsonNode empty = global.get("groups").get(1);
    assertThat(empty.get("group").asInt()).isEqualTo(2);
    assertThat(empty.get("users").asInt()).isZero();
    assertThat(empty.get("events").asInt()).isZero();
    for (String key : METRIC_KEYS) {
      assertThat(empty.has(key)).as(key).isTrue();
      assertThat(empty.get(key).isNull()).as(key).isTrue();
    }
    String table = print(summary);
    List<String> rows = tableRows(table, "RMSE by user group");
    assertThat(rows)
        .containsExactly(
            String.format(Locale.ROOT, "%-6s %7d %9d %14.4f", "1", 2, 5, 0.9),
            String.format(Locale.ROOT, "%-6s %7d %9d %14s", "2", 0, 0, "-"),
            String.format(Locale.ROOT, "%-6s %7d %9d %14.4f", "all", 2, 5, 0.9));
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  @Test
  void recommendersBlockHasTheProtocolsKeysNullsAndGroups() throws IOException {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("hr@10", 0.5);
    metrics.put("ild@10", Double.NaN);
    Map<String, Double> groupOne = new LinkedHashMap<>();
    groupOne.put("hr@10", 0.25);
    groupOne.put("mrr@10", 0.125);
    Map<String, Double> groupTwo = new LinkedHashMap<>();
    groupTwo.put("hr@10", Double.NaN);
    groupTwo.put("mrr@10", Double.NaN);
    RecommenderResult walks =
        new RecommenderResult(
            "walks",
            metrics,
            List.of(
                new RecommenderResult.Group(1, 3, 4, groupOne),
                new RecommenderResult.Group(2, 0, 0, groupTwo)));
    Map<String, RecommenderResult> recommenders = new LinkedHashMap<>();
    recommenders.put("walks", walks);
    Summary summary =
        new Summary(
            "hand",
            "leave-last-out",
            "hybrid",
            "interaction",
            10,
            3,
            5,
            2,
            0.5,
            Map.of(),
            List.of(),
            Map.of("seed", 1),
            recommenders);

    JsonNode block = roundTrip(summary).get("recommenders").get("walks");
    assertThat(block.get("hr@10").asDouble()).isEqualTo(0.5);
    assertThat(block.get("ild@10").isNull()).isTrue();
    assertThat(block.has("hr@20")).isFalse();
    JsonNode first = block.get("groups").get(0);
    assertThat(first.get("group").asInt()).isEqualTo(1);
    assertThat(first.get("users").asInt()).isEqualTo(3);
    assertThat(first.get("events").asInt()).isEqualTo(4);
    assertThat(first.get("mrr@10").asDouble()).isEqualTo(0.125);
    assertThat(block.get("groups").get(1).get("hr@10").isNull()).isTrue();

    String table = print(summary);
    assertThat(table).contains(String.format(Locale.ROOT, "%-16s %12.4f %12s", "walks", 0.5, "-"));
    assertThat(tableRows(table, "hr@10 by user group"))
        .containsExactly(
            String.format(Locale.ROOT, "%-6d %7d %9d %14.4f", 1, 3, 4, 0.25),
            String.format(Locale.ROOT, "%-6d %7d %9d %14s", 2, 0, 0, "-"));
  }

  private static String print(Summary summary) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.printTables(summary, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The body rows of the table under {@code title}: after the title and the header line. */
  private static List<String> tableRows(String text, String title) {
    List<String> lines = text.lines().toList();
    int at = -1;
    for (int k = 0; k < lines.size(); k++) {
      if (lines.get(k).startsWith(title)) {
        at = k;
        break;
      }
    }
    assertThat(at).as("table '%s' in%n%s", title, text).isNotNegative();
    assertThat(lines.get(at + 1)).startsWith("group");
    List<String> rows = new ArrayList<>();
    for (int k = at + 2; k < lines.size() && !lines.get(k).isBlank(); k++) {
      rows.add(lines.get(k));
    }
    return rows;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
