package io.personalize.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaParser;

/**
 * Loads the current schemas ({@code src/main/avro}) and the frozen wire-format versions ({@code
 * schema-history/vN} on the test classpath), and checks reader/writer compatibility between them.
 */
final class SchemaTestSupport {

  static final String NAMESPACE = "io.personalize.avro";

  private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]*)");

  private SchemaTestSupport() {}

  /** The directory of the current schemas, the one the avro-maven-plugin compiles. */
  static Path currentSchemaDir() {
    return Path.of(System.getProperty("basedir", ".")).resolve("src/main/avro");
  }

  /** The {@code schema-history} directory on the test classpath. */
  static Path historyDir() {
    URL url = SchemaTestSupport.class.getResource("/schema-history");
    if (url == null) {
      throw new IllegalStateException("schema-history is missing from the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The current schemas by full name, one per {@code .avsc} file. */
  static Map<String, Schema> currentSchemas() {
    return parseDirectory(currentSchemaDir());
  }

  /** Every historical version of the wire format: version number to schemas by full name. */
  static SortedMap<Integer, Map<String, Schema>> history() {
    SortedMap<Integer, Map<String, Schema>> versions = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(historyDir())) {
      for (Path dir : dirs.filter(Files::isDirectory).collect(Collectors.toList())) {
        Matcher m = VERSION_DIR.matcher(dir.getFileName().toString());
        if (!m.matches()) {
          throw new IllegalStateException(
              "schema-history may only contain directories v1, v2, ...; found " + dir);
        }
        versions.put(Integer.parseInt(m.group(1)), parseDirectory(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }

  /**
   * The {@code .avsc} files of a directory in the order to parse them: enums first, then by name.
   * Avro checks a field's default when it parses the field, which fails for an enum-typed field
   * whose enum is not parsed yet.
   */
  static List<Path> schemaFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".avsc"))
          .sorted(
              Comparator.comparing((Path p) -> !isEnum(p)).thenComparing(Comparator.naturalOrder()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isEnum(Path file) {
    try {
      return "enum".equals(new ObjectMapper().readTree(file.toFile()).path("type").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Parses every {@code .avsc} file of a directory with one parser, so a file may refer to a named
   * type defined in another file regardless of order; returns every named type by full name.
   */
  static Map<String, Schema> parseDirectory(Path dir) {
    SchemaParser parser = new SchemaParser();
    for (Path file : schemaFiles(dir)) {
      try {
        parser.parse(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    Map<String, Schema> byName = new LinkedHashMap<>();
    for (Schema schema : parser.getParsedNamedSchemas()) {
      byName.put(schema.getFullName(), schema);
    }
    if (byName.isEmpty()) {
      throw new IllegalStateException("no .avsc files in " + dir);
    }
    return byName;
  }

  /**
   * Checks that data written with {@code writer} can be read with {@code reader}; returns an empty
   * list when it can, else one readable line per incompatibility.
   */
  static List<String> incompatibilities(Schema reader, Schema writer) {
    SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return pair.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .toList();
  }

  /**
   * Checks an old version of a type against its current schema: the current schema reads data
   * written with the old one (backward), the old one reads data written with the current one
   * (forward), and every enum reachable from the old schema kept its symbols as a prefix of the
   * current ones (symbols only appended; Avro's check alone lets a symbol be dropped when the
   * reader has an enum default). Returns an empty list when all hold, else one message per broken
   * rule naming the type, the version and the incompatibilities.
   */
  static List<String> checkEvolution(String label, Schema current, Schema old) {
    List<String> failures = new ArrayList<>();
    List<String> backward = incompatibilities(current, old);
    if (!backward.isEmpty()) {
      failures.add(
          label
              + ": BACKWARD broken, the current schema cannot read data written with the old one: "
              + backward);
    }
    List<String> forward = incompatibilities(old, current);
    if (!forward.isEmpty()) {
      failures.add(
          label
              + ": FORWARD broken, the old schema cannot read data written with the current one: "
              + forward);
    }
    Map<String, Schema> currentTypes = namedTypes(current);
    for (Schema oldEnum : namedTypes(old).values()) {
      if (oldEnum.getType() != Schema.Type.ENUM) {
        continue;
      }
      Schema currentEnum = currentTypes.get(oldEnum.getFullName());
      if (currentEnum == null) {
        continue; // the enum is no longer used here: the checks above report what that breaks
      }
      List<String> oldSymbols = oldEnum.getEnumSymbols();
      List<String> currentSymbols = currentEnum.getEnumSymbols();
      if (currentSymbols.size() < oldSymbols.size()
          || !currentSymbols.subList(0, oldSymbols.size()).equals(oldSymbols)) {
        failures.add(
            label
                + ": ENUM_SYMBOLS_NOT_APPENDED in "
                + oldEnum.getFullName()
                + ", the current symbols "
                + currentSymbols
                + " must start with the old symbols "
                + oldSymbols);
      }
    }
    return failures;
  }

  /** Every named type reachable from a schema (itself included), each once. */
  static Map<String, Schema> namedTypes(Schema schema) {
    Map<String, Schema> seen = new LinkedHashMap<>();
    collectNamed(schema, seen);
    return seen;
  }

  private static void collectNamed(Schema schema, Map<String, Schema> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(f -> collectNamed(f.schema(), seen));
        }
      }
      case ENUM, FIXED -> seen.putIfAbsent(schema.getFullName(), schema);
      case ARRAY -> collectNamed(schema.getElementType(), seen);
      case MAP -> collectNamed(schema.getValueType(), seen);
      case UNION -> schema.getTypes().forEach(t -> collectNamed(t, seen));
      default -> {}
    }
  }

  /**
   * The JSON of a schema without its {@code doc} attributes: what matters on the wire and for
   * resolution (names, types, order, defaults, aliases, properties).
   */
  static JsonNode withoutDocs(Schema schema) {
    try {
      JsonNode tree = new ObjectMapper().readTree(schema.toString());
      stripDocs(tree);
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stripDocs(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("doc");
    }
    node.forEach(SchemaTestSupport::stripDocs);
  }

  /** A copy of a record schema with one more field at the end. */
  static Schema withExtraField(Schema record, Schema.Field extra) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(extra);
    return copyRecord(record, fields);
  }

  /** A copy of a record schema with the given field list. */
  static Schema copyRecord(Schema record, List<Schema.Field> fields) {
    Schema copy =
        Schema.createRecord(
            record.getName(), record.getDoc(), record.getNamespace(), record.isError(), fields);
    record.getObjectProps().forEach(copy::addProp);
    return copy;
  }
}
