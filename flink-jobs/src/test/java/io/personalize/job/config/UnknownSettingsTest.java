package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class UnknownSettingsTest {
  @Test
  void aMisspeltSettingIsRefusedWithTheOneItMeant() {
    Configuration conf = Configuration.fromMap(Map.of("personalize.model.factor", "16"));

    assertThatThrownBy(() -> JobConfig.from(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown setting personalize.model.factor (did you mean personalize.model.factors?):"
                + " docs/configuration.md lists every setting");
  }

  @Test
  void aKeyFarFromEverySettingIsRefusedWithoutAGuess() {
    Configuration conf = Configuration.fromMap(Map.of("personalize.colour", "blue"));

    assertThatThrownBy(() -> JobConfig.from(conf))
        .hasMessage(
            "unknown setting personalize.colour: docs/configuration.md lists every setting");
  }

  @Test
  void kafkaServerEvaluatorAndOtherFrameworksKeysPass() {
    Configuration conf =
        Configuration.fromMap(
            Map.of(
                "personalize.kafka.security.protocol", "SASL_SSL",
                "personalize.serve.port", "8090",
                "personalize.evaluate.protocol", "PREQUENTIAL",
                "personalize.model.factors", "16",
                "state.backend.type", "rocksdb"));

    assertThat(JobConfig.from(conf).model().factors()).isEqualTo(16);
  }

  @Test
  void theServersPrefixIsTheServersOwn() {
    assertThat(PersonalizeOptions.SERVE_PREFIX)
        .isEqualTo(io.personalize.serving.serve.ServeOptions.PREFIX);
  }
}
