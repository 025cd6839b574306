package io.personalize.serving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingFlagsTest {
  @Test
  void aConfigFileReadsNestedAndFlatKeys(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("job.yaml"),
            "personalize:\n  model:\n    factors: 16\npersonalize.serve.port: 9000\n");

    Configuration conf = SettingFlags.readFile(file);

    assertThat(conf.toMap())
        .containsEntry("personalize.model.factors", "16")
        .containsEntry("personalize.serve.port", "9000");
  }

  /**
   * Regression: a malformed file came out as Flink's "Error parsing YAML configuration" with two
   * stack traces, 94 lines, instead of one line saying which file and where.
   */
  @Test
  void aMalformedConfigFileIsOneLineNamingTheFileAndThePlace(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "personalize.model.factors: [16\n");

    assertThatThrownBy(() -> SettingFlags.readFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config file " + file + " is not valid YAML: ")
        .hasMessageContaining("line 1, column 28")
        .hasMessageNotContaining("\n");
  }
}
