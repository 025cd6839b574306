package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.connectors.config.Setting;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.config.SettingFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from the options, never retyped: it must be current. */
class ConfigurationDocsTest {
  @Test
  void theDocumentIsWhatTheOptionsGenerate() throws Exception {
    Path doc = Path.of("..", "docs", "configuration.md");
    String generated = ConfigurationDocs.markdown();
    assertThat(Files.readString(doc, StandardCharsets.UTF_8))
        .as(
            "docs/configuration.md is stale: run bin/personalize config-docs > docs/configuration.md")
        .isEqualTo(generated);
  }

  @Test
  void everySettingHasARowWithItsKeyFlagAndDefault() {
    String md = ConfigurationDocs.markdown();
    for (Setting<?> setting : PersonalizeOptions.ALL) {
      assertThat(md)
          .contains("`" + setting.key() + "`")
          .contains("`" + SettingFlags.flag(setting.option(), PersonalizeOptions.PREFIX) + "`");
    }
    assertThat(md).contains("| `personalize.model.factors` | `--model-factors` | `32` | 1..1024 |");
  }

  /** The evaluator's and the server's tables showed "-" for every rule: they had none. */
  @Test
  void theEvaluatorsAndTheServersSettingsShowTheirRules() {
    String md = ConfigurationDocs.markdown();
    assertThat(md)
        .contains(
            "| `personalize.evaluate.test-fraction` | `--test-fraction` | `0.2` | in (0, 1) |")
        .contains("| `personalize.serve.port` | `--port` | `8090` | 0..65535 |")
        .contains(
            "| `personalize.serve.events.max-batch` | `--events-max-batch` | `500` | 1..100000 |");
  }
}
