package io.personalize.it.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What a JVM of the cluster holds, read with the JDK's {@code jcmd}. */
final class HeapHistogram {
  private HeapHistogram() {}

  /**
   * The live instances of {@code className} in the JVM {@code pid}, counted after a full collection
   * ({@code GC.class_histogram} runs one first).
   */
  static long liveInstances(long pid, String className) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String histogram = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + histogram);
    }
    // Rows: "   866:             3            312  org.apache.flink.util.ChildFirstClassLoader"
    return histogram
        .lines()
        .map(String::trim)
        .map(line -> line.split("\\s+"))
        .filter(columns -> columns.length >= 4 && columns[3].equals(className))
        .mapToLong(columns -> Long.parseLong(columns[1]))
        .sum();
  }
}
