package io.personalize.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The job jar's entry point: {@code flink run personalize-flink-jobs-VERSION-job.jar [flags]} takes
 * the flags of {@code bin/personalize run} (every job setting, {@code -D}, {@code --config-file}),
 * and the cluster's own configuration supplies {@code personalize.*} keys too.
 */
public final class JobMain {
  private static final Logger LOG = LoggerFactory.getLogger(JobMain.class);

  private JobMain() {}

  public static void main(String[] args) {
    CommandLine run = new CommandLine(new RunCommand());
    RunCommand.addSettingFlags(run);
    StringWriter errors = new StringWriter();
    run.setErr(new PrintWriter(errors, true));
    // One line, not a stack trace: it becomes the submission's error message, which `flink run`
    // prints and the REST API answers; the JobManager's log keeps the trace.
    run.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          LOG.error("the job was not submitted", e);
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println(e.getMessage());
            return 2;
          }
          Throwable innermost = e;
          while (innermost.getCause() != null) {
            innermost = innermost.getCause();
          }
          commandLine
              .getErr()
              .println(innermost == e ? e.toString() : e + " (caused by " + innermost + ")");
          return 1;
        });
    int exitCode = run.execute(args);
    // No System.exit: under `flink run` or the REST API the main method runs inside the client or
    // the JobManager, which must stay up. A failure becomes the submission's error, with the
    // reason (a REST client sees only that, not this process's standard error).
    if (exitCode != 0) {
      throw new IllegalArgumentException(
          "the job was not submitted (exit code " + exitCode + "): " + errors.toString().trim());
    }
  }
}
