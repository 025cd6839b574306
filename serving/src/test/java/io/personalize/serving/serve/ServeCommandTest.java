package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} takes the Kafka client settings {@code run} takes ({@code personalize.kafka.*}),
 * refuses the same ones, and gives them to its consumers. Without a broker: {@code
 * RecommendationServerITCase} has one, {@code KafkaSecurityITCase} one that requires SASL over SSL.
 */
class ServeCommandTest {
  private static final String SECRET = "truststore-secret-123";

  private static ServeSettings settings(String... args) {
    CommandLine cli = ServeCommand.commandLine();
    cli.parseArgs(args);
    return ServeSettings.from(((ServeCommand) cli.getCommand()).configuration());
  }

  /** Exit code and error output of {@code serve args}, as {@code main} would run it. */
  private static String[] execute(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = ServeCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void kafkaClientSettingsFromDashDAndTheConfigFileReachTheSettingsWithoutTheirPrefix(
      @TempDir Path tmp) throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("serve.yaml"),
            "personalize.kafka.ssl.truststore.password: " + SECRET + "\n");
    ServeSettings s =
        settings(
            "--config-file",
            file.toString(),
            "-D",
            "personalize.kafka.security.protocol=SASL_SSL",
            "-D",
            "personalize.serve.max-k=50");
    assertThat(s.kafkaClient())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("security.protocol", "SASL_SSL", "ssl.truststore.password", SECRET));
    assertThat(s.maxK()).isEqualTo(50);
    assertThat(s.toString())
        .as("the settings as text name the client settings, never their values")
        .contains("ssl.truststore.password")
        .doesNotContain(SECRET);
    assertThat(settings().kafkaClient()).isEmpty();
  }

  @Test
  void theKafkaSettingsRunRefusesAreRefusedWithTheReason() {
    String[] bootstrap = execute("--port", "0", "-D", "personalize.kafka.bootstrap.servers=x:1");
    assertThat(bootstrap[0]).isEqualTo("2");
    assertThat(bootstrap[1])
        .contains(
            "personalize.kafka.bootstrap.servers cannot be set: the brokers are"
                + " --bootstrap-servers");

    String[] isolation =
        execute("--port", "0", "-D", "personalize.kafka.isolation.level=read_uncommitted");
    assertThat(isolation[0]).isEqualTo("2");
    assertThat(isolation[1]).contains("personalize.kafka.isolation.level cannot be set");
  }

  @Test
  void theServersConsumersGetTheSettings() {
    ServeSettings s =
        settings(
            "--port",
            "0",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "-D",
            "personalize.kafka.security.protocol=NOT_A_PROTOCOL");
    // An invalid value is refused by Kafka's consumer when it is created: the setting reached it.
    assertThatThrownBy(() -> RecommendationServer.start(s).close())
        .hasMessageContaining("NOT_A_PROTOCOL")
        .hasMessageContaining("security.protocol");
  }
}
