package io.personalize.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the cluster's programs are in a built checkout: the classpaths {@code mvn package} wrote
 * for the Flink and Kafka processes, and the job jar.
 */
public record Layout(Path root) {
  /** The system property naming the checkout's root directory ({@code bin/cluster} sets it). */
  public static final String ROOT_PROPERTY = "personalize.root";

  public static Layout fromSystemProperty() {
    String root = System.getProperty(ROOT_PROPERTY);
    if (root == null) {
      throw new IllegalStateException(
          "-D" + ROOT_PROPERTY + " must name the project's root directory (bin/cluster sets it)");
    }
    return new Layout(Path.of(root).toAbsolutePath().normalize());
  }

  /** What a Flink distribution's lib/ holds, plus the queryable-state runtime and the web UI. */
  public String flinkClasspath() {
    return classpath("flink-classpath.txt");
  }

  /** The Kafka broker's jars. */
  public String kafkaClasspath() {
    return classpath("kafka-classpath.txt");
  }

  /** The deployable job jar, {@code flink-jobs/target/personalize-flink-jobs-VERSION-job.jar}. */
  public Path jobJar() {
    Path target = root.resolve("flink-jobs").resolve("target");
    try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      List<Path> jars =
          files
              .filter(
                  p -> p.getFileName().toString().matches("personalize-flink-jobs-.*-job\\.jar"))
              .toList();
      if (jars.size() != 1) {
        throw new IllegalStateException(
            "expected one job jar in "
                + target
                + ", found "
                + jars.size()
                + ": build it with `mvn package -DskipTests -pl flink-jobs -am`");
      }
      return jars.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String classpath(String fileName) {
    Path file = root.resolve("cluster").resolve("target").resolve(fileName);
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException(
          file + " is missing: build with `mvn package -DskipTests -pl cluster -am`", e);
    }
  }
}
