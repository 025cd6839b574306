package io.personalize.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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
 * core/ is plain Java: its classes use the JDK and each other, nothing else (the build's enforcer
 * rule keeps libraries off its classpath; this keeps them out of its code). Every other module
 * depends on core, never the other way round.
 *
 * <p>Test classes are not imported: they live in the same packages, so with them a package whose
 * main classes were all moved away would still not be empty, and the rule would pass vacuously.
 * Rules never allow an empty "should".
 */
class PlainJavaArchitectureTest {
  static final String[] CORE_PACKAGES = {
    "io.personalize.model..",
    "io.personalize.metrics..",
    "io.personalize.online..",
    "io.personalize.state..",
    "io.personalize.validation..",
    "io.personalize.util..",
    "io.personalize.rank..",
    "io.personalize.graph..",
    "io.personalize.neighbours..",
    "io.personalize.recommend.."
  };

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.personalize");

  private static ArchRule plainJava(String... packages) {
    String[] allowed = new String[CORE_PACKAGES.length + 1];
    allowed[0] = "java..";
    System.arraycopy(CORE_PACKAGES, 0, allowed, 1, CORE_PACKAGES.length);
    return classes()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(allowed)
        .allowEmptyShould(false);
  }

  @Test
  void coreDependsOnlyOnTheJdkAndItself() {
    plainJava(CORE_PACKAGES).check(CLASSES);
  }

  /** One rule per package, so that each package on its own must be non-empty. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "io.personalize.model..",
        "io.personalize.metrics..",
        "io.personalize.online..",
        "io.personalize.state..",
        "io.personalize.validation..",
        "io.personalize.util..",
        "io.personalize.rank..",
        "io.personalize.graph..",
        "io.personalize.recommend.."
      })
  void eachCorePackageIsPresentAndPlainJava(String pkg) {
    plainJava(pkg).check(CLASSES);
  }

  @Test
  void theImportSeesTheLibraryButNotTheTests() {
    assertThat(CLASSES.contain(AdditiveModel.class)).isTrue();
    assertThat(CLASSES.contain(io.personalize.online.UserModels.class)).isTrue();
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
    // the rule above passes because there is no other dependency, not because it sees none.
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
