package io.personalize.it.cluster;

import io.personalize.cluster.Layout;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/personalize} commands as processes of their own, on the classpaths {@code
 * bin/personalize} gives them (written by the build), with standard output and error appended to a
 * log file: {@code produce} with the job's command line and Flink, {@code serve} on the serving
 * module's classpath without the Flink runtime.
 */
final class PersonalizeCommands {
  private final Path root;

  PersonalizeCommands(Layout layout) {
    this.root = layout.root();
  }

  /** {@code bin/personalize produce args}, its libraries logging at INFO as {@code log4j2} says. */
  Process produce(List<String> args, Path log4j, Path log) {
    Path target = root.resolve("flink-jobs").resolve("target");
    List<String> classpath = new ArrayList<>();
    classpath.add(jar(target, "personalize-flink-jobs-[0-9][^-]*(-SNAPSHOT)?\\.jar").toString());
    classpath.add(read(target.resolve("cli-classpath.txt")));
    classpath.add(read(target.resolve("provided-classpath.txt")));
    List<String> command = java("-Xmx512m", "-Dlog4j2.configurationFile=" + log4j);
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath)));
    command.addAll(List.of("io.personalize.cli.PersonalizeCli", "produce"));
    command.addAll(args);
    return start(command, log);
  }

  /** {@code bin/personalize serve args}, Kafka's clients logging at INFO (by default: errors). */
  Process serve(List<String> args, Path log) {
    Path target = root.resolve("serving").resolve("target");
    String classpath =
        jar(target, "personalize-serving-[0-9][^-]*(-SNAPSHOT)?\\.jar")
            + File.pathSeparator
            + read(target.resolve("client-classpath.txt"));
    List<String> command = java("-Xmx256m", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info");
    command.addAll(List.of("-cp", classpath, "io.personalize.serving.serve.ServeCommand"));
    command.addAll(args);
    return start(command, log);
  }

  private static List<String> java(String... options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(options));
    return command;
  }

  private static Process start(List<String> command, Path log) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path jar(Path target, String pattern) {
    try (Stream<Path> files = Files.list(target)) {
      List<Path> jars =
          files.filter(p -> p.getFileName().toString().matches(pattern)).sorted().toList();
      if (jars.size() != 1) {
        throw new IllegalStateException(
            "expected one jar " + pattern + " in " + target + ", found " + jars);
      }
      return jars.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path classpathFile) {
    try {
      return Files.readString(classpathFile).trim();
    } catch (IOException e) {
      throw new IllegalStateException(classpathFile + " is missing: build with mvn package", e);
    }
  }
}
