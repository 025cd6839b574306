package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * An output directory that cannot be made: {@code bench} and {@code demo} printed a stack trace
 * ("Could not start the JobMaster" for the bench, whose checkpoints go under it), after starting
 * Kafka; each command now says so in one line before it starts anything.
 */
class OutputDirectoryTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "demo",
        "bench --events 100",
        "flood --users 100",
        "evaluate --data generated --protocol batch",
        "run --bootstrap-servers 127.0.0.1:1"
      })
  void anOutputDirectoryThatCannotBeMadeIsOneLineBeforeAnythingStarts(
      String command, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "in the way");
    Path out = file.resolve("out");
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of("--out", out.toString()));
    CommandLine cli = PersonalizeCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute(args.toArray(new String[0]));

    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "personalize: cannot create the output directory " + out + " (--out): Not a directory");
  }
}
