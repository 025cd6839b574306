package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployable job jar {@code mvn package} builds (an ITCase because the jar exists only after
 * the package phase): {@code flink run} finds its main class, it holds everything the job needs
 * that a Flink cluster does not have, and none of Flink itself, logging bindings, the demo's Kafka
 * broker or the command line's charts. RealClusterITCase (integration-tests) runs it on a cluster.
 */
class JobJarITCase {
  private static JarFile jar;

  @BeforeAll
  static void openJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).toList();
      assertThat(jars).as("the job jar in target/").hasSize(1);
      jar = new JarFile(jars.get(0).toFile());
    }
  }

  @Test
  void flinkRunFindsTheEntryPointInTheManifest() throws IOException {
    assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
        .isEqualTo(JobMain.class.getName());
  }

  @Test
  void holdsTheJobAndWhatAClusterDoesNotProvide() {
    assertThat(jar.stream().map(e -> e.getName()))
        .contains(
            "io/personalize/cli/JobMain.class",
            "io/personalize/job/PersonalizationTopology.class",
            "io/personalize/online/UserModels.class",
            "io/personalize/avro/InteractionEvent.class",
            "io/personalize/connectors/avro/AvroCodec.class",
            "io/personalize/serving/config/SettingFlags.class",
            "org/apache/flink/connector/kafka/source/KafkaSource.class",
            "org/apache/flink/connector/base/DeliveryGuarantee.class",
            "org/apache/flink/formats/avro/typeutils/AvroTypeInfo.class",
            "org/apache/kafka/clients/consumer/KafkaConsumer.class",
            "org/apache/avro/Schema.class",
            "picocli/CommandLine.class");
  }

  @Test
  void leavesOutFlinkItselfAndWhatOnlyOtherEntryPointsNeed() {
    List<String> forbidden =
        List.of(
            "org/apache/flink/runtime/", // flink-runtime
            "org/apache/flink/api/common/", // flink-core
            "org/apache/flink/streaming/api/environment/", // flink-streaming-java
            "org/apache/flink/state/rocksdb/", // the RocksDB state backend
            "org/apache/flink/queryablestate/", // the queryable-state runtime and client
            "org/apache/logging/", // log4j: the cluster's logging
            "org/slf4j/",
            "kafka/server/", // the demo's in-process broker
            "scala/",
            "org/knowm/xchart/", // the command line's charts
            "io/undertow/", // the serving process's HTTP server
            "io/prometheus/");
    List<String> found =
        jar.stream()
            .map(e -> e.getName())
            .filter(name -> forbidden.stream().anyMatch(name::startsWith))
            .limit(10)
            .toList();
    assertThat(found).as("entries that a cluster provides or the job does not need").isEmpty();
  }
}
