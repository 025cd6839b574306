package io.personalize.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.demo.OperatorCounters;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;

/**
 * Reads a job's health from the Flink REST API, as an operator would: its status, whether every
 * vertex runs, its failures (the exception history: a job whose TaskManager died may still say
 * RUNNING), and its completed checkpoints.
 */
final class FlinkRest {
  private final OperatorCounters rest;
  private final JobID job;

  FlinkRest(int port, JobID job) {
    this.rest = new OperatorCounters(port, job);
    this.job = job;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return rest.get(path);
  }

  String status() throws IOException, InterruptedException {
    return get("/jobs/" + job).path("state").asText();
  }

  /** Whether every vertex of the job is RUNNING. */
  boolean allVerticesRunning() throws IOException, InterruptedException {
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      if (!"RUNNING".equals(vertex.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  /** Failures of the job so far (each is a restart of some of its tasks). */
  int failures() throws IOException, InterruptedException {
    return get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries").size();
  }

  /** Completed checkpoints so far. */
  long completedCheckpoints() throws IOException, InterruptedException {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
  }

  /**
   * The sum over every subtask of every vertex of the operator metrics whose name ends with {@code
   * suffix} (0 when none is reported yet).
   */
  long operatorMetricSum(String suffix) throws IOException, InterruptedException {
    return rest.sum(suffix);
  }

  /** Polls until {@code condition} holds or {@code timeout} passes; returns whether it held. */
  boolean await(Predicate<FlinkRest> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.test(this)) {
        return true;
      }
      // REST has no push: poll with a short pause, bounded by the deadline.
      java.util.concurrent.TimeUnit.MILLISECONDS.sleep(200);
    }
    return condition.test(this);
  }
}
