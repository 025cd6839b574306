package io.personalize.perf;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import one.profiler.AsyncProfiler;

/**
 * Flame graphs of the benchmark's runs ({@code bench --flame-graphs}): async-profiler samples the
 * whole JVM while one run lasts, the in-process cluster's task threads (named after their
 * operators, so each operator is a tower of its own) as well as the broker's and the benchmark's,
 * and writes one self-contained HTML page per run. Its Maven artifact bundles the native library
 * for Linux (x64, arm64) and macOS, so nothing is installed. CPU samples come from perf events
 * where the kernel allows them, otherwise from a CPU-time timer: the profiler picks. Wall-clock
 * samples show where a thread spends its time on the CPU or off it (waiting for a lock, for I/O,
 * for the CPU itself on a busy machine): what a task Flink counts as busy does when it is not
 * computing.
 */
public final class FlameGraphs {
  /**
   * Frames narrower than this share of the samples (percent) are left out: the page stays small.
   */
  private static final double MIN_WIDTH_PERCENT = 0.1;

  /**
   * A native library's frame names the file it was loaded from: an absolute path of this machine
   * (RocksDB's library sits in a temporary directory of the cluster's). The pages keep the file's
   * name only, so they can be shared; {@code /dir/sub/librocksdbjni-linux64.so} becomes {@code
   * librocksdbjni-linux64.so}.
   */
  private static final Pattern LIBRARY_DIRECTORIES =
      Pattern.compile("(^|;)/(?:[^/;\n]+/)+([^/;\n]+\\.so[^/;\n]*)", Pattern.MULTILINE);

  /** What a sample counts. */
  public enum Event {
    /** Time on a CPU. */
    CPU("cpu"),
    /** Time, on a CPU or not: every thread is sampled, also while it waits. */
    WALL("wall");

    private final String label;

    Event(String label) {
      this.label = label;
    }

    /** {@code cpu} or {@code wall}, as {@code --flame-graphs} takes it. */
    public static Event named(String label) {
      for (Event event : values()) {
        if (event.label.equalsIgnoreCase(label.strip())) {
          return event;
        }
      }
      throw new IllegalArgumentException(
          "--flame-graphs takes cpu (the default) or wall, not '" + label + "'");
    }
  }

  private final AsyncProfiler profiler;
  private final Event event;
  private final Path dir;
  private final PrintStream out;

  private FlameGraphs(AsyncProfiler profiler, Event event, Path dir, PrintStream out) {
    this.profiler = profiler;
    this.event = event;
    this.dir = dir;
    this.out = out;
  }

  /** Runs are not profiled. */
  public static FlameGraphs off() {
    return new FlameGraphs(null, null, null, null);
  }

  /**
   * Profiles every run into {@code dir}, one page per run; fails at once, before any run, where the
   * profiler cannot load.
   */
  public static FlameGraphs into(Path dir, Event event, PrintStream out) throws Exception {
    AsyncProfiler profiler;
    try {
      profiler = AsyncProfiler.getInstance();
      profiler.getVersion();
    } catch (Throwable e) { // UnsatisfiedLinkError on a platform the artifact has no library for
      throw new IllegalStateException(
          "--flame-graphs needs async-profiler's native library, which did not load on "
              + System.getProperty("os.name")
              + " "
              + System.getProperty("os.arch")
              + ": "
              + e,
          e);
    }
    Files.createDirectories(dir);
    return new FlameGraphs(profiler, event, dir, out);
  }

  /** Runs {@code work}, profiled as {@code run} when flame graphs are on. */
  public <T> T profile(String run, Callable<T> work) throws Exception {
    if (profiler == null) {
      return work.call();
    }
    profiler.execute("start,event=" + event.label + ",interval=10ms,threads");
    try {
      return work.call();
    } finally {
      // job-p2.html, or job-p2-wall.html for wall-clock samples
      String name = fileName(run) + (event == Event.CPU ? "" : "-" + event.label);
      Path page = dir.resolve(name + ".html");
      Path stacks = dir.resolve(name + ".collapsed");
      // The same samples as text, one stack per line with its count: greppable, and the input of
      // other flame graph tools.
      profiler.execute("dump,collapsed,file=" + stacks.toAbsolutePath());
      profiler.execute(
          String.format(
              Locale.ROOT,
              "stop,file=%s,title=%s,minwidth=%s",
              page.toAbsolutePath(),
              run.replace(',', ' ') + (event == Event.CPU ? "" : " (wall clock)"),
              MIN_WIDTH_PERCENT));
      Files.writeString(stacks, collapsedWithoutDirectories(Files.readString(stacks)));
      Files.writeString(page, pageWithoutDirectories(Files.readString(page)));
      out.println("  flame graph: " + page + " (and .collapsed)");
    }
  }

  static String collapsedWithoutDirectories(String stacks) {
    return LIBRARY_DIRECTORIES.matcher(stacks).replaceAll("$1$2");
  }

  /**
   * The same in async-profiler's page, whose frame names ({@code const cpool = [...]}, one quoted
   * name a line) are stored as a prefix shared with the name before (its length: the first
   * character's code minus 32) and the rest: decoded, cleaned and encoded again.
   */
  static String pageWithoutDirectories(String page) {
    int start = page.indexOf("const cpool = [\n");
    int end = start < 0 ? -1 : page.indexOf("\n];", start);
    if (end < 0) {
      throw new IllegalStateException("no frame names (const cpool) in async-profiler's page");
    }
    String[] lines = page.substring(start, end).split("\n", -1);
    StringBuilder names = new StringBuilder(lines[0]);
    String previous = ""; // as the page has it: the next name is decoded from it
    String previousCleaned = ""; // as written: the next name is encoded against it
    for (int n = 1; n < lines.length; n++) {
      boolean comma = lines[n].endsWith(",");
      String encoded = unquote(comma ? lines[n].substring(0, lines[n].length() - 1) : lines[n]);
      String name =
          n == 1 ? encoded : previous.substring(0, encoded.charAt(0) - 32) + encoded.substring(1);
      String cleaned = collapsedWithoutDirectories(name);
      int shared = sharedPrefix(previousCleaned, cleaned);
      String stored = n == 1 ? cleaned : (char) (32 + shared) + cleaned.substring(shared);
      names.append('\n').append(quote(stored)).append(comma ? "," : "");
      previous = name;
      previousCleaned = cleaned;
    }
    return page.substring(0, start) + names + page.substring(end);
  }

  private static int sharedPrefix(String a, String b) {
    int max = Math.min(Math.min(a.length(), b.length()), Character.MIN_SURROGATE - 33);
    int n = 0;
    while (n < max && a.charAt(n) == b.charAt(n)) {
      n++;
    }
    return n;
  }

  /** A single-quoted JavaScript string as async-profiler writes it: only \ and ' escaped. */
  private static String unquote(String literal) {
    if (literal.length() < 2 || literal.charAt(0) != '\'' || !literal.endsWith("'")) {
      throw new IllegalStateException(
          "not a quoted frame name in async-profiler's page: " + literal);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      text.append(c == '\\' ? literal.charAt(++i) : c);
    }
    return text.toString();
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code "job without recommendations p2"} -> {@code job-without-recommendations-p2}. */
  static String fileName(String run) {
    return run.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }
}
