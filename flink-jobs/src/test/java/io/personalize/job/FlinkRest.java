package io.personalize.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;

/**
 * Reads a job's health from the Flink REST API, as an operator would: its status, whether every
 * vertex runs, its failures (the exception history: a job whose TaskManager died may still say
 * RUNNING), and its completed checkpoints.
 */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final JobID job;

  FlinkRest(int port, JobID job) {
    this.base = "http://127.0.0.1:" + port;
    this.job = job;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
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
    long sum = 0;
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      String base = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
      for (JsonNode metric : get(base + "/subtasks/metrics")) {
        String id = metric.path("id").asText();
        if (id.endsWith(suffix)) {
          JsonNode value = get(base + "/subtasks/metrics?agg=sum&get=" + id);
          sum += value.get(0).path("sum").asLong();
        }
      }
    }
    return sum;
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
