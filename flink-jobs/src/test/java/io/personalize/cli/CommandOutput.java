package io.personalize.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A {@code personalize} command run in this JVM, with its exit code and what it printed. */
record CommandOutput(int exit, String text) {
  /** Runs {@code args} through the real command line, capturing standard output. */
  static CommandOutput execute(String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      exit = PersonalizeCli.commandLine().execute(args);
    } finally {
      System.setOut(stdout);
    }
    return new CommandOutput(exit, printed.toString(StandardCharsets.UTF_8));
  }
}
