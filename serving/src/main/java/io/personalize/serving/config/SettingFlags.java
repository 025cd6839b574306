package io.personalize.serving.config;

import io.personalize.util.Durations;
import io.personalize.util.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.description.HtmlFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command-line flags made from {@link ConfigOption}s, so a setting is declared once: {@code
 * personalize.model.factors} becomes {@code --model-factors}, with the option's description, type
 * and default as its help. A flag's value goes into a Flink {@link Configuration} under the
 * option's key, where the command (and the job) read it. Besides the flags, {@code -D key=value}
 * sets any key (a setting or a Flink option) and {@code --config-file} reads a Flink config file;
 * the precedence is defaults, then the file, then {@code -D}, then flags.
 */
public final class SettingFlags {
  private final Configuration fromFlags = new Configuration();

  /** The flag of an option: its key without {@code prefix}, dots as dashes. */
  public static String flag(ConfigOption<?> option, String prefix) {
    String key = option.key();
    if (!key.startsWith(prefix)) {
      throw new IllegalArgumentException(key + " does not start with " + prefix);
    }
    return "--" + key.substring(prefix.length()).replace('.', '-');
  }

  /** Adds a flag for each option to {@code spec}. */
  public void addTo(CommandSpec spec, Collection<ConfigOption<?>> options, String prefix) {
    for (ConfigOption<?> option : options) {
      spec.addOption(flagSpec(option, prefix));
    }
  }

  private OptionSpec flagSpec(ConfigOption<?> option, String prefix) {
    boolean bool = option.defaultValue() instanceof Boolean;
    OptionSpec.Builder builder =
        OptionSpec.builder(flag(option, prefix))
            .paramLabel(label(option))
            .type(String.class)
            .description(
                text(option) + (option.hasDefaultValue() ? " Default: " + show(option) + "." : ""))
            .setter(
                new CommandLine.Model.ISetter() {
                  @Override
                  public <T> T set(T value) {
                    // Picocli sets the initial value (null) before each parse: forget the last.
                    if (value == null) {
                      fromFlags.removeKey(option.key());
                    } else {
                      fromFlags.setString(option.key(), value.toString());
                    }
                    return null;
                  }
                })
            .hasInitialValue(true)
            .initialValue(null);
    if (bool) {
      builder.arity("0..1").fallbackValue("true");
    } else {
      builder.arity("1");
    }
    return builder.build();
  }

  private static String label(ConfigOption<?> option) {
    Object d = option.defaultValue();
    if (d instanceof Boolean) {
      return "true|false";
    }
    if (d instanceof Duration) {
      return "DURATION";
    }
    if (d instanceof Integer || d instanceof Long) {
      return "N";
    }
    if (d instanceof Double) {
      return "X";
    }
    if (d instanceof Enum<?> e) {
      return java.util.Arrays.stream(e.getDeclaringClass().getEnumConstants())
          .map(Object::toString)
          .collect(Collectors.joining("|"));
    }
    if (d instanceof List<?>) {
      return "A;B;...";
    }
    return "VALUE";
  }

  /** The description of an option as plain text. */
  public static String text(ConfigOption<?> option) {
    return new HtmlFormatter()
        .format(option.description())
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  /** The default of an option as the documentation and help show it. */
  public static String show(ConfigOption<?> option) {
    Object d = option.defaultValue();
    if (d == null) {
      return "-";
    }
    if (d instanceof Duration duration) {
      return Durations.show(duration);
    }
    if (d instanceof List<?> list) {
      return list.size() > 4
          ? list.size() + " names (see docs/configuration.md)"
          : String.join(";", list.stream().map(Object::toString).toList());
    }
    if (d instanceof Integer i && Math.abs(i) >= 10_000) {
      return String.format(Locale.ROOT, "%,d", i).replace(',', '_');
    }
    return String.valueOf(d);
  }

  /**
   * The configuration of a command: a Flink config file, then {@code -D} settings, then the flags
   * given, each overriding the one before.
   */
  public Configuration configuration(Path configFile, Map<String, String> properties) {
    Configuration conf = configFile == null ? new Configuration() : readFile(configFile);
    if (properties != null) {
      properties.forEach(conf::setString);
    }
    conf.addAll(fromFlags);
    return conf;
  }

  /** A Flink config file ({@code config.yaml} syntax, nested or flat keys). */
  public static Configuration readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no config file " + file);
    }
    try {
      Path dir = Files.createTempDirectory("personalize-conf");
      Path copy = dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME);
      Files.copy(file, copy);
      try {
        return GlobalConfiguration.loadConfiguration(dir.toString());
      } catch (RuntimeException e) {
        // Flink's "Error parsing YAML configuration", with the parser's place in its cause.
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IllegalArgumentException(
            "config file " + file + " is not valid YAML: " + Messages.oneLine(cause), e);
      } finally {
        Files.deleteIfExists(copy);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }
}
