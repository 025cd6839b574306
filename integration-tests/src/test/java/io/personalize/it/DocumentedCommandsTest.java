package io.personalize.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.DeadLetterReason;
import io.personalize.cli.PersonalizeCli;
import io.personalize.cluster.ClusterCli;
import io.personalize.serving.query.QueryCommand;
import io.personalize.serving.serve.RecommendCommand;
import io.personalize.serving.serve.ServeCommand;
import io.personalize.serving.topics.ReadCommand;
import io.personalize.serving.topics.ReplayDeadLettersCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command line the README and the docs show, parsed by the command it names: a flag renamed
 * or removed in the code, and left in a document, is a command a reader copies and sees refused.
 * Placeholders in capitals (ID, N, DIR, HOST:PORT) stand for a value.
 */
class DocumentedCommandsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * A command in a document: up to the end of its code span or line, a shell operator or comment,
   * or an ellipsis (the rest left out).
   */
  private static final Pattern COMMAND =
      Pattern.compile(
          "bin/(personalize|cluster) ([a-z-]+)((?: +(?!\\.\\.\\.)[^ `|<>;&()\\[\\]\\n#]+)*)");

  @Test
  void everyDocumentedCommandLineParses() throws IOException {
    List<String> problems = new ArrayList<>();
    int parsed = 0;
    for (Path doc : documents()) {
      String text = Files.readString(doc).replaceAll("\\\\\\n\\s*", " ");
      Matcher m = COMMAND.matcher(text);
      while (m.find()) {
        String launcher = m.group(1);
        String command = m.group(2);
        List<String> args = tokens(m.group(3));
        String problem = parse(launcher, command, args);
        parsed++;
        if (problem != null) {
          problems.add(ROOT.relativize(doc) + ": " + m.group().strip() + "\n    " + problem);
        }
      }
    }
    assertThat(parsed).isGreaterThan(100);
    assertThat(problems).isEmpty();
  }

  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    try (Stream<Path> modules = Files.list(ROOT)) {
      modules
          .map(m -> m.resolve("README.md"))
          .filter(Files::isRegularFile)
          .filter(p -> !p.getParent().equals(ROOT))
          .sorted()
          .forEach(docs::add);
    }
    return docs;
  }

  /** Words, a placeholder in capitals as a value, and trailing prose punctuation dropped. */
  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (String word : text.strip().split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      String token = word.replaceAll("[.,:]+$", "").replaceAll("^['\"]|['\"]$", "");
      tokens.add(token.matches("[A-Z][A-Z_0-9:]*") && !isEnumValue(token) ? "1" : token);
    }
    return tokens;
  }

  /** Dead-letter reasons (and lists of them) are values in capitals, not placeholders. */
  private static boolean isEnumValue(String token) {
    return Arrays.stream(token.split(","))
        .allMatch(
            word -> Arrays.stream(DeadLetterReason.values()).anyMatch(r -> r.name().equals(word)));
  }

  /** Null when the command takes these arguments, else why not. */
  private static String parse(String launcher, String command, List<String> args) {
    CommandLine cli;
    List<String> all = new ArrayList<>();
    if (launcher.equals("cluster")) {
      cli = ClusterCli.commandLine();
      all.add(command);
    } else {
      switch (command) {
        case "serve" -> cli = ServeCommand.commandLine();
        case "query" -> cli = new CommandLine(new QueryCommand());
        case "recommend" -> cli = new CommandLine(new RecommendCommand());
        case "read" -> cli = ReadCommand.commandLine();
        case "replay-dead-letters" -> cli = ReplayDeadLettersCommand.commandLine();
        default -> {
          cli = PersonalizeCli.commandLine();
          all.add(command);
        }
      }
    }
    all.addAll(args);
    try {
      cli.parseArgs(all.toArray(new String[0]));
      return null;
    } catch (CommandLine.ParameterException e) {
      // A required option a document leaves out on purpose (it shows one flag) is not a problem.
      return e instanceof CommandLine.MissingParameterException ? null : e.getMessage();
    }
  }
}
