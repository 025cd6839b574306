package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.connectors.registry.RegistrySettings;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

/** The schema-registry settings: off by default, validated, and the password never printed. */
class SchemaRegistrySettingsTest {
  private static final String PASSWORD = "s3cret-Pa55word";

  @Test
  void offByDefault() {
    assertThat(JobConfig.defaults().schemaRegistry().enabled()).isFalse();
  }

  @Test
  void readsEverySetting() {
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_URL, "http://registry:8081");
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_USERNAME, "engine");
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_PASSWORD, PASSWORD);
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_CACHE_SIZE, 10);
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_REQUEST_TIMEOUT, Duration.ofSeconds(2));
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_MAX_WAIT, Duration.ofSeconds(3));
    assertThat(JobConfig.from(conf).schemaRegistry())
        .isEqualTo(
            new RegistrySettings(
                "http://registry:8081",
                "engine",
                PASSWORD,
                10,
                Duration.ofSeconds(2),
                Duration.ofSeconds(3)));
  }

  @Test
  void thePasswordIsMaskedWhereverTheSettingsArePrinted() {
    assertThat(GlobalConfiguration.isSensitive(PersonalizeOptions.SCHEMA_REGISTRY_PASSWORD.key()))
        .isTrue();
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_URL, "http://registry:8081");
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_USERNAME, "engine");
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_PASSWORD, PASSWORD);
    JobConfig config = JobConfig.from(conf);
    assertThat(config.toString()).doesNotContain(PASSWORD);
    assertThat(config.toConfiguration().toString()).doesNotContain(PASSWORD);
    assertThat(config.schemaRegistry().toString()).doesNotContain(PASSWORD);
  }

  @Test
  void refusesCredentialsInTheUrlAndOtherSchemes() {
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_URL, "http://engine:" + PASSWORD + "@registry");
    assertThatThrownBy(() -> JobConfig.from(conf))
        .hasMessageContaining("personalize.schema-registry.url must be empty or an http(s) URL")
        .hasMessageNotContaining(PASSWORD);
    conf.set(PersonalizeOptions.SCHEMA_REGISTRY_URL, "registry:8081");
    assertThatThrownBy(() -> JobConfig.from(conf))
        .hasMessageContaining("personalize.schema-registry.url");
  }
}
