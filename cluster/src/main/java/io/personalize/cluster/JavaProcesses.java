package io.personalize.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts, runs and stops the JVMs of the cluster; each is found again later by its process id. */
final class JavaProcesses {
  private JavaProcesses() {}

  /** The java launcher of the JVM running this code, so every process runs the same Java. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> command(
      List<String> jvmArgs, String classpath, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * Starts a process that outlives this JVM, its output appended to {@code log}, and returns its
   * process id.
   */
  static long start(List<String> command, Path log) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      return process.pid();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(command.size() - 1), e);
    }
  }

  /**
   * Runs a short-lived program to its end and returns what it printed; fails on a non-zero exit.
   */
  static String run(List<String> command, Duration timeout) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", tail(command)));
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", tail(command))
                + " exited with "
                + process.exitValue()
                + ":\n"
                + withoutStackFrames(text));
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A program's output without the frames of its stack traces: the messages and their causes are
   * what a user can act on (Flink's memory check printed 40 lines for one wrong size).
   */
  static String withoutStackFrames(String output) {
    return output
        .lines()
        .filter(line -> !line.startsWith("\tat ") && !line.matches("\\s*\\.\\.\\. \\d+ more"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** SIGTERM, then SIGKILL if the process has not ended after {@code grace}. */
  static void stop(long pid, Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return;
    }
    handle.get().destroy();
    try {
      handle.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      kill(pid);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL ({@code kill -9}): the process gets no chance to clean up, as in a machine failure. */
  static void kill(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            handle -> {
              handle.destroyForcibly();
              handle.onExit().join();
            });
  }

  /** The main class and arguments, for messages: the classpath is too long to print. */
  private static List<String> tail(List<String> command) {
    int main = command.indexOf("-cp") + 2;
    return command.subList(Math.min(main, command.size()), command.size());
  }
}
