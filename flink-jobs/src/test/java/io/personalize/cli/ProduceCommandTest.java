package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Options and errors of {@code produce}, without a broker ({@link ProduceCommandITCase} has one).
 */
class ProduceCommandTest {

  /** Exit code, the command line's err writer plus System.err, and what went to System.out. */
  record Run(int exitCode, String err, String out, double seconds) {}

  /** Runs the command as {@code personalize produce} would: same mapping of errors to exit 2. */
  static Run run(String... args) {
    StringWriter err = new StringWriter();
    StringWriter cliOut = new StringWriter();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int code;
    try {
      // Before the CommandLine is built: picocli's execute() switches back to the System.out and
      // System.err it saw when it was built if they have changed since.
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new ProduceCommand());
      cli.setExecutionExceptionHandler(PersonalizeCli.commandLine().getExecutionExceptionHandler());
      cli.setErr(new PrintWriter(err, true));
      cli.setOut(new PrintWriter(cliOut, true));
      code = cli.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Run(
        code,
        err + stderr.toString(StandardCharsets.UTF_8),
        cliOut + out.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - start) / 1e9);
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static final String[] SMALL_GENERATED = {
    "--data",
    "generated",
    "--generated-users",
    "5",
    "--generated-items",
    "10",
    "--generated-events",
    "20",
    "--no-progress"
  };

  private static String[] smallGenerated(String... more) {
    String[] args = new String[SMALL_GENERATED.length + more.length];
    System.arraycopy(SMALL_GENERATED, 0, args, 0, SMALL_GENERATED.length);
    System.arraycopy(more, 0, args, SMALL_GENERATED.length, more.length);
    return args;
  }

  @Test
  void anUnreachableBrokerExitsWith2WithinTheTimeout() throws IOException {
    String bootstrap = "localhost:" + closedPort();

    Run run = run(smallGenerated("--bootstrap-servers", bootstrap, "--timeout-seconds", "2"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("personalize: no Kafka broker answered at " + bootstrap + " within 2 s")
        .doesNotContain("Exception\n\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMalformedBootstrapAddressExitsWith2() {
    Run run = run(smallGenerated("--bootstrap-servers", "no-port-here", "--timeout-seconds", "2"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("personalize: cannot connect to Kafka at 'no-port-here'")
        .contains("Invalid url in bootstrap.servers: no-port-here");
  }

  @Test
  void missingDataExitsWith2BeforeTryingKafka() {
    Run run = run("--data", "/no/such/ratings.csv", "--bootstrap-servers", "localhost:1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("personalize: no file or directory '/no/such/ratings.csv'");
  }

  @Test
  void anUnknownDataSetNameExitsWith2() {
    Run run = run("--data", "no-such-data-set");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no data set of that name under shared/data");
    // It says what there is: ml-10m mistyped for ml-1m said only that it was not there.
    assertThat(run.err())
        .contains(
            DataSets.noSuchDataSet(
                "no-such-data-set", io.personalize.connectors.data.SharedData.names()));
    assertThat(DataSets.noSuchDataSet("ml-10m", java.util.List.of("ciaodvd", "ml-1m")))
        .endsWith("(there: ciaodvd, ml-1m; or --data generated)");
    assertThat(DataSets.noSuchDataSet("ml-10m", java.util.List.of()))
        .endsWith(
            "(no shared/data folder beside the repository: give a path, or --data generated)");
  }

  @Test
  void badOptionValuesExitWith2() {
    assertThat(run(smallGenerated("--rate", "-5")).exitCode()).isEqualTo(2);
    assertThat(run(smallGenerated("--rate", "-5")).err()).contains("--rate");
    assertThat(run(smallGenerated("--timeout-seconds", "0")).err()).contains("--timeout-seconds");
    assertThat(run(smallGenerated("--rate", "fast")).exitCode()).isEqualTo(2);
    assertThat(run("--topic", "t").exitCode()).as("--data is required").isEqualTo(2);
    Run partitions = run(smallGenerated("--partitions", "0", "--bootstrap-servers", "localhost:1"));
    assertThat(partitions.exitCode()).isEqualTo(2);
    assertThat(partitions.err()).contains("--partitions must be at least 1, got 0");
    Run format = run(smallGenerated("--format", "xml", "--bootstrap-servers", "localhost:1"));
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("--format is avro or json, not 'xml'");
    assertThat(format.seconds()).as("no attempt to reach a broker").isLessThan(10);
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    Run run = run("--help");

    assertThat(run.exitCode()).isZero();
    // Picocli wraps descriptions at 80 columns, where depends on the widest option.
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains("Usage: produce")
        .contains("--data")
        .contains("--topic", "default: interactions")
        .contains("--items-topic", "default: items")
        .contains("--bootstrap-servers", "default: localhost:9092")
        .contains("--rate", "--timeout-seconds", "default: 30")
        .contains("--partitions", "default: 2", "retention.ms=-1")
        .contains("--format", "avro (single-object encoding) or json", "default: avro")
        .contains("-D=KEY=VALUE", "A Kafka client setting", "--config-file=FILE");
  }

  @Test
  void kafkaClientSettingsComeFromDashDAndTheConfigFileWithoutTheirPrefix(@TempDir Path tmp)
      throws IOException {
    Path file =
        Files.writeString(
            tmp.resolve("kafka.yaml"), "personalize.kafka.ssl.truststore.password: secret-1\n");
    ProduceCommand command = new ProduceCommand();
    new CommandLine(command)
        .parseArgs(
            smallGenerated(
                "--config-file",
                file.toString(),
                "-D",
                "personalize.kafka.security.protocol=SASL_SSL"));
    assertThat(command.clientProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("security.protocol", "SASL_SSL", "ssl.truststore.password", "secret-1"));
  }

  @Test
  void theKafkaSettingsRunRefusesAndOtherKeysAreRefusedBeforeTryingKafka() {
    Run bootstrap = run(smallGenerated("-D", "personalize.kafka.bootstrap.servers=elsewhere:9092"));
    assertThat(bootstrap.exitCode()).isEqualTo(2);
    assertThat(bootstrap.err())
        .contains(
            "personalize.kafka.bootstrap.servers cannot be set: the brokers are"
                + " --bootstrap-servers");
    assertThat(bootstrap.seconds()).as("no attempt to reach a broker").isLessThan(10);

    Run serializer = run(smallGenerated("-D", "personalize.kafka.value.serializer=x.Y"));
    assertThat(serializer.exitCode()).isEqualTo(2);
    assertThat(serializer.err()).contains("personalize.kafka.value.serializer cannot be set");

    Run other = run(smallGenerated("-D", "personalize.model.factors=8"));
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(other.err())
        .contains(
            "produce takes only Kafka client settings (personalize.kafka.*) from -D and"
                + " --config-file, not personalize.model.factors");
  }

  @Test
  void theKafkaClientsGetTheSettings() {
    // Kafka's client refuses an invalid value when it is created: the setting reached it.
    Run run =
        run(
            smallGenerated(
                "--bootstrap-servers",
                "localhost:1",
                "--timeout-seconds",
                "2",
                "-D",
                "personalize.kafka.security.protocol=NOT_A_PROTOCOL"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("NOT_A_PROTOCOL").contains("security.protocol");
  }

  /**
   * A data set rated from 0.5 (ml-latest-small) says the job's scale must be given: with the
   * default 1 to 5, the job sends its 1,370 ratings of 0.5 to the dead letters (the demo timed out
   * waiting for them to be scored, HalfStarDemoITCase).
   */
  @Test
  void aDataSetOnAnotherScaleSaysWhichSettingsTheJobNeeds() throws IOException {
    Run run =
        run(
            "--data",
            SharedDataSets.require("ml-latest-small").toString(),
            "--bootstrap-servers",
            "localhost:" + closedPort(),
            "--timeout-seconds",
            "1");

    assertThat(run.err())
        .contains(
            "its ratings go from 0.5 to 5.0: run the job with --rating-min 0.5 --rating-max 5.0,"
                + " or those outside 1.0 to 5.0 become dead letters");
    assertThat(
            run(smallGenerated(
                    "--bootstrap-servers", "localhost:" + closedPort(), "--timeout-seconds", "1"))
                .err())
        .doesNotContain("its ratings go from");
  }
}
