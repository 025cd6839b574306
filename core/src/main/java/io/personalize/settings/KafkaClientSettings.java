package io.personalize.settings;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client settings a user gives every command that talks to Kafka ({@code run}, {@code
 * serve}, {@code produce}) as {@code personalize.kafka.<client setting>} keys, e.g. {@code
 * personalize.kafka.security.protocol=SASL_SSL}: one rule for all of them, so a setting that works
 * for the job works for the server and the producer too.
 */
public final class KafkaClientSettings {
  private KafkaClientSettings() {}

  /** Keys under this prefix go, without it, to every Kafka client of a command. */
  public static final String PREFIX = "personalize.kafka.";

  /** Kafka's default {@code request.timeout.ms}. */
  private static final long KAFKA_REQUEST_TIMEOUT_MS = 30_000;

  /**
   * Client settings the commands make from their own options or need as they are (the records are
   * Avro bytes; offsets are committed with checkpoints): refused under the prefix, so that a
   * setting given is never silently overridden.
   */
  private static final Set<String> SET_BY_THE_COMMANDS =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "key.deserializer",
          "value.deserializer",
          "key.serializer",
          "value.serializer",
          "enable.auto.commit",
          "isolation.level");

  /**
   * The client settings among {@code config}'s keys, without the prefix.
   *
   * @throws IllegalArgumentException naming a key whose setting the commands make themselves
   */
  public static Map<String, String> from(Map<String, String> config) {
    Map<String, String> properties = new TreeMap<>();
    config.forEach(
        (key, value) -> {
          if (key.startsWith(PREFIX)) {
            String property = key.substring(PREFIX.length());
            if (SET_BY_THE_COMMANDS.contains(property)) {
              throw new IllegalArgumentException(key + " cannot be set: " + why(property));
            }
            properties.put(property, value);
          }
        });
    requireApiTimeoutAtLeastRequestTimeout(properties);
    return properties;
  }

  /**
   * Kafka's admin clients refuse a {@code default.api.timeout.ms} under {@code request.timeout.ms},
   * and the job's Kafka source makes one from the same settings: the job then failed over and over,
   * each time with a stack trace, where one line can say what to set. A value that is no number is
   * left to Kafka's own message.
   */
  private static void requireApiTimeoutAtLeastRequestTimeout(Map<String, String> properties) {
    Long api = millis(properties.get("default.api.timeout.ms"));
    String given = properties.get("request.timeout.ms");
    Long request = given == null ? Long.valueOf(KAFKA_REQUEST_TIMEOUT_MS) : millis(given);
    if (api != null && request != null && api < request) {
      throw new IllegalArgumentException(
          String.format(
              "%sdefault.api.timeout.ms (%d) must be at least %srequest.timeout.ms (%d%s): Kafka's"
                  + " admin clients refuse a smaller one; set %srequest.timeout.ms=%d too",
              PREFIX, api, PREFIX, request, given == null ? ", Kafka's default" : "", PREFIX, api));
    }
  }

  private static Long millis(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String why(String property) {
    return switch (property) {
      case "bootstrap.servers" -> "the brokers are --bootstrap-servers";
      case "group.id" -> "the job's group is --consumer-group";
      default -> "personalize sets " + property + " itself";
    };
  }

  /**
   * The setting names of {@code clientProperties} without their values, for messages and {@code
   * toString}: the values may be passwords.
   */
  public static String keysOnly(Map<String, String> clientProperties) {
    return new TreeMap<>(clientProperties).keySet().toString();
  }
}
