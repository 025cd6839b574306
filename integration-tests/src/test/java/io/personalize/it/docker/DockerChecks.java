package io.personalize.it.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.personalize.it.docker.Dockerfile.Instruction;
import io.personalize.it.docker.Dockerfile.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * The checks of {@link DockerFilesTest}, each returning the problems it finds (empty: none), so
 * that {@link DockerChecksTest} can show each one failing on a broken input.
 */
final class DockerChecks {
  private DockerChecks() {}

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV_REFERENCE = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)}$");
  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|api[_-]?key|credential|private[_-]?key).*");
  private static final Pattern SECRET_VALUE =
      Pattern.compile(
          "(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|ghp_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]+"
              + "|(?i)(password|secret|token)\\s*[:=]\\s*\\S+)");

  // ---- .env --------------------------------------------------------------------------------

  /** KEY=VALUE lines of a compose .env file; '#' lines and blank lines skipped; no quoting used. */
  static Map<String, String> readEnv(Path file) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : lines(file)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(file + ": not KEY=VALUE: " + line);
      }
      env.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
    }
    return env;
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- Dockerfile ----------------------------------------------------------------------------

  /** Every {@code COPY --from=X} names a stage defined before the COPY's own stage. */
  static List<String> copyFromProblems(Dockerfile dockerfile) {
    List<String> problems = new ArrayList<>();
    for (Stage stage : dockerfile.stages) {
      for (Instruction copy : stage.all("COPY")) {
        String from = copy.flags().get("from");
        if (from == null) {
          continue;
        }
        boolean earlier =
            dockerfile.stages.stream()
                .anyMatch(s -> s.index() < stage.index() && s.name().orElse("").equals(from));
        if (!earlier) {
          problems.add("line " + copy.line() + ": COPY --from=" + from + " names no earlier stage");
        }
      }
    }
    return problems;
  }

  /**
   * Every COPY (or ADD) source from the build context exists under {@code context} and is not left
   * out by its .dockerignore (whose patterns here are plain paths or {@code **}/name).
   */
  static List<String> contextSourceProblems(Dockerfile dockerfile, Path context) {
    List<String> ignored = new ArrayList<>();
    Path dockerignore = context.resolve(".dockerignore");
    if (Files.exists(dockerignore)) {
      for (String line : lines(dockerignore)) {
        String pattern = line.strip();
        if (!pattern.isEmpty() && !pattern.startsWith("#")) {
          ignored.add(pattern);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (Stage stage : dockerfile.stages) {
      for (Instruction copy : stage.instructions()) {
        if (!(copy.keyword().equals("COPY") || copy.keyword().equals("ADD"))
            || copy.flags().containsKey("from")) {
          continue;
        }
        List<String> args = copy.args();
        for (String source : args.subList(0, args.size() - 1)) {
          String path = stage.expand(source).replaceAll("/+$", "");
          if (path.startsWith("/") || path.contains("..") || path.contains("://")) {
            problems.add(
                "line " + copy.line() + ": " + source + " is not inside the build context");
          } else if (!Files.exists(context.resolve(path))) {
            problems.add(
                "line " + copy.line() + ": " + source + " does not exist in the repository");
          } else if (isIgnored(path, ignored)) {
            problems.add("line " + copy.line() + ": " + source + " is excluded by .dockerignore");
          }
        }
      }
    }
    return problems;
  }

  static boolean isIgnored(String path, List<String> patterns) {
    for (String pattern : patterns) {
      if (pattern.startsWith("!")) {
        throw new IllegalArgumentException(
            "exceptions in .dockerignore are not handled: " + pattern);
      }
      String p = pattern.replaceAll("^/+|/+$", "");
      boolean anyDepth = p.startsWith("**/");
      String name = anyDepth ? p.substring(3) : p;
      String glob = name.replace(".", "\\.").replace("*", "[^/]*");
      String prefix = anyDepth ? "(.*/)?" : "";
      // A pattern also excludes everything below what it matches.
      if (path.matches(prefix + glob + "(/.*)?")) {
        return true;
      }
    }
    return false;
  }

  /** ARG defaults (global and per stage) that .env sets to something else, or does not set. */
  static List<String> argDefaultProblems(Dockerfile dockerfile, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    BiConsumer<String, String> check =
        (name, value) -> {
          if (value == null) {
            return;
          }
          if (!env.containsKey(name)) {
            problems.add("ARG " + name + " has a default but docker/.env has no " + name);
          } else if (!env.get(name).equals(value)) {
            problems.add(
                "ARG "
                    + name
                    + "="
                    + value
                    + " disagrees with docker/.env "
                    + name
                    + "="
                    + env.get(name));
          }
        };
    dockerfile.globalArgs.forEach(check);
    dockerfile.stages.forEach(stage -> stage.args().forEach(check));
    return problems;
  }

  // ---- compose -------------------------------------------------------------------------------

  static Map<String, JsonNode> services(JsonNode compose) {
    Map<String, JsonNode> services = new LinkedHashMap<>();
    compose.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
    return services;
  }

  /** Every image, and every build arg, is one ${VARIABLE} that .env defines: no literal tags. */
  static List<String> imageProblems(JsonNode compose, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    services(compose)
        .forEach(
            (name, service) -> {
              String image = service.path("image").asText("");
              Matcher m = ENV_REFERENCE.matcher(image);
              if (!m.matches()) {
                problems.add(name + ": image '" + image + "' is not a ${VARIABLE} of docker/.env");
              } else if (!env.containsKey(m.group(1))) {
                problems.add(name + ": docker/.env has no " + m.group(1));
              }
              service
                  .path("build")
                  .path("args")
                  .fields()
                  .forEachRemaining(
                      arg -> {
                        Matcher a = ENV_REFERENCE.matcher(arg.getValue().asText());
                        if (!a.matches() || !a.group(1).equals(arg.getKey())) {
                          problems.add(
                              name
                                  + ": build arg "
                                  + arg.getKey()
                                  + " is not ${"
                                  + arg.getKey()
                                  + "}");
                        }
                      });
            });
    return problems;
  }

  /**
   * Compose substitutes {@code ${NAME}} and {@code $NAME} in every value, and {@code $$} is a
   * literal {@code $}: every substitution must name a variable of .env (a {@code $NAME} meant for a
   * shell inside a container, written with one {@code $}, would silently become empty).
   */
  static List<String> interpolationProblems(JsonNode compose, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Pattern dollar =
        Pattern.compile("\\$(\\$|\\{([A-Za-z_][A-Za-z0-9_]*)}|[A-Za-z_][A-Za-z0-9_]*|\\{[^}]*}?)?");
    walk(
        compose,
        "compose",
        (path, key, value) -> {
          Matcher m = dollar.matcher(value);
          while (m.find()) {
            if ("$".equals(m.group(1))) {
              continue; // $$: a literal $
            }
            if (m.group(2) == null) {
              problems.add(
                  path + ": '" + m.group() + "' is not ${NAME} (write $$ for a literal $)");
            } else if (!env.containsKey(m.group(2))) {
              problems.add(path + ": docker/.env has no " + m.group(2));
            }
          }
        });
    return problems;
  }

  /** The names a service's depends_on lists, in its short (list) or long (map) form. */
  static List<String> dependsOn(JsonNode service) {
    JsonNode deps = service.path("depends_on");
    if (deps.isArray()) {
      return StreamSupport.stream(deps.spliterator(), false).map(JsonNode::asText).toList();
    }
    List<String> names = new ArrayList<>();
    deps.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static List<String> dependsOnProblems(JsonNode compose) {
    Map<String, JsonNode> services = services(compose);
    List<String> problems = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          for (String dep : dependsOn(service)) {
            if (!services.containsKey(dep)) {
              problems.add(name + ": depends_on names no service '" + dep + "'");
            } else if (dep.equals(name)) {
              problems.add(name + ": depends on itself");
            }
          }
        });
    return problems;
  }

  /** Published ports bind 127.0.0.1 (short "127.0.0.1:HOST:CONTAINER" or long host_ip form). */
  static List<String> portProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    services(compose)
        .forEach(
            (name, service) -> {
              if (service.path("network_mode").asText("").equals("host")) {
                problems.add(name + ": network_mode host publishes every port on every interface");
              }
              for (JsonNode port : service.path("ports")) {
                boolean loopback =
                    port.isObject()
                        ? port.path("host_ip").asText("").equals("127.0.0.1")
                        : port.asText()
                            .matches("127\\.0\\.0\\.1:\\d+(-\\d+)?:\\d+(-\\d+)?(/(tcp|udp))?");
                if (!loopback) {
                  problems.add(name + ": port " + port + " is not bound to 127.0.0.1");
                }
              }
            });
    return problems;
  }

  /**
   * Values that look like secrets: a key named like a password or token with a literal value, or a
   * value shaped like a known credential; also host paths in bind mounts (only relative ones).
   */
  static List<String> secretProblems(JsonNode node, String where) {
    List<String> problems = new ArrayList<>();
    walk(
        node,
        where,
        (path, key, value) -> {
          Map<String, String> pairs = new LinkedHashMap<>();
          pairs.put(key == null ? "" : key, value);
          // A block of "key: value" lines (FLINK_PROPERTIES) is checked line by line too.
          if (value.contains("\n")) {
            for (String line : value.split("\n")) {
              int colon = line.indexOf(':');
              if (colon > 0) {
                pairs.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
              }
            }
          }
          pairs.forEach(
              (k, v) -> {
                boolean literal = !v.isEmpty() && !ENV_REFERENCE.matcher(v).matches();
                if (SECRET_KEY.matcher(k).matches() && literal) {
                  problems.add(path + ": '" + k + "' has a literal value");
                }
              });
          if (SECRET_VALUE.matcher(value).find()) {
            problems.add(path + ": value looks like a credential");
          }
        });
    services(node)
        .forEach(
            (name, service) -> {
              for (JsonNode volume : service.path("volumes")) {
                String source =
                    volume.isObject()
                        ? volume.path("source").asText()
                        : volume.asText().split(":")[0];
                if (source.startsWith("/") || source.startsWith("~")) {
                  problems.add(name + ": volume " + volume + " mounts an absolute host path");
                }
              }
            });
    return problems;
  }

  static List<String> secretProblems(Map<String, String> env, String where) {
    JsonNode node = YAML.valueToTree(env);
    return secretProblems(node, where);
  }

  interface ScalarVisitor {
    void visit(String path, String key, String value);
  }

  private static void walk(JsonNode node, String path, ScalarVisitor visitor) {
    walk(node, path, null, visitor);
  }

  private static void walk(JsonNode node, String path, String key, ScalarVisitor visitor) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), e.getKey(), visitor));
    } else if (node.isArray()) {
      int i = 0;
      for (JsonNode element : node) {
        walk(element, path + "[" + i++ + "]", key, visitor);
      }
    } else if (!node.isNull()) {
      visitor.visit(path, key, node.asText());
    }
  }

  /** FLINK_PROPERTIES of a service, "key: value" lines read as a YAML map (as the image does). */
  static Map<String, String> flinkProperties(JsonNode service) {
    JsonNode environment = service.path("environment");
    String text = environment.path("FLINK_PROPERTIES").asText("");
    Map<String, String> properties = new LinkedHashMap<>();
    if (text.isBlank()) {
      return properties;
    }
    try {
      YAML.readTree(text)
          .fields()
          .forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(colon + 1).strip().contains(" ")) {
        // The entrypoint deletes every blank of a line: "8 kb" would arrive as "8kb", "a b" as
        // "ab".
        throw new IllegalArgumentException("FLINK_PROPERTIES value with a blank: " + line);
      }
    }
    return properties;
  }
}
