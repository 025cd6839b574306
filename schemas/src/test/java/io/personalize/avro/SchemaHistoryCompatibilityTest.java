package io.personalize.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The current schemas against every frozen version in {@code schema-history/vN}: the current schema
 * must read data written with each old version (backward), and each old version must read data
 * written with the current schema (forward).
 */
class SchemaHistoryCompatibilityTest {

  private static final Map<String, Schema> CURRENT = SchemaTestSupport.currentSchemas();
  private static final SortedMap<Integer, Map<String, Schema>> HISTORY =
      SchemaTestSupport.history();

  @TestFactory
  Stream<DynamicTest> currentSchemasAreCompatibleWithEveryHistoricalVersionInBothDirections() {
    List<DynamicTest> tests = new ArrayList<>();
    HISTORY.forEach(
        (version, schemas) ->
            schemas.forEach(
                (name, old) -> {
                  String label = "v" + version + "/" + old.getName();
                  tests.add(
                      DynamicTest.dynamicTest(
                          label,
                          () -> {
                            assertThat(CURRENT)
                                .as(
                                    "%s: type %s was removed from src/main/avro; removing a wire"
                                        + " type is a breaking change",
                                    label, name)
                                .containsKey(name);
                            assertThat(
                                    SchemaTestSupport.checkEvolution(label, CURRENT.get(name), old))
                                .as("%s is not compatible with the current %s", label, name)
                                .isEmpty();
                          }));
                }));
    return tests.stream();
  }

  @Test
  void historyVersionsAreNumberedWithoutGaps() {
    assertThat(HISTORY).as("schema-history must contain at least v1").isNotEmpty();
    assertThat(HISTORY.keySet())
        .as("schema-history directories must be v1, v2, ... without gaps")
        .containsExactlyElementsOf(IntStream.rangeClosed(1, HISTORY.size()).boxed().toList());
  }

  /**
   * The newest history version is a copy of the current schemas (docs aside): a change to
   * src/main/avro must come with a new schema-history/vN directory, so the next change is checked
   * against it.
   */
  @Test
  void newestHistoryVersionIsACopyOfTheCurrentSchemas() {
    int newest = HISTORY.lastKey();
    Map<String, Schema> frozen = HISTORY.get(newest);
    String hint =
        "src/main/avro differs from schema-history/v"
            + newest
            + "; if the change is intended, copy every .avsc of src/main/avro into a new"
            + " schema-history/v"
            + (newest + 1)
            + " (see docs/schemas.md)";
    assertThat(frozen.keySet()).as(hint).containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
    CURRENT.forEach(
        (name, current) ->
            assertThat(SchemaTestSupport.withoutDocs(frozen.get(name)))
                .as("%s: %s", name, hint)
                .isEqualTo(SchemaTestSupport.withoutDocs(current)));
  }
}
