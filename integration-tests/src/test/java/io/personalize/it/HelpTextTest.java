package io.personalize.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.cli.PersonalizeCli;
import io.personalize.cluster.ClusterCli;
import io.personalize.serving.query.QueryCommand;
import io.personalize.serving.serve.RecommendCommand;
import io.personalize.serving.serve.ServeCommand;
import io.personalize.serving.topics.ReadCommand;
import io.personalize.serving.topics.ReplayDeadLettersCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command line's help, as `--help` prints it: picocli prints each element of a description as
 * a line of its own and wraps it at the terminal's width, so an element cut in mid-sentence printed
 * ragged halves ("... each its" / "own JVM) ..."), and a subcommand's list entry, its first
 * element, stopped mid-sentence ("Arguments after -- go to the"). So each element is a whole
 * sentence or paragraph, and every option says what it is.
 */
class HelpTextTest {
  @Test
  void everyDescriptionLineIsAWholeSentenceAndEveryOptionHasOne() {
    List<String> problems = new ArrayList<>();
    for (CommandLine cli :
        List.of(
            PersonalizeCli.commandLine(),
            ClusterCli.commandLine(),
            ServeCommand.commandLine(),
            new CommandLine(new RecommendCommand()),
            new CommandLine(new QueryCommand()),
            ReadCommand.commandLine(),
            ReplayDeadLettersCommand.commandLine())) {
      check(cli, problems);
    }
    assertThat(problems).isEmpty();
  }

  private static void check(CommandLine cli, List<String> problems) {
    CommandSpec spec = cli.getCommandSpec();
    String name = spec.qualifiedName();
    checkLines(name, spec.usageMessage().header(), problems);
    checkLines(name, spec.usageMessage().description(), problems);
    if (spec.usageMessage().description().length == 0) {
      problems.add(name + ": no description");
    }
    List<ArgSpec> args = new ArrayList<>(spec.options());
    args.addAll(spec.positionalParameters());
    for (ArgSpec arg : args) {
      String label =
          name
              + " "
              + (arg.isOption()
                  ? ((CommandLine.Model.OptionSpec) arg).longestName()
                  : arg.paramLabel());
      String[] description = arg.description();
      if (description.length == 0 || description[0].isBlank() || description[0].startsWith("(")) {
        problems.add(label + ": no description");
      }
      checkLines(label, description, problems);
    }
    cli.getSubcommands().values().forEach(sub -> check(sub, problems));
  }

  /** Each line ends a sentence (or a list's lead-in): none stops mid-sentence. */
  private static void checkLines(String where, String[] lines, List<String> problems) {
    for (String line : lines) {
      String text = line.strip();
      if (!text.isEmpty() && !text.matches("(?s).*[.:)?!]$")) {
        problems.add(where + ": a line stops mid-sentence: \"" + text + "\"");
      }
    }
  }
}
