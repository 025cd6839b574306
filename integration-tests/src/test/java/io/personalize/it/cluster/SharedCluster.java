package io.personalize.it.cluster;

import io.personalize.cluster.ClusterSettings;
import io.personalize.cluster.Layout;
import io.personalize.cluster.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The one real cluster the test classes that use this extension share: started on first use in a
 * test JVM (about half a minute), stopped when the whole run ends, and by a shutdown hook if the
 * JVM is killed. Each scenario leaves it as it found it: its job cancelled, every TaskManager up.
 */
final class SharedCluster implements BeforeAllCallback, TestWatcher {
  static final Path HOME = Path.of("target", "real-cluster");
  private static final int LOG_LINES_ON_FAILURE = 15;
  private static LocalCluster cluster;

  /** The cluster, once a test class using the extension has started. */
  static LocalCluster get() {
    if (cluster == null) {
      throw new IllegalStateException(
          "annotate the test class with @ExtendWith(SharedCluster.class)");
    }
    return cluster;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(SharedCluster.class, key -> new Running(start()), Running.class);
  }

  /**
   * A failed scenario prints the last warnings and errors of each cluster process: CI keeps the
   * test output, not the cluster's logs.
   */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Path logs = HOME.resolve("logs");
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.sorted().toList()) {
        List<String> problems;
        try (Stream<String> lines = Files.lines(log)) {
          problems =
              lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
        }
        System.out.printf(
            "%s, last warnings and errors of %d:%n", log.getFileName(), problems.size());
        problems
            .subList(Math.max(0, problems.size() - LOG_LINES_ON_FAILURE), problems.size())
            .forEach(line -> System.out.println("  " + line));
      }
    } catch (IOException | UncheckedIOException e) {
      System.out.println("cannot read the cluster's logs in " + logs + ": " + e);
    }
  }

  private static LocalCluster start() {
    deleteRecursively(HOME);
    cluster =
        LocalCluster.start(
            Layout.fromSystemProperty(),
            ClusterSettings.defaults(HOME).withFreePorts(),
            System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
    return cluster;
  }

  /** Stops the cluster when JUnit closes the root context's store: the end of the run. */
  private record Running(LocalCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      cluster.stop();
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
