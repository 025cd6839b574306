package io.personalize.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * A clean-clone suite run, 2026-12-04: Flink refused a stop-with-savepoint, restarted the job,
   * and for a few seconds its REST API still showed every task running (a cached answer); the retry
   * sent on that answer was refused too. A REST stub answers the same way: the retry must wait
   * until the job has been seen running for a while, after the restart it shows.
   */
  @Test
  void aRefusedSavepointIsTriedAgainOnlyOnceTheJobRunsSteadilyAgain() throws Exception {
    String running = "{\"RUNNING\":2}";
    // After the refusal: the cached view, then the restart, then running for good.
    List<String> afterRefusal =
        List.of(
            job("RUNNING", "RUNNING", running).toString(),
            job("RESTARTING", "CANCELING", "{\"RUNNING\":0,\"CANCELING\":2}").toString(),
            job("RUNNING", "RUNNING", "{\"RUNNING\":1,\"DEPLOYING\":1}").toString());
    String runningForGood = job("RUNNING", "RUNNING", running).toString();
    AtomicInteger jobAnswers = new AtomicInteger();
    List<Integer> jobAnswersAtStop = new ArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/jobs/j/stop",
        exchange -> {
          jobAnswersAtStop.add(jobAnswers.get());
          answer(exchange, "{\"request-id\":\"t" + jobAnswersAtStop.size() + "\"}");
        });
    server.createContext(
        "/jobs/j/savepoints/t1",
        exchange ->
            answer(
                exchange,
                "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failure-cause\":{\"stack-trace\":"
                    + "\"Caused by: ...PartialFinishingNotSupportedByStateException\"}}}"));
    server.createContext(
        "/jobs/j/savepoints/t2",
        exchange ->
            answer(
                exchange,
                "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/sp-1\"}}"));
    server.createContext(
        "/jobs/j",
        exchange -> {
          int n = jobAnswers.getAndIncrement();
          answer(exchange, n < afterRefusal.size() ? afterRefusal.get(n) : runningForGood);
        });
    server.start();
    try {
      FlinkRest rest =
          new FlinkRest(
              "http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofMillis(600));
      assertEquals("file:/sp-1", rest.stopWithSavepoint("j", "file:/sp", Duration.ofSeconds(20)));
      assertEquals(2, jobAnswersAtStop.size());
      // The retry came after the restart and the half-deployed answer, and after running answers
      // spanning the steady time (250 ms apart: at least 3).
      assertTrue(
          jobAnswersAtStop.get(1) >= afterRefusal.size() + 3,
          "the retry was sent after " + jobAnswersAtStop.get(1) + " answers of /jobs/j");
    } finally {
      server.stop(0);
    }
  }

  /**
   * Regression: {@code bin/cluster submit --savepoint PATH} with no savepoint at PATH printed the
   * REST API's whole answer, 15 KB of nested stack traces, with the reason deep inside.
   */
  @Test
  void aRefusedRequestSaysItsRootCauseInOneLine() throws Exception {
    String trace =
        "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute"
            + " application.\\n\\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler"
            + ".lambda$handleRequest$1(JarRunHandler.java:114)\\nCaused by:"
            + " org.apache.flink.util.FlinkRuntimeException: Could not execute application.\\n\\tat"
            + " org.apache.flink.client.deployment.application.DetachedApplicationRunner.run"
            + "(DetachedApplicationRunner.java:70)\\nCaused by: java.io.FileNotFoundException:"
            + " Cannot find checkpoint or savepoint file/directory 'no-such-savepoint' on file system"
            + " 'file'.\\n\\tat org.apache.flink.runtime.state.filesystem"
            + ".AbstractFsCheckpointStorageAccess.resolveCheckpointPointer"
            + "(AbstractFsCheckpointStorageAccess.java:275)\\n\\t... 5 more\\n";
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/jars/jar-1/run",
        exchange -> {
          byte[] bytes = ("{\"errors\":[\"" + trace + "\"]}").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(400, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    try {
      FlinkRest rest = new FlinkRest("http://127.0.0.1:" + server.getAddress().getPort());
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> rest.runJar("jar-1", List.of(), 1, "no-such-savepoint", false));
      assertEquals(
          "Flink REST POST /jars/jar-1/run answered 400: java.io.FileNotFoundException: Cannot"
              + " find checkpoint or savepoint file/directory 'no-such-savepoint' on file system 'file'."
              + " (the JobManager's log has the whole trace)",
          refused.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theJobsOwnReasonComesFirst() {
    assertEquals(
        "the job was not submitted (exit code 2): unknown setting personalize.model.factor",
        FlinkRest.reason(
            "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could"
                + " not execute application.\\nCaused by:"
                + " org.apache.flink.client.program.ProgramInvocationException: The main method"
                + " caused an error: the job was not submitted (exit code 2): unknown setting"
                + " personalize.model.factor\\n\\tat io.personalize.cli.JobMain.main(JobMain.java:27)"
                + "\\nCaused by: java.lang.IllegalArgumentException: the job was not submitted"
                + " (exit code 2): unknown setting personalize.model.factor\"]}"));
  }

  private static void answer(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
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
