package io.personalize.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStateTest {
  private static final ClusterState STATE =
      new ClusterState(
          "127.0.0.1:9092",
          "http://127.0.0.1:8081",
          List.of(
              new ClusterProcess("kafka", 11, null),
              new ClusterProcess("jobmanager", 12, null),
              new ClusterProcess(ClusterProcess.TASKMANAGER, 13, 15717),
              new ClusterProcess(ClusterProcess.TASKMANAGER, 14, 11835)));

  @Test
  void writesItselfAndTheEndpointsTheCommandLineReads(@TempDir Path home) throws Exception {
    STATE.write(home);

    assertThat(ClusterState.read(home)).contains(STATE);
    JsonNode endpoints = ClusterState.JSON.readTree(home.resolve("endpoints.json").toFile());
    assertThat(endpoints.get("kafka").asText()).isEqualTo("127.0.0.1:9092");
    assertThat(endpoints.get("flinkRest").asText()).isEqualTo("http://127.0.0.1:8081");
    assertThat(endpoints.get("queryableStateProxy").asText()).isEqualTo("127.0.0.1:15717");
  }
}
