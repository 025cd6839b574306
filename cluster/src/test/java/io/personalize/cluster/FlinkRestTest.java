package io.personalize.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FlinkRestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A {@code /jobs/{id}} answer, cut to the fields read, with one source vertex at parallelism 2.
   */
  private static JsonNode job(String jobState, String vertexState, String tasks) throws Exception {
    return JSON.readTree(
        "{\"state\":\""
            + jobState
            + "\",\"vertices\":[{\"name\":\"Source: Kafka\",\"parallelism\":2,\"status\":\""
            + vertexState
            + "\",\"tasks\":"
            + tasks
            + "}]}");
  }

  @Test
  void aJobRunsFullyOnlyWhenEverySubtaskRuns() throws Exception {
    assertTrue(
        FlinkRest.everySubtaskRunning(
            job("RUNNING", "RUNNING", "{\"RUNNING\":2,\"FINISHED\":0,\"DEPLOYING\":0}")));
    // The states Flink aggregates to a RUNNING vertex although a subtask does not run: the
    // moment after a refused stop-with-savepoint (CI, stop 20), and a restart half deployed.
    assertFalse(
        FlinkRest.everySubtaskRunning(
            job("RUNNING", "RUNNING", "{\"RUNNING\":1,\"FINISHED\":1,\"DEPLOYING\":0}")));
    assertFalse(
        FlinkRest.everySubtaskRunning(
            job("RUNNING", "RUNNING", "{\"RUNNING\":1,\"FINISHED\":0,\"DEPLOYING\":1}")));
    assertFalse(
        FlinkRest.everySubtaskRunning(
            job("RESTARTING", "CANCELING", "{\"RUNNING\":0,\"CANCELING\":2}")));
  }

  @Test
  void aRefusalThatPassesOnceTheJobRunsAgainIsTriedAgain() {
    assertTrue(
        FlinkRest.isPassingRefusal(
            "{\"class\":\"java.util.concurrent.CompletionException\",\"stack-trace\":\"Caused by:"
                + " org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint triggering"
                + " task Source: Kafka: rescale-interactions (1/2) of job 3458e2e4 is not being"
                + " executed at the moment. Aborting checkpoint. Failure reason: Not all required"
                + " tasks are currently running.\"}"));
    assertTrue(
        FlinkRest.isPassingRefusal(
            "{\"stack-trace\":\"Caused by: org.apache.flink.runtime.checkpoint."
                + "PartialFinishingNotSupportedByStateException: ...\"}"));
    assertFalse(
        FlinkRest.isPassingRefusal(
            "{\"stack-trace\":\"java.io.IOException: No space left on device\"}"));
  }
}
