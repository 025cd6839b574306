package io.personalize.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.cluster.ClusterSettings;
import io.personalize.cluster.Layout;
import io.personalize.cluster.LocalCluster;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka security settings pass through to every Kafka client of the job, and the password in them
 * shows up nowhere: the job runs against a broker whose only listener requires a SASL login, with
 * the login given as {@code personalize.kafka.*} settings at submission, and afterwards no log of
 * any cluster process and no configuration view of Flink's REST API (what the web UI shows)
 * contains the password.
 */
class KafkaSecurityITCase {
  private static final String USER = "personalize";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    Path home = Path.of("target", "sasl-cluster");
    SharedCluster.deleteRecursively(home);
    cluster =
        LocalCluster.start(
            Layout.fromSystemProperty(),
            ClusterSettings.defaults(home).withFreePorts().withKafkaUsers(Map.of(USER, PASSWORD)),
            System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void theJobLogsInToASaslBrokerAndThePasswordAppearsInNoLogAndNoConfigurationView()
      throws Exception {
    Map<String, String> login = LocalCluster.kafkaClientProperties(USER, PASSWORD);
    ClusterJob job = new ClusterJob(cluster, "sasl", 2, login);
    List<String> settings = new ArrayList<>();
    login.forEach(
        (key, value) -> settings.addAll(List.of("-D", "personalize.kafka." + key + "=" + value)));
    job.submit(2, null, settings.toArray(new String[0]));

    Dataset events = SyntheticData.generate(3, 50, 40, 2_000);
    job.produce(events.interactions(), events);
    job.assertEveryEventAppliedOnce();
    assertThat(job.deadLetters()).isZero(); // the dead-letter sink logs in too
    assertThat(cluster.rest().restarts(job.jobId)).isZero();

    List<String> views =
        List.of(
            "jobmanager/config",
            "jobs/" + job.jobId + "/jobmanager/config",
            "jobs/" + job.jobId + "/config",
            "taskmanagers");
    for (String view : views) {
      assertThat(cluster.rest().get(view).toString()).as("REST " + view).doesNotContain(PASSWORD);
    }
    StringBuilder allLogs = new StringBuilder();
    try (Stream<Path> logs = Files.list(cluster.home().resolve("logs"))) {
      for (Path log : logs.toList()) {
        String text = Files.readString(log);
        assertThat(text).as(log.getFileName().toString()).doesNotContain(PASSWORD);
        allLogs.append(text);
      }
    }
    // The login did reach the job's clients, which log their settings with the secret hidden.
    assertThat(allLogs).contains("sasl.jaas.config = [hidden]");
    cluster.rest().cancel(job.jobId);
  }
}
