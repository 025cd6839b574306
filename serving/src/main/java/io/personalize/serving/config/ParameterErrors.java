package io.personalize.serving.config;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the command lines answer a malformed command (an unknown or mistyped flag, a missing or
 * malformed value): the error, picocli's suggestions of the flags meant, and where the usage is;
 * exit code 2. Picocli's default also printed the whole usage, some 300 lines for the job's
 * commands, with the error above them out of sight.
 */
public final class ParameterErrors {
  private ParameterErrors() {}

  /**
   * Sets the handler on {@code cli} and its subcommands; a command's name in the messages is its
   * path from the root (e.g. "personalize run"), and the hint names {@code launcher} ("bin/") in
   * front of it.
   */
  public static void shortOnes(CommandLine cli, String launcher) {
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine command = e.getCommandLine();
          String name = command.getCommandSpec().qualifiedName();
          PrintWriter err = command.getErr();
          err.println(name + ": " + e.getMessage());
          UnmatchedArgumentException.printSuggestions(e, err);
          err.println("(see " + launcher + name + " --help)");
          return 2;
        });
  }
}
