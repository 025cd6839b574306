package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's flame graphs, from the real profiler on this JVM. */
class FlameGraphsTest {
  @Test
  void aProfiledRunWritesItsPageAndItsStacksWithTheMethodThatBurnedTheTime(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    FlameGraphs flameGraphs =
        FlameGraphs.into(dir, FlameGraphs.Event.CPU, new PrintStream(console, true));

    double result = flameGraphs.profile("busy loop p1", FlameGraphsTest::burnCpu);

    assertThat(result).isPositive();
    Path page = dir.resolve("busy-loop-p1.html");
    Path stacks = dir.resolve("busy-loop-p1.collapsed");
    assertThat(Files.readString(page)).contains("<canvas").contains("burnCpu");
    assertThat(Files.readAllLines(stacks))
        .as("one stack per line, ending in its sample count")
        .isNotEmpty()
        .allMatch(line -> line.matches(".+ \\d+"))
        .anyMatch(line -> line.contains("FlameGraphsTest.burnCpu"));
    assertThat(console.toString()).contains("busy-loop-p1.html");
  }

  @Test
  void wallClockSamplesGoToPagesOfTheirOwnAndShowAThreadThatWaits(@TempDir Path dir)
      throws Exception {
    FlameGraphs flameGraphs =
        FlameGraphs.into(
            dir, FlameGraphs.Event.WALL, new PrintStream(OutputStream.nullOutputStream()));

    // The profiler takes wall-clock samples of eight threads per tick, in turn, among every thread
    // of this JVM, the suite's earlier tests' too: in two clean-clone runs of the suite the waiting
    // thread got no sample (half a second, then two). Each run writes the pages again; up to three.
    for (int run = 0; run < 3; run++) {
      flameGraphs.profile("waiting run", FlameGraphsTest::waitForAWorker);
      if (Files.readString(dir.resolve("waiting-run-wall.collapsed")).contains("waitForAWorker")) {
        break;
      }
    }

    assertThat(Files.readString(dir.resolve("waiting-run-wall.html"))).contains("waitForAWorker");
    assertThat(Files.readString(dir.resolve("waiting-run-wall.collapsed")))
        .contains("FlameGraphsTest.waitForAWorker");
  }

  @Test
  void anEventIsNamedAsTheFlagTakesIt() {
    assertThat(FlameGraphs.Event.named("wall")).isEqualTo(FlameGraphs.Event.WALL);
    assertThat(FlameGraphs.Event.named(" CPU ")).isEqualTo(FlameGraphs.Event.CPU);
    assertThatThrownBy(() -> FlameGraphs.Event.named("alloc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cpu (the default) or wall");
  }

  @Test
  void offRunsTheWorkUnprofiled(@TempDir Path dir) throws Exception {
    assertThat(FlameGraphs.off().profile("anything", () -> 42)).isEqualTo(42);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aRunsNameBecomesAFileName() {
    assertThat(FlameGraphs.fileName("job without recommendations p2 json"))
        .isEqualTo("job-without-recommendations-p2-json");
    assertThat(FlameGraphs.fileName("Compute loop (1 core)")).isEqualTo("compute-loop-1-core");
  }

  @Test
  void libraryDirectoriesAreLeftOutOfTheStacks() {
    assertThat(
            FlameGraphs.collapsedWithoutDirectories(
                "[main tid=1];/var/cluster_ab/tm_0/librocksdbjni-linux64.so;rocksdb::Get 3\n"
                    + "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30;io/personalize/A.b 2\n"))
        .isEqualTo(
            "[main tid=1];librocksdbjni-linux64.so;rocksdb::Get 3\n"
                + "libstdc++.so.6.0.30;io/personalize/A.b 2\n");
  }

  /**
   * The page's frame names share prefixes with the name before them: cleaning one changes how the
   * next is stored. Decoded the way the page's own script does, the cleaned page has the same names
   * with the directories left out.
   */
  @Test
  void libraryDirectoriesAreLeftOutOfThePageAndItsOtherNamesStayTheSame() {
    List<String> names =
        List.of(
            "all",
            "/var/cluster_ab/tm_0/librocksdbjni-linux64.so",
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
            "/usr/lib/x86_64-linux-gnu/libz.so",
            "Arena::contains",
            "Arena::grow",
            "it's a \\ name",
            "it's another");
    String page = "<html>\n<script>\nconst cpool = [\n" + encode(names) + "\n];\nunpack(cpool);\n";

    String cleaned = FlameGraphs.pageWithoutDirectories(page);

    assertThat(decode(page)).isEqualTo(names);
    assertThat(decode(cleaned))
        .containsExactly(
            "all",
            "librocksdbjni-linux64.so",
            "libstdc++.so.6.0.30",
            "libz.so",
            "Arena::contains",
            "Arena::grow",
            "it's a \\ name",
            "it's another");
    assertThat(cleaned).startsWith("<html>\n<script>\n").endsWith("\n];\nunpack(cpool);\n");
  }

  /** async-profiler's encoding: the first name whole, then (32 + shared length) and the rest. */
  private static String encode(List<String> names) {
    StringBuilder out = new StringBuilder();
    String previous = null;
    for (String name : names) {
      int shared = 0;
      while (previous != null
          && shared < Math.min(previous.length(), name.length())
          && previous.charAt(shared) == name.charAt(shared)) {
        shared++;
      }
      String stored = previous == null ? name : (char) (32 + shared) + name.substring(shared);
      out.append(out.length() == 0 ? "" : ",\n")
          .append('\'')
          .append(stored.replace("\\", "\\\\").replace("'", "\\'"))
          .append('\'');
      previous = name;
    }
    return out.toString();
  }

  /** The page script's unpack(), on the quoted names between "const cpool = [" and "];". */
  private static List<String> decode(String page) {
    String block = page.substring(page.indexOf("const cpool = [\n") + 16, page.indexOf("\n];"));
    List<String> names = new ArrayList<>();
    for (String line : block.split(",\n")) {
      String stored = line.substring(1, line.length() - 1).replaceAll("\\\\(.)", "$1");
      names.add(
          names.isEmpty()
              ? stored
              : names.get(names.size() - 1).substring(0, stored.charAt(0) - 32)
                  + stored.substring(1));
    }
    return names;
  }

  /**
   * Waits, off the CPU, for a worker that burns about half a second: only wall-clock samples see
   * the waiting thread.
   */
  private static double waitForAWorker() throws Exception {
    CompletableFuture<Double> worker = CompletableFuture.supplyAsync(FlameGraphsTest::burnCpu);
    return worker.get(30, TimeUnit.SECONDS);
  }

  /**
   * Two seconds of one core, in a method of its own that the samples must name. Half a second left
   * the waiting thread without one wall-clock sample in one clean-clone run of the suite (the
   * profiler samples a waiting thread less often than a running one).
   */
  private static double burnCpu() {
    long end = System.nanoTime() + 2_000_000_000L;
    double x = 0;
    while (System.nanoTime() < end) {
      for (int i = 1; i < 10_000; i++) {
        x += Math.sqrt(i);
      }
    }
    return x;
  }
}
