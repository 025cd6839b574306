package io.personalize.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;

/**
 * Reads a running job's operator counters from the Flink REST API: the sum over every subtask of
 * every vertex of the metrics whose id ends with a suffix. REST serves what its metric fetcher last
 * fetched ({@code metrics.fetcher.update-interval}; the demo sets 500 ms).
 */
public final class OperatorCounters {
  private final RestApi rest;
  private final JobID job;

  public OperatorCounters(int restPort, JobID job) {
    this("http://127.0.0.1:" + restPort, job);
  }

  /**
   * @param rest the REST API's address, e.g. {@code http://127.0.0.1:8081}
   */
  public OperatorCounters(String rest, JobID job) {
    this.rest = new RestApi(rest);
    this.job = job;
  }

  /** The sum of the counters whose id ends with {@code suffix}; 0 while none is reported. */
  public long sum(String suffix) throws IOException, InterruptedException {
    return sum(id -> id.endsWith(suffix));
  }

  /** The sum of the counters whose id {@code selected} takes; 0 while none is reported. */
  public long sum(Predicate<String> selected) throws IOException, InterruptedException {
    long sum = 0;
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
      for (JsonNode metric : get(path + "/subtasks/metrics")) {
        String id = metric.path("id").asText();
        if (selected.test(id)) {
          JsonNode value =
              get(
                  path
                      + "/subtasks/metrics?agg=sum&get="
                      + URLEncoder.encode(id, StandardCharsets.UTF_8));
          sum += value.path(0).path("sum").asLong();
        }
      }
    }
    return sum;
  }

  /** GET of a REST path ("/jobs/..."), parsed; an error status is an IOException. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    return rest.get(path);
  }
}
