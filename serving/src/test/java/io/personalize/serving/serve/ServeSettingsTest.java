package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeSettingsTest {
  @Test
  void defaultsBindLoopbackOnPort8090() {
    ServeSettings s = ServeSettings.from(new Configuration());
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(8090);
    assertThat(s.recommendationsTopic()).isEqualTo("recommendations");
    assertThat(s.job().restPort()).isEqualTo(8081);
    assertThat(s.job().proxyPort()).isEqualTo(9069);
    assertThat(s.defaultK()).isEqualTo(10);
    assertThat(s.maxK()).isEqualTo(100);
  }

  @Test
  void invalidValuesNameTheirKey() {
    Configuration port = new Configuration();
    port.set(ServeOptions.PORT, 70_000);
    assertThatThrownBy(() -> ServeSettings.from(port))
        .hasMessageContaining("personalize.serve.port");
    Configuration k = new Configuration();
    k.set(ServeOptions.DEFAULT_K, 200);
    assertThatThrownBy(() -> ServeSettings.from(k))
        .hasMessageContaining("personalize.serve.default-k");
    Configuration rest = new Configuration();
    rest.set(ServeOptions.FLINK_REST, "localhost:8081");
    assertThatThrownBy(() -> ServeSettings.from(rest))
        .hasMessageContaining("personalize.serve.flink-rest");
    Configuration topic = new Configuration();
    topic.set(ServeOptions.TOPIC_ITEMS, " ");
    assertThatThrownBy(() -> ServeSettings.from(topic))
        .hasMessageContaining("personalize.serve.topic.items");
  }

  @Test
  void aMisspeltServerKeyIsRefusedAndTheJobsKeysAreLeftToTheJob() {
    Configuration typo = new Configuration();
    typo.setString("personalize.serve.prot", "9000");
    assertThatThrownBy(() -> ServeSettings.from(typo))
        .hasMessageStartingWith(
            "unknown setting personalize.serve.prot (did you mean personalize.serve.port?)");

    Configuration shared = new Configuration();
    shared.setString("personalize.model.factors", "16");
    shared.setString("personalize.kafka.security.protocol", "PLAINTEXT");
    assertThat(ServeSettings.from(shared).port()).isEqualTo(8090);
  }

  @Test
  void flagsOverrideTheDemosEndpointsFile(@TempDir Path tmp) throws Exception {
    Path endpoints =
        Files.writeString(
            tmp.resolve("endpoints.json"),
            "{\"kafka\": \"127.0.0.1:39607\", \"flinkRest\": \"http://127.0.0.1:18081\","
                + " \"queryableStateProxy\": \"127.0.0.1:19069\", \"serve\": \"http://x:1\"}");
    CommandLine cli = ServeCommand.commandLine();
    cli.parseArgs(
        "--endpoints", endpoints.toString(), "--port", "0", "-D", "personalize.serve.max-k=50");
    ServeSettings s = ServeSettings.from(((ServeCommand) cli.getCommand()).configuration());
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:39607");
    assertThat(s.job().restPort()).isEqualTo(18081);
    assertThat(s.job().proxyPort()).isEqualTo(19069);
    assertThat(s.port()).isZero();
    assertThat(s.maxK()).isEqualTo(50);
    assertThat(s.host()).isEqualTo("127.0.0.1");
  }
}
