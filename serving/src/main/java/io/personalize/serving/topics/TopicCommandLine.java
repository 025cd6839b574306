package io.personalize.serving.topics;

import io.personalize.serving.config.ParameterErrors;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How the topic commands run: a mistyped flag is a short error, a failure one line with the
 * command's name and exit code 2, and Kafka's clients say only their errors (at INFO they log their
 * whole configuration).
 */
final class TopicCommandLine {
  private TopicCommandLine() {}

  /** The command line of {@code command}, whose failures start with {@code name}. */
  static CommandLine of(Object command, String name) {
    CommandLine cli = new CommandLine(command);
    ParameterErrors.shortOnes(cli, "bin/personalize ");
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println(name + ": " + (e.getMessage() == null ? e : e.getMessage()));
          return 2;
        });
    return cli;
  }

  /** Runs {@code cli} on {@code args}; returns its exit code. */
  static int run(CommandLine cli, PrintWriter out, PrintWriter err, String... args) {
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Runs {@code cli} as a process's main: quiet Kafka clients, the exit code the process's. */
  static void main(CommandLine cli, String... args) {
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }
    System.exit(
        run(cli, new PrintWriter(System.out, false), new PrintWriter(System.err, true), args));
  }
}
