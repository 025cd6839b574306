package io.personalize.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Proves that the check used by {@link SchemaHistoryCompatibilityTest} catches breaking changes and
 * lets safe ones through, on schema variants built programmatically from the current ones.
 */
class CompatibilityCheckerTest {

  private static final Schema CURRENT = InteractionEvent.getClassSchema();

  @Test
  void addingAFieldWithoutDefaultIsIncompatible() {
    Schema next =
        SchemaTestSupport.withExtraField(
            CURRENT,
            new Schema.Field("compatibilityProbe", Schema.create(Schema.Type.STRING), "Probe."));

    // Current reader, new writer: the extra writer field is skipped, so this direction holds.
    assertThat(check(CURRENT, next)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    // New reader, old writer: the reader has no value for compatibilityProbe.
    assertThat(check(next, CURRENT)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(next, CURRENT)
                .getResult()
                .getIncompatibilities())
        .extracting(SchemaCompatibility.Incompatibility::getType)
        .containsExactly(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);

    // The history test would fail, naming the type and the incompatibility.
    assertThat(SchemaTestSupport.checkEvolution("v1/InteractionEvent", next, CURRENT))
        .singleElement(STRING)
        .contains(
            "v1/InteractionEvent",
            "BACKWARD",
            "READER_FIELD_MISSING_DEFAULT",
            "compatibilityProbe");
  }

  @Test
  void addingAFieldWithADefaultIsCompatible() {
    Schema next =
        SchemaTestSupport.withExtraField(
            CURRENT,
            new Schema.Field(
                "compatibilityProbe",
                Schema.createUnion(
                    Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "Probe; null when unset.",
                JsonProperties.NULL_VALUE));

    assertThat(check(CURRENT, next)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(check(next, CURRENT)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaTestSupport.checkEvolution("v1/InteractionEvent", next, CURRENT)).isEmpty();
  }

  @Test
  void removingAFieldWithoutDefaultBreaksForward() {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : CURRENT.getFields()) {
      if (!f.name().equals("value")) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    Schema next = SchemaTestSupport.copyRecord(CURRENT, fields);

    assertThat(SchemaTestSupport.checkEvolution("v1/InteractionEvent", next, CURRENT))
        .singleElement(STRING)
        .contains("FORWARD", "READER_FIELD_MISSING_DEFAULT", "value");
  }

  @Test
  void renamingAFieldIsIncompatibleUnlessTheOldNameIsAnAlias() {
    Schema renamed = renameField(CURRENT, "value", "score", false);
    assertThat(SchemaTestSupport.checkEvolution("v1/InteractionEvent", renamed, CURRENT))
        .hasSize(2);

    // An alias lets the new reader find the old writer's field; old readers still break.
    Schema aliased = renameField(CURRENT, "value", "score", true);
    assertThat(check(aliased, CURRENT)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(check(CURRENT, aliased)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void changingTheTypeOfAFieldIsIncompatible() {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : CURRENT.getFields()) {
      Schema type = f.name().equals("value") ? Schema.create(Schema.Type.STRING) : f.schema();
      fields.add(new Schema.Field(f, type));
    }
    Schema next = SchemaTestSupport.copyRecord(CURRENT, fields);

    assertThat(SchemaTestSupport.checkEvolution("v1/InteractionEvent", next, CURRENT))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("TYPE_MISMATCH"));
  }

  @Test
  void appendingAnEnumSymbolIsCompatibleThanksToTheEnumDefault() {
    Schema current = EventType.getClassSchema();
    Schema next = withSymbols(current, appended(current.getEnumSymbols(), "SHARE"), "VIEW");

    assertThat(SchemaTestSupport.checkEvolution("v1/EventType", next, current)).isEmpty();

    // Without a default in the old reader, an old consumer could not read the new symbol.
    Schema oldWithoutDefault = withSymbols(current, current.getEnumSymbols(), null);
    assertThat(check(oldWithoutDefault, next)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void removingAnEnumSymbolIsCaughtAlthoughAvroAcceptsItWhenTheReaderHasADefault() {
    Schema current = EventType.getClassSchema();
    List<String> symbols = new ArrayList<>(current.getEnumSymbols());
    symbols.remove("PURCHASE");
    Schema next = withSymbols(current, symbols, "VIEW");

    // Avro resolves the unknown PURCHASE of old data to the reader default VIEW: "compatible",
    // but old purchases would silently become views.
    assertThat(check(next, current)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaTestSupport.checkEvolution("v1/EventType", next, current))
        .singleElement(STRING)
        .contains("v1/EventType", "ENUM_SYMBOLS_NOT_APPENDED", "PURCHASE");

    // Inserting a symbol in the middle is caught the same way, also inside a record.
    List<String> inserted = new ArrayList<>(current.getEnumSymbols());
    inserted.add(1, "SHARE");
    Schema reordered = withSymbols(current, inserted, "VIEW");
    assertThat(
            SchemaTestSupport.checkEvolution(
                "v1/InteractionEvent", replaceFieldType(CURRENT, "eventType", reordered), CURRENT))
        .singleElement(STRING)
        .contains("ENUM_SYMBOLS_NOT_APPENDED", "io.personalize.avro.EventType");
  }

  @Test
  void changingTheFieldsOfANestedRecordIsCaughtThroughTheEnclosingRecord() {
    Schema checkpoint = GradientCheckpoint.getClassSchema();
    Schema delta = ItemParameterDelta.getClassSchema();
    Schema nextDelta =
        SchemaTestSupport.withExtraField(
            delta, new Schema.Field("source", Schema.create(Schema.Type.STRING), "Source."));
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : checkpoint.getFields()) {
      Schema type = f.name().equals("itemDeltas") ? Schema.createArray(nextDelta) : f.schema();
      fields.add(new Schema.Field(f, type));
    }
    Schema next = SchemaTestSupport.copyRecord(checkpoint, fields);

    assertThat(SchemaTestSupport.checkEvolution("v1/GradientCheckpoint", next, checkpoint))
        .singleElement(STRING)
        .contains("BACKWARD", "READER_FIELD_MISSING_DEFAULT", "source");
  }

  private static SchemaCompatibilityType check(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
  }

  private static Schema replaceFieldType(Schema record, String name, Schema type) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      fields.add(new Schema.Field(f, f.name().equals(name) ? type : f.schema()));
    }
    return SchemaTestSupport.copyRecord(record, fields);
  }

  private static Schema renameField(Schema record, String from, String to, boolean alias) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      if (f.name().equals(from)) {
        Schema.Field renamed = new Schema.Field(to, f.schema(), f.doc());
        if (alias) {
          renamed.addAlias(from);
        }
        fields.add(renamed);
      } else {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return SchemaTestSupport.copyRecord(record, fields);
  }

  private static List<String> appended(List<String> symbols, String symbol) {
    List<String> result = new ArrayList<>(symbols);
    result.add(symbol);
    return result;
  }

  private static Schema withSymbols(Schema enumSchema, List<String> symbols, String defaultSymbol) {
    return Schema.createEnum(
        enumSchema.getName(),
        enumSchema.getDoc(),
        enumSchema.getNamespace(),
        symbols,
        defaultSymbol);
  }
}
