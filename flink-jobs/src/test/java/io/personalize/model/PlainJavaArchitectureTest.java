package io.personalize.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model library, the metrics and the evaluator are plain Java: the Flink jobs and the Kafka
 * connectors depend on them, never the other way round.
 *
 * <p>Test classes are not imported: they live in the same packages, so with them a package whose
 * main classes were all moved away would still not be empty, and the rule would pass vacuously.
 * Rules never allow an empty "should" (ArchUnit's default, set explicitly so that an {@code
 * archunit.properties} cannot turn it off).
 */
class PlainJavaArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.personalize");

  private static ArchRule plainJava(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
        .allowEmptyShould(false);
  }

  @Test
  void modelMetricsAndEvalDoNotDependOnFlinkOrKafka() {
    plainJava(
            "io.personalize.model..",
            "io.personalize.metrics..",
            "io.personalize.eval..",
            "io.personalize.stream..")
        .check(CLASSES);
  }

  /** One rule per package, so that each package on its own must be non-empty. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "io.personalize.model..",
        "io.personalize.metrics..",
        "io.personalize.eval..",
        "io.personalize.stream.."
      })
  void eachPlainJavaPackageIsPresentAndFreeOfFlinkAndKafka(String pkg) {
    plainJava(pkg).check(CLASSES);
  }

  @Test
  void theImportSeesTheLibraryButNotTheTests() {
    assertThat(CLASSES.contain(AdditiveModel.class)).isTrue();
    assertThat(CLASSES.contain(io.personalize.model.features.ItemFeatureTable.class)).isTrue();
    assertThat(CLASSES.contain(PlainJavaArchitectureTest.class)).isFalse();
  }

  @Test
  void ruleFailsOnAnEmptyPackage() {
    assertThatThrownBy(() -> plainJava("io.personalize.nosuchpackage..").check(CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("failed to check any classes");
  }

  @Test
  void ruleOfTheSameShapeSeesTheLibrarysDependencies() {
    // The model does use java.util (Arrays, List): the same rule against it must report that, so
    // the rule above passes because there is no Flink or Kafka dependency, not because it sees
    // none.
    ArchRule usesJavaUtil =
        noClasses()
            .that()
            .resideInAPackage("io.personalize.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.util..");
    assertThatThrownBy(() -> usesJavaUtil.check(CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.util.Arrays");
  }
}
