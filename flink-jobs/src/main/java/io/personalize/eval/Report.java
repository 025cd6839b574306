package io.personalize.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Writes a {@link Summary}: tables for the terminal, summary.json, and a per-group chart. */
public final class Report {
  /** The metrics shown, in order; a metric no mode produced is left out. */
  static final Map<String, Function<Metrics, Double>> METRICS = metricColumns();

  private Report() {}

  private static Map<String, Function<Metrics, Double>> metricColumns() {
    Map<String, Function<Metrics, Double>> columns = new java.util.LinkedHashMap<>();
    columns.put("RMSE", Metrics::rmse);
    columns.put("MAE", Metrics::mae);
    columns.put("log loss", Metrics::logloss);
    columns.put("AUC (all events)", Metrics::auc);
    columns.put("AUC (per user)", Metrics::userAuc);
    columns.put("MAP", Metrics::map);
    columns.put("MRR", Metrics::mrr);
    columns.put("nDCG", Metrics::ndcg);
    return columns;
  }

  public static void printTables(Summary summary, PrintStream out) {
    // With no mode scored (a click stream in the job, which learns ratings) there is no model to
    // name: only the lists were scored.
    String scored =
        summary.modes().isEmpty()
            ? "lists only (no rating scored)"
            : summary.model() + " model (" + summary.target() + " target)";
    out.printf(
        Locale.ROOT,
        "%s, %s protocol, %s: %,d events, %,d users, %,d items, %.1f s%n",
        summary.dataset(),
        summary.protocol(),
        scored,
        summary.events(),
        summary.users(),
        summary.items(),
        summary.seconds());
    printRecommenders(summary, out);
    List<ModeResult> modes = new ArrayList<>(summary.modes().values());
    if (modes.isEmpty()) {
      return;
    }
    List<Metrics> reference = modes.get(0).groups();
    for (Map.Entry<String, Function<Metrics, Double>> metric : METRICS.entrySet()) {
      Function<Metrics, Double> value = metric.getValue();
      if (modes.stream().allMatch(m -> value.apply(m.overall()) == null)) {
        continue;
      }
      out.printf(
          Locale.ROOT,
          "%n%s by user group (1 = least data .. %d = most)%n",
          metric.getKey(),
          summary.groups());
      StringBuilder header =
          new StringBuilder(String.format(Locale.ROOT, "%-6s %7s %9s", "group", "users", "events"));
      for (ModeResult mode : modes) {
        header.append(String.format(Locale.ROOT, " %14s", mode.mode()));
      }
      out.println(header);
      for (int g = 0; g <= reference.size(); g++) {
        Metrics ref = g < reference.size() ? reference.get(g) : modes.get(0).overall();
        StringBuilder row =
            new StringBuilder(
                String.format(
                    Locale.ROOT,
                    "%-6s %7d %9d",
                    g < reference.size() ? String.valueOf(ref.group()) : "all",
                    ref.users(),
                    ref.events()));
        for (ModeResult mode : modes) {
          Metrics m = g < reference.size() ? mode.groups().get(g) : mode.overall();
          Double v = value.apply(m);
          row.append(
              v == null
                  ? String.format(Locale.ROOT, " %14s", "-")
                  : String.format(Locale.ROOT, " %14.4f", v));
        }
        out.println(row);
      }
    }
    if (!summary.adaptiveSelection().isEmpty()) {
      out.println();
      out.println("adaptive: setting chosen per group");
      summary.adaptiveSelection().forEach(line -> out.println("  " + line));
    }
    Object learned = summary.settings().get("learned");
    if (learned != null) {
      out.println();
      out.println(
          (Protocol.parse(summary.protocol()).isStream()
                  ? "global model learned from the stream: "
                  : "global model chosen on the validation folds: ")
              + learned);
    }
  }

  /** The top-N protocols' table: a row per recommender, then the main hit rate per user group. */
  static void printRecommenders(Summary summary, PrintStream out) {
    if (summary.recommenders().isEmpty()) {
      return;
    }
    List<RecommenderResult> results = new ArrayList<>(summary.recommenders().values());
    List<String> keys = new ArrayList<>(results.get(0).metrics().keySet());
    out.println();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-16s", "recommender"));
    keys.forEach(k -> header.append(String.format(Locale.ROOT, " %12s", k)));
    out.println(header);
    for (RecommenderResult r : results) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-16s", r.recommender()));
      for (String k : keys) {
        row.append(number(r.metrics().get(k)));
      }
      out.println(row);
    }
    List<String> groupKeys = new ArrayList<>(results.get(0).groups().get(0).metrics().keySet());
    for (String key : groupKeys) {
      out.printf(
          Locale.ROOT, "%n%s by user group (1 = least data .. %d = most)%n", key, summary.groups());
      StringBuilder groupHeader =
          new StringBuilder(String.format(Locale.ROOT, "%-6s %7s %9s", "group", "users", "lists"));
      results.forEach(
          r -> groupHeader.append(String.format(Locale.ROOT, " %14s", r.recommender())));
      out.println(groupHeader);
      RecommenderResult first = results.get(0);
      for (int g = 0; g < first.groups().size(); g++) {
        RecommenderResult.Group ref = first.groups().get(g);
        StringBuilder row =
            new StringBuilder(
                String.format(Locale.ROOT, "%-6d %7d %9d", ref.group(), ref.users(), ref.events()));
        for (RecommenderResult r : results) {
          Double v = r.groups().get(g).metrics().get(key);
          row.append(
              v == null || v.isNaN()
                  ? String.format(Locale.ROOT, " %14s", "-")
                  : String.format(Locale.ROOT, " %14.4f", v));
        }
        out.println(row);
      }
    }
  }

  private static String number(Double v) {
    return v == null || v.isNaN()
        ? String.format(Locale.ROOT, " %12s", "-")
        : String.format(Locale.ROOT, " %12.4f", v);
  }

  public static Path writeJson(Summary summary, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("summary.json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), jsonTree(summary));
    return file;
  }

  /**
   * The summary as summary.json lays it out: each mode's overall metrics sit directly under the
   * mode's name, beside its "groups" list.
   */
  static Map<String, Object> jsonTree(Summary summary) {
    Map<String, Object> root = new java.util.LinkedHashMap<>();
    root.put("dataset", summary.dataset());
    root.put("protocol", summary.protocol());
    root.put("model", summary.model());
    root.put("target", summary.target());
    root.put("events", summary.events());
    root.put("users", summary.users());
    root.put("items", summary.items());
    root.put("groups", summary.groups());
    root.put("seconds", summary.seconds());
    Map<String, Object> modes = new java.util.LinkedHashMap<>();
    for (ModeResult mode : summary.modes().values()) {
      Map<String, Object> entry = metricFields(mode.overall());
      List<Map<String, Object>> groups = new ArrayList<>();
      for (Metrics group : mode.groups()) {
        Map<String, Object> g = new java.util.LinkedHashMap<>();
        g.put("group", group.group());
        g.put("users", group.users());
        g.put("events", group.events());
        g.putAll(metricFields(group));
        groups.add(g);
      }
      entry.put("users", mode.overall().users());
      entry.put("events", mode.overall().events());
      entry.put("groups", groups);
      modes.put(mode.mode(), entry);
    }
    root.put("modes", modes);
    root.put("adaptiveSelection", summary.adaptiveSelection());
    root.put("settings", summary.settings());
    if (!summary.recommenders().isEmpty()) {
      Map<String, Object> recommenders = new java.util.LinkedHashMap<>();
      for (RecommenderResult r : summary.recommenders().values()) {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        r.metrics().forEach((k, v) -> entry.put(k, v == null || v.isNaN() ? null : v));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (RecommenderResult.Group group : r.groups()) {
          Map<String, Object> g = new java.util.LinkedHashMap<>();
          g.put("group", group.group());
          g.put("users", group.users());
          g.put("events", group.events());
          group.metrics().forEach((k, v) -> g.put(k, v == null || v.isNaN() ? null : v));
          groups.add(g);
        }
        entry.put("groups", groups);
        recommenders.put(r.recommender(), entry);
      }
      root.put("recommenders", recommenders);
    }
    return root;
  }

  private static Map<String, Object> metricFields(Metrics m) {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("rmse", m.rmse());
    fields.put("mae", m.mae());
    fields.put("logloss", m.logloss());
    fields.put("auc", m.auc());
    fields.put("userAuc", m.userAuc());
    fields.put("map", m.map());
    fields.put("mrr", m.mrr());
    fields.put("ndcg", m.ndcg());
    return fields;
  }
}
