package io.personalize.it.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Dockerfile reader for tests, enough for the files in {@code docker/} (Docker cannot run
 * on the build machines, and no Dockerfile parser on Maven Central is worth a dependency). It
 * follows the Dockerfile reference where these files need it and refuses what it does not handle:
 *
 * <ul>
 *   <li>A line whose first non-blank character is {@code #} is a comment, also inside a continued
 *       instruction (Docker drops those too). Blank lines are skipped.
 *   <li>A line ending in {@code \} continues on the next line; the backslash and line break are
 *       removed, as Docker does. Only the default escape character: an {@code # escape=} directive
 *       is refused, and so are heredocs ({@code <<EOF}).
 *   <li>An instruction is its keyword (any case, one of {@link #KEYWORDS}, else an error) and its
 *       arguments: leading {@code --name=value} flags of FROM, COPY, ADD, RUN and HEALTHCHECK, then
 *       either a JSON array (exec form) or words split on whitespace. Quotes are not interpreted.
 *   <li>{@code FROM image [AS name]} starts a stage; {@code ARG name[=default]} before the first
 *       FROM is global (usable in FROM lines), inside a stage it is the stage's. {@link
 *       Stage#expand} substitutes {@code ${NAME}} and {@code $NAME} with the defaults in scope.
 * </ul>
 */
final class Dockerfile {
  /** Every instruction of the Dockerfile reference (MAINTAINER, deprecated, is not accepted). */
  static final Set<String> KEYWORDS =
      Set.of(
          "FROM",
          "RUN",
          "CMD",
          "LABEL",
          "EXPOSE",
          "ENV",
          "ADD",
          "COPY",
          "ENTRYPOINT",
          "VOLUME",
          "USER",
          "WORKDIR",
          "ARG",
          "ONBUILD",
          "STOPSIGNAL",
          "HEALTHCHECK",
          "SHELL");

  private static final Set<String> WITH_FLAGS = Set.of("FROM", "COPY", "ADD", "RUN", "HEALTHCHECK");
  private static final Pattern FLAG = Pattern.compile("--([a-z-]+)(?:=(\\S*))?");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern HEREDOC = Pattern.compile("<<-?[\"']?[A-Za-z_]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its first line (1-based), keyword (upper case), flags and arguments. */
  record Instruction(
      int line, String keyword, Map<String, String> flags, List<String> args, String text) {
    /** The exec (JSON) form was used: {@link #args} are its elements. */
    boolean execForm() {
      return text.startsWith("[");
    }
  }

  /** A stage: its FROM instruction and the instructions up to the next FROM. */
  record Stage(
      int index,
      String image,
      Optional<String> name,
      Map<String, String> args,
      List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** {@code text} with the ARG defaults of this stage substituted; unknown names stay. */
    String expand(String text) {
      return Dockerfile.expand(text, args);
    }

    /** The stage's WORKDIR (the last one), or "/" when it sets none. */
    String workdir() {
      List<Instruction> dirs = all("WORKDIR");
      return dirs.isEmpty() ? "/" : dirs.get(dirs.size() - 1).args().get(0);
    }
  }

  final Map<String, String> globalArgs;
  final List<Stage> stages;

  private Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {
    this.globalArgs = globalArgs;
    this.stages = stages;
  }

  static Dockerfile read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  Optional<Stage> stage(String name) {
    return stages.stream().filter(s -> s.name().equals(Optional.of(name))).findFirst();
  }

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} naming the line on what it
   * refuses.
   */
  static Dockerfile parse(String text) {
    List<Instruction> instructions = instructions(text);
    Map<String, String> globalArgs = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    Map<String, String> stageArgs = null;
    List<Instruction> current = null;
    for (Instruction instruction : instructions) {
      switch (instruction.keyword()) {
        case "FROM" -> {
          List<String> args = instruction.args();
          boolean named = args.size() == 3 && args.get(1).equalsIgnoreCase("AS");
          if (args.size() != 1 && !named) {
            throw new IllegalArgumentException(
                "line " + instruction.line() + ": FROM takes an image and an optional AS name");
          }
          stageArgs = new LinkedHashMap<>();
          current = new ArrayList<>();
          stages.add(
              new Stage(
                  stages.size(),
                  expand(args.get(0), globalArgs),
                  named ? Optional.of(args.get(2)) : Optional.empty(),
                  stageArgs,
                  current));
        }
        case "ARG" -> {
          for (String arg : instruction.args()) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            // Inside a stage, ARG NAME without a default takes the global default, as in Docker.
            String value = eq < 0 ? globalArgs.get(name) : arg.substring(eq + 1);
            (stageArgs == null ? globalArgs : stageArgs).put(name, value);
          }
        }
        default -> {
          if (current == null) {
            throw new IllegalArgumentException(
                "line " + instruction.line() + ": only ARG may come before the first FROM");
          }
        }
      }
      if (current != null) {
        current.add(instruction);
      }
    }
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("no FROM");
    }
    return new Dockerfile(globalArgs, stages);
  }

  /** The logical lines: comments and blank lines dropped, continuations joined. */
  static List<Instruction> instructions(String text) {
    List<Instruction> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder pending = null;
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (pending == null
          && i == 0
          && trimmed.toLowerCase(Locale.ROOT).matches("#\\s*escape\\s*=.*")) {
        throw new IllegalArgumentException("line 1: escape directives are not supported");
      }
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (pending == null) {
        pending = new StringBuilder();
        start = i + 1;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(line, 0, line.lastIndexOf('\\')).append(' ');
        continue;
      }
      pending.append(line);
      out.add(instruction(start, pending.toString().strip()));
      pending = null;
    }
    if (pending != null) {
      throw new IllegalArgumentException("line " + start + ": continued past the end of the file");
    }
    return out;
  }

  private static Instruction instruction(int line, String logical) {
    String[] split = logical.split("\\s+", 2);
    String keyword = split[0].toUpperCase(Locale.ROOT);
    if (!KEYWORDS.contains(keyword)) {
      throw new IllegalArgumentException("line " + line + ": unknown instruction " + split[0]);
    }
    String rest = split.length > 1 ? split[1].strip() : "";
    if (HEREDOC.matcher(rest).find()) {
      throw new IllegalArgumentException("line " + line + ": heredocs are not supported");
    }
    Map<String, String> flags = new LinkedHashMap<>();
    if (WITH_FLAGS.contains(keyword)) {
      Matcher flag;
      while ((flag = FLAG.matcher(rest)).lookingAt()) {
        flags.put(flag.group(1), flag.group(2) == null ? "" : flag.group(2));
        rest = rest.substring(flag.end()).strip();
      }
    }
    List<String> args;
    if (rest.startsWith("[")) {
      try {
        args = JSON.readValue(rest, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new IllegalArgumentException("line " + line + ": malformed JSON array: " + rest, e);
      }
    } else {
      args = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
    }
    return new Instruction(line, keyword, flags, args, rest);
  }

  static String expand(String text, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = values.get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
