package io.personalize.connectors.config;

import java.util.function.Predicate;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * One setting of the engine: a Flink {@link ConfigOption} (key, type, default, description) and the
 * rule its value must meet. Everything else about the setting is derived from this one declaration:
 * the command-line flag, the row of the documentation table, the validation message.
 */
public record Setting<T>(ConfigOption<T> option, Predicate<T> valid, String rule) {
  /** A setting whose every value of its type is valid. */
  public static <T> Setting<T> of(ConfigOption<T> option) {
    return new Setting<>(option, value -> true, "");
  }

  public static <T> Setting<T> of(ConfigOption<T> option, Predicate<T> valid, String rule) {
    return new Setting<>(option, valid, rule);
  }

  public String key() {
    return option.key();
  }

  /** The value in {@code config} (its default when unset), checked against the rule. */
  public T read(ReadableConfig config) {
    T value;
    try {
      value = config.get(option);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
    if (value == null || !valid.test(value)) {
      throw new IllegalArgumentException(key() + " must be " + rule + ", was " + shown(value));
    }
    return value;
  }

  /**
   * A value as an error message may show it: a secret (a key Flink masks, such as one containing
   * "password") not at all, credentials in a URL ({@code //user:secret@host}) neither.
   */
  private String shown(T value) {
    if (GlobalConfiguration.isSensitive(key())) {
      return "******";
    }
    return String.valueOf(value).replaceAll("//[^/@]*@", "//******@");
  }
}
