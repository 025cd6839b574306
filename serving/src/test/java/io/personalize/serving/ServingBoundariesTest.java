package io.personalize.serving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The serving module answers with no Flink runtime: its classes use flink-core, the queryable-state
 * client and the plain Kafka client only, never the runtime, the DataStream API, a Flink connector
 * or the Kafka broker. (StateLookupITCase checks the same on the classpath the query command really
 * runs on.)
 */
class ServingBoundariesTest {
  @Test
  void servingUsesNoFlinkRuntime() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.personalize.serving");
    noClasses()
        .that()
        .resideInAPackage("io.personalize.serving..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink.runtime..",
            "org.apache.flink.streaming..",
            "org.apache.flink.connector..",
            "kafka..",
            "org.apache.kafka.server..")
        .allowEmptyShould(false)
        .check(classes);
  }
}
