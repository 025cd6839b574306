package io.personalize;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The boundaries inside flink-jobs and toward the other modules: the evaluator is plain Java like
 * core (no Flink, no Kafka), the job does not reach into the command line or the demo, and nothing
 * here reaches into the serving module's internals except the demo's lookup client.
 */
class ModuleBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.personalize");

  @Test
  void theEvaluatorIsPlainJava() {
    noClasses()
        .that()
        .resideInAPackage("io.personalize.eval..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..", "io.personalize.job..")
        .allowEmptyShould(false)
        .check(CLASSES);
  }

  @Test
  void theJobDoesNotDependOnTheCommandLineOrTheDemo() {
    noClasses()
        .that()
        .resideInAPackage("io.personalize.job..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.personalize.cli..", "io.personalize.demo..", "io.personalize.serving..")
        .allowEmptyShould(false)
        .check(CLASSES);
  }

  @Test
  void coreAndConnectorsDoNotDependOnTheJob() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.personalize.model..",
            "io.personalize.online..",
            "io.personalize.connectors..",
            "io.personalize.serving..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.personalize.job..",
            "io.personalize.eval..",
            "io.personalize.cli..",
            "io.personalize.demo..")
        .allowEmptyShould(false)
        .check(CLASSES);
  }
}
