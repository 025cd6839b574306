package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.serving.query.QueryCommand;
import io.personalize.serving.serve.RecommendCommand;
import io.personalize.serving.serve.ServeCommand;
import io.personalize.serving.topics.ReadCommand;
import io.personalize.serving.topics.ReplayDeadLettersCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command that offers {@code -V} prints a version: {@code serve -V} printed nothing. */
class VersionFlagTest {
  @Test
  void everyCommandPrintsItsVersion() {
    List<CommandLine> commands = new ArrayList<>();
    CommandLine personalize = PersonalizeCli.commandLine();
    commands.add(personalize);
    commands.addAll(personalize.getSubcommands().values());
    for (Object serving :
        List.of(
            new ServeCommand(),
            new RecommendCommand(),
            new QueryCommand(),
            new ReadCommand(),
            new ReplayDeadLettersCommand())) {
      commands.add(new CommandLine(serving));
    }
    for (CommandLine command : commands) {
      if (command.getCommandSpec().usageMessage().hidden()) {
        continue;
      }
      StringWriter out = new StringWriter();
      command.setOut(new PrintWriter(out, true));
      int exit = command.execute("-V");
      assertThat(exit).as(command.getCommandName()).isZero();
      assertThat(out.toString())
          .as("%s -V", command.getCommandName())
          .startsWith("personalize ")
          .hasLineCount(1);
    }
  }
}
