package io.personalize.cli;

import picocli.CommandLine;

/**
 * The job jar's entry point: {@code flink run personalize-flink-jobs-VERSION-job.jar [flags]}
 * takes the flags of {@code bin/personalize run} (every job setting, {@code -D}, {@code
 * --config-file}), and the cluster's own configuration supplies {@code personalize.*} keys too.
 */
public final class JobMain {
  private JobMain() {}

  public static void main(String[] args) {
    CommandLine run = new CommandLine(new RunCommand());
    RunCommand.addSettingFlags(run);
    int exitCode = run.execute(args);
    // No System.exit: under `flink run` or the REST API the main method runs inside the client or
    // the JobManager, which must stay up; a failure is reported as the submission's exception.
    if (exitCode != 0) {
      throw new IllegalArgumentException(
          "the job was not submitted (exit code " + exitCode + "): see the message above");
    }
  }
}
