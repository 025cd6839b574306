package io.personalize.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * What a flood showed: the samples, and how memory and state grew per user over the first and the
 * second half of the flood (growth that goes on in the second half, once the flood spans more than
 * the idle expiry, is what is not bounded by it).
 *
 * @param idleExpiry the job's {@code users.idle-expiry}
 * @param recommend whether the recommendation path ran
 */
public record FloodReport(
    FloodSettings settings,
    Duration idleExpiry,
    boolean recommend,
    List<FloodSample> samples,
    Instant finished) {
  private static final double MB = 1024 * 1024;

  /** Growth per user of {@code measure} between two samples (bytes per user). */
  private double perUser(FloodSample from, FloodSample to, long fromValue, long toValue) {
    long users = to.applied() - from.applied();
    return users <= 0 ? 0 : (toValue - fromValue) / (double) users;
  }

  private FloodSample middle() {
    return samples.get((samples.size() - 1) / 2);
  }

  private FloodSample first() {
    return samples.get(0);
  }

  private FloodSample last() {
    return samples.get(samples.size() - 1);
  }

  /** The users the idle expiry keeps at most once the flood spans it: expiry over spacing. */
  public long usersPerExpiryWindow() {
    return Math.max(1, idleExpiry.toMillis() / settings.spacing().toMillis());
  }

  public void print(PrintStream out) {
    out.println();
    out.printf(
        "flood: %,d one-event users, %,d items, spacing %s (span %s), idle expiry %s (%,d users a"
            + " window), parallelism %d, recommendations %s%n",
        settings.users(),
        settings.items(),
        settings.spacing(),
        settings.span(),
        idleExpiry,
        usersPerExpiryWindow(),
        settings.parallelism(),
        recommend ? "on" : "off");
    out.printf(
        "%12s %8s %12s %10s %10s %12s %12s %12s %12s %12s%n",
        "applied",
        "s",
        "live users",
        "heap MB",
        "RSS MB",
        "checkpt MB",
        "RocksDB keys",
        "timer keys",
        "coord users",
        "global users");
    for (FloodSample s : samples) {
      out.printf(
          "%,12d %8.1f %,12d %10.1f %10.1f %12.1f %,12d %,12d %,12d %,12d%n",
          s.applied(),
          s.seconds(),
          s.liveUsers(),
          s.heapBytes() / MB,
          s.rssBytes() / MB,
          s.checkpointBytes() / MB,
          s.rocksDbKeys(),
          s.rocksDbTimerKeys(),
          s.usersCounted(),
          s.globalUsers());
    }
    FloodSample a = first();
    FloodSample m = middle();
    FloodSample z = last();
    out.println("growth per user (bytes), first half / second half of the flood:");
    out.printf(
        "  heap %,.0f / %,.0f; checkpoint %,.0f / %,.0f; RSS %,.0f / %,.0f%n",
        perUser(a, m, a.heapBytes(), m.heapBytes()),
        perUser(m, z, m.heapBytes(), z.heapBytes()),
        perUser(a, m, a.checkpointBytes(), m.checkpointBytes()),
        perUser(m, z, m.checkpointBytes(), z.checkpointBytes()),
        perUser(a, m, a.rssBytes(), m.rssBytes()),
        perUser(m, z, m.rssBytes(), z.rssBytes()));
    out.println("state at the end by task (bytes):");
    z.stateBytes().forEach((task, bytes) -> out.printf("  %,14d  %s%n", bytes, task));
  }

  /** Writes {@code dir/flood.json}. */
  public Path writeJson(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("users", settings.users());
    root.put("items", settings.items());
    root.put("zipfExponent", settings.exponent());
    root.put("seed", settings.seed());
    root.put("spacingMillis", settings.spacing().toMillis());
    root.put("spanMillis", settings.span().toMillis());
    root.put("idleExpiryMillis", idleExpiry.toMillis());
    root.put("usersPerExpiryWindow", usersPerExpiryWindow());
    root.put("parallelism", settings.parallelism());
    root.put("recommendations", recommend);
    root.put("finished", finished.toString());
    root.set("samples", json.valueToTree(samples));
    ObjectNode growth = root.putObject("bytesPerUser");
    FloodSample a = first();
    FloodSample m = middle();
    FloodSample z = last();
    growth.put("heapFirstHalf", perUser(a, m, a.heapBytes(), m.heapBytes()));
    growth.put("heapSecondHalf", perUser(m, z, m.heapBytes(), z.heapBytes()));
    growth.put("checkpointFirstHalf", perUser(a, m, a.checkpointBytes(), m.checkpointBytes()));
    growth.put("checkpointSecondHalf", perUser(m, z, m.checkpointBytes(), z.checkpointBytes()));
    growth.put("rssFirstHalf", perUser(a, m, a.rssBytes(), m.rssBytes()));
    growth.put("rssSecondHalf", perUser(m, z, m.rssBytes(), z.rssBytes()));
    Files.createDirectories(dir);
    Path file = dir.resolve("flood.json");
    json.writeValue(file.toFile(), root);
    return file;
  }

  /** Writes {@code dir/flood.png}: heap, RSS and checkpoint size against users flooded in. */
  public Path writeChart(Path dir) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(520)
            .title(
                String.format(
                    "personalize flood: %,d one-event users, idle expiry %s, recommendations %s",
                    settings.users(), idleExpiry, recommend ? "on" : "off"))
            .xAxisTitle("users (events) applied")
            .yAxisTitle("MB")
            .build();
    double[] x = samples.stream().mapToDouble(FloodSample::applied).toArray();
    chart.addSeries(
        "heap after GC", x, samples.stream().mapToDouble(s -> s.heapBytes() / MB).toArray());
    chart.addSeries("RSS", x, samples.stream().mapToDouble(s -> s.rssBytes() / MB).toArray());
    chart.addSeries(
        "checkpoint (full size)",
        x,
        samples.stream().mapToDouble(s -> s.checkpointBytes() / MB).toArray());
    Files.createDirectories(dir);
    Path file = dir.resolve("flood.png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
