package io.personalize.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {
  @Test
  void theClientSettingsAreTheKeysUnderThePrefixWithoutIt() {
    assertThat(
            KafkaClientSettings.from(
                Map.of(
                    "personalize.kafka.security.protocol", "SSL",
                    "personalize.model.factors", "16")))
        .containsExactlyEntriesOf(Map.of("security.protocol", "SSL"));
    assertThatThrownBy(
            () -> KafkaClientSettings.from(Map.of("personalize.kafka.group.id", "other")))
        .hasMessage(
            "personalize.kafka.group.id cannot be set: the job's group is --consumer-group");
  }

  /**
   * Kafka's admin clients refuse an API timeout under the request timeout (30 s by default), and
   * the job's Kafka source makes one: with {@code personalize.kafka.default.api.timeout.ms=10000}
   * the job failed over and over, each time with a stack trace.
   */
  @Test
  void anApiTimeoutUnderTheRequestTimeoutIsRefusedWithWhatToSet() {
    assertThatThrownBy(
            () ->
                KafkaClientSettings.from(
                    Map.of("personalize.kafka.default.api.timeout.ms", "10000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "personalize.kafka.default.api.timeout.ms (10000) must be at least"
                + " personalize.kafka.request.timeout.ms (30000, Kafka's default): Kafka's admin"
                + " clients refuse a smaller one; set personalize.kafka.request.timeout.ms=10000"
                + " too");
    assertThatThrownBy(
            () ->
                KafkaClientSettings.from(
                    Map.of(
                        "personalize.kafka.default.api.timeout.ms", "10000",
                        "personalize.kafka.request.timeout.ms", "20000")))
        .hasMessageContaining("(20000)");
    assertThat(
            KafkaClientSettings.from(
                Map.of(
                    "personalize.kafka.default.api.timeout.ms", "10000",
                    "personalize.kafka.request.timeout.ms", "10000")))
        .hasSize(2);
    assertThat(
            KafkaClientSettings.from(Map.of("personalize.kafka.default.api.timeout.ms", "60000")))
        .hasSize(1);
  }
}
