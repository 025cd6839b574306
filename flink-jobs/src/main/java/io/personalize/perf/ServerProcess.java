package io.personalize.perf;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;

/**
 * The serving process as it is deployed: a JVM of its own ({@code ServeCommand}, this JVM's class
 * path), its settings as {@code -D} flags, stopped with SIGTERM (the server then answers the
 * requests in flight), its output in a log file. So the job's garbage collections and threads are
 * not the server's, and a restart is a process restart.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("^serving on (\\S+)");
  private static final long START_MILLIS = 60_000;

  private final Process process;
  private final URI address;

  private ServerProcess(Process process, URI address) {
    this.process = process;
    this.address = address;
  }

  /**
   * Starts the server with {@code settings} and waits until it says where it serves. {@code
   * javaOptions}: options of its JVM (a heap size, a flight recording), split at spaces.
   */
  static ServerProcess start(Configuration settings, String javaOptions, Path log)
      throws IOException {
    List<String> command = javaCommand(javaOptions, "io.personalize.serving.serve.ServeCommand");
    for (Map.Entry<String, String> setting : settings.toMap().entrySet()) {
      command.add("-D");
      command.add(setting.getKey() + "=" + setting.getValue());
    }
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      return new ServerProcess(process, awaitAddress(process, log));
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * The command line of a child JVM running {@code mainClass} on this JVM's class path, with {@code
   * javaOptions} split at spaces.
   */
  static List<String> javaCommand(String javaOptions, String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : javaOptions.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    return command;
  }

  private static URI awaitAddress(Process process, Path log) throws IOException {
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (true) {
      for (String line : Files.readAllLines(log)) {
        Matcher serving = SERVING.matcher(line);
        if (serving.find()) {
          return URI.create(serving.group(1));
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with " + process.exitValue() + " before serving: see " + log);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the server did not start in 60 s: see " + log);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the server started", e);
      }
    }
  }

  URI address() {
    return address;
  }

  /** SIGTERM, and waits for the exit (after 30 s, SIGKILL). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
