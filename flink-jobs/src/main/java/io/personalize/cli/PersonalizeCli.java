package io.personalize.cli;

import io.personalize.connectors.data.DataFormatException;
import io.personalize.serving.config.ManifestVersion;
import io.personalize.serving.config.ParameterErrors;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bin/personalize} command line: one subcommand per task. */
@Command(
    name = "personalize",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    description = {
      "Streaming personalization engine: evaluate models, run the job, replay data into Kafka.",
      "Also, on a classpath without the Flink runtime (so not listed below): `serve` (lists and"
          + " profiles over HTTP), `recommend` (a user's list from the server), `query` (a"
          + " user's state in the running job), `read` (a topic's records, dead letters among"
          + " them, as JSON lines) and `replay-dead-letters` (dead letters sent back to their"
          + " topic once their cause is fixed); each has --help."
    },
    subcommands = {
      EvaluateCommand.class,
      DemoCommand.class,
      ProduceCommand.class,
      RunCommand.class,
      BenchCommand.class,
      FloodCommand.class,
      ConfigurationDocs.class
    })
public final class PersonalizeCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PersonalizeCli());
    // A subcommand inherits no version: without this its -V printed nothing.
    cli.getSubcommands()
        .values()
        .forEach(sub -> sub.getCommandSpec().versionProvider(new ManifestVersion()));
    RunCommand.addSettingFlags(cli.getSubcommands().get("run"));
    EvaluateCommand.addSettingFlags(cli.getSubcommands().get("evaluate"));
    DemoCommand.addSettingFlags(cli.getSubcommands().get("demo"));
    BenchCommand.addSettingFlags(cli.getSubcommands().get("bench"));
    FloodCommand.addSettingFlags(cli.getSubcommands().get("flood"));
    ParameterErrors.shortOnes(cli, "bin/");
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          // Input problems (a bad file, a bad option value) are the user's to fix: say what and
          // where in one line instead of a stack trace.
          if (ex instanceof IllegalArgumentException
              || ex instanceof UncheckedIOException
              || ex instanceof DataFormatException) {
            commandLine.getErr().println("personalize: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
