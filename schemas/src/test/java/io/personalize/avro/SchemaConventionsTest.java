package io.personalize.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParser;
import org.junit.jupiter.api.Test;

/**
 * House rules of the schemas in src/main/avro that keep them evolvable (docs/schemas.md): one named
 * type per file, one namespace, a doc on every type and field, a default on every optional field, a
 * default symbol on every enum.
 */
class SchemaConventionsTest {

  private static final Map<String, Schema> CURRENT = SchemaTestSupport.currentSchemas();

  @Test
  void everyFileDefinesExactlyTheNamedTypeItIsNamedAfter() throws IOException {
    SchemaParser parser = new SchemaParser();
    Map<Path, SchemaParser.ParseResult> results = new LinkedHashMap<>();
    for (Path file : SchemaTestSupport.schemaFiles(SchemaTestSupport.currentSchemaDir())) {
      results.put(file, parser.parse(file));
    }
    parser.getParsedNamedSchemas(); // resolves references between files
    List<String> problems = new ArrayList<>();
    results.forEach(
        (file, result) -> {
          String expected = file.getFileName().toString().replaceFirst("\\.avsc$", "");
          List<String> defined =
              result.parsedNamedSchemas().stream().map(Schema::getFullName).distinct().toList();
          if (!defined.equals(List.of(SchemaTestSupport.NAMESPACE + "." + expected))) {
            problems.add(file.getFileName() + " defines " + defined);
          }
        });
    assertThat(problems).as("one .avsc per named type, named after it").isEmpty();
  }

  @Test
  void everyTypeIsInTheProjectNamespace() {
    assertThat(CURRENT.values())
        .allSatisfy(
            s ->
                assertThat(s.getNamespace())
                    .as(s.getName())
                    .isEqualTo(SchemaTestSupport.NAMESPACE));
  }

  @Test
  void everyTypeAndEveryFieldHasADoc() {
    List<String> missing = new ArrayList<>();
    for (Schema schema : CURRENT.values()) {
      if (isBlank(schema.getDoc())) {
        missing.add(schema.getName());
      }
      if (schema.getType() == Schema.Type.RECORD) {
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            missing.add(schema.getName() + "." + field.name());
          }
        }
      }
    }
    assertThat(missing).as("types and fields without a doc").isEmpty();
  }

  /**
   * An optional field is a union with null; it must list null first and default to null, so that it
   * can be added to, or dropped from, a later version without breaking readers.
   */
  @Test
  void everyNullableFieldDefaultsToNull() {
    List<String> problems = new ArrayList<>();
    for (Schema schema : CURRENT.values()) {
      if (schema.getType() != Schema.Type.RECORD) {
        continue;
      }
      for (Schema.Field field : schema.getFields()) {
        if (!field.schema().isNullable()) {
          continue;
        }
        String name = schema.getName() + "." + field.name();
        if (field.schema().getType() != Schema.Type.UNION) {
          problems.add(name + " is of type null");
        } else if (field.schema().getTypes().get(0).getType() != Schema.Type.NULL) {
          problems.add(name + " is a union with null not first: " + field.schema());
        } else if (!field.hasDefaultValue() || field.defaultVal() != JsonProperties.NULL_VALUE) {
          problems.add(name + " has no default null");
        }
      }
    }
    assertThat(problems).as("nullable fields").isEmpty();
  }

  @Test
  void everyEnumHasADefaultSymbol() {
    assertThat(CURRENT.values())
        .filteredOn(s -> s.getType() == Schema.Type.ENUM)
        .isNotEmpty()
        .allSatisfy(
            s ->
                assertThat(s.getEnumDefault())
                    .as(
                        "%s needs a default symbol so old readers accept appended symbols",
                        s.getName())
                    .isNotNull()
                    .isIn(s.getEnumSymbols()));
  }

  /**
   * Every current type compiles to a class of the same name whose encoder writes the fingerprint of
   * the .avsc file: a consumer can register a schema-history file as a known writer schema.
   */
  @Test
  void everySchemaFileHasTheFingerprintOfItsGeneratedClass() throws Exception {
    for (Schema schema : CURRENT.values()) {
      Class<?> generated = Class.forName(schema.getFullName());
      Schema classSchema = (Schema) generated.getMethod("getClassSchema").invoke(null);
      assertThat(SchemaNormalization.parsingFingerprint64(classSchema))
          .as(schema.getName())
          .isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
