package io.personalize.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The calls to Flink's REST API that submitting, watching and stopping the job need. */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long a job must be seen fully running before a refused savepoint is tried again: longer
   * than Flink's REST cache of a job's state ({@code web.refresh-interval}, 3 s by default). A
   * refused stop-with-savepoint after a source subtask finished makes Flink restart the job, and
   * for up to that long the REST API still shows every task running (a clean-clone suite run,
   * 2026-12-04: attempts 3 to 5 refused, each sent into the restart).
   */
  static final Duration RUNNING_STEADY = Duration.ofSeconds(5);

  private final URI base;
  private final Duration runningSteady;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FlinkRest(String base) {
    this(base, RUNNING_STEADY);
  }

  FlinkRest(String base, Duration runningSteady) {
    this.base = URI.create(base.endsWith("/") ? base : base + "/");
    this.runningSteady = runningSteady;
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  JsonNode post(String path, JsonNode body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** Whether the REST endpoint answers at all (the JobManager is up). */
  public boolean isUp() {
    try {
      get("overview");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Uploads {@code jar} and returns the id {@code /jars/{id}/run} takes. */
  public String uploadJar(Path jar) {
    String boundary = "----personalize" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                  + jar.getFileName()
                  + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.write(Files.readAllBytes(jar));
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode answer =
        send(
            HttpRequest.newBuilder(base.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    String filename = answer.path("filename").asText();
    return filename.substring(filename.lastIndexOf('/') + 1);
  }

  /**
   * Runs the uploaded jar's main method on the JobManager, which submits the job, and returns the
   * job id. {@code savepoint} may be null (a fresh start); {@code allowNonRestoredState} drops the
   * savepoint's state of operators the job no longer has instead of refusing it.
   */
  public String runJar(
      String jarId,
      List<String> args,
      int parallelism,
      String savepoint,
      boolean allowNonRestoredState) {
    ObjectNode request = JSON.createObjectNode();
    request.putPOJO("programArgsList", args);
    request.put("parallelism", parallelism);
    if (savepoint != null) {
      request.put("savepointPath", savepoint);
      request.put("allowNonRestoredState", allowNonRestoredState);
    }
    return post("jars/" + jarId + "/run", request).path("jobid").asText();
  }

  /** The newest job that has not reached a terminal state, if any. */
  public Optional<String> activeJob() {
    return activeJobs().stream().findFirst();
  }

  /** The jobs that have not reached a terminal state, newest first. */
  public List<String> activeJobs() {
    List<String> active = new ArrayList<>();
    for (JsonNode job : get("jobs/overview").path("jobs")) {
      String state = job.path("state").asText();
      if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
        active.add(job.path("jid").asText());
      }
    }
    return active;
  }

  /** Whether the job and every one of its tasks run (a job can say RUNNING while tasks wait). */
  public boolean isFullyRunning(String jobId) {
    return everySubtaskRunning(get("jobs/" + jobId));
  }

  /**
   * Whether a {@code /jobs/{id}} answer shows the job and every subtask running. It counts
   * subtasks, not vertex states: Flink reports a vertex RUNNING while some of its subtasks have
   * finished or are still deploying.
   */
  static boolean everySubtaskRunning(JsonNode job) {
    if (!job.path("state").asText().equals("RUNNING")) {
      return false;
    }
    for (JsonNode vertex : job.path("vertices")) {
      if (vertex.path("tasks").path("RUNNING").asInt() != vertex.path("parallelism").asInt()) {
        return false;
      }
    }
    return true;
  }

  /** Waits until every task runs; fails at once, with the cause, when the job fails or restarts. */
  public void awaitFullyRunning(String jobId, Duration timeout) {
    Polling.await(
        () -> {
          Optional<String> failure = latestFailure(jobId);
          if (failure.isPresent()) {
            throw new Polling.Fatal("job " + jobId + " failed: " + failure.get());
          }
          return isFullyRunning(jobId);
        },
        timeout,
        () -> "job " + jobId + " is not running: " + get("jobs/" + jobId).path("state"));
  }

  /**
   * The root cause of the job's newest failure ({@code Caused by:} line of the innermost
   * exception), if it has failed at all.
   */
  public Optional<String> latestFailure(String jobId) {
    JsonNode entries =
        get("jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    String trace = entries.get(0).path("stacktrace").asText();
    String cause = trace.lines().findFirst().orElse("");
    for (String line : trace.lines().toList()) {
      if (line.startsWith("Caused by: ")) {
        cause = line.substring("Caused by: ".length());
      }
    }
    return Optional.of(cause);
  }

  public int taskManagers() {
    return get("overview").path("taskmanagers").asInt();
  }

  /**
   * Stops the job with a savepoint in {@code directory} (a URI) and returns the savepoint's path;
   * the job ends FINISHED. Tries again, a few times, when Flink refuses the savepoint because part
   * of a vertex with union list state finished first: that happens while the job works through a
   * backlog (docs/operations.md), and the job keeps running after it.
   */
  public String stopWithSavepoint(String jobId, String directory, Duration timeout) {
    for (int attempt = 1; ; attempt++) {
      JsonNode operation = stopWithSavepointOnce(jobId, directory, timeout);
      if (!operation.has("failure-cause")) {
        return operation.path("location").asText();
      }
      String cause = operation.path("failure-cause").toString();
      if (attempt >= REFUSED_SAVEPOINT_ATTEMPTS || !isPassingRefusal(cause)) {
        throw new IllegalStateException(
            "the savepoint of job " + jobId + " failed (attempt " + attempt + "): " + cause);
      }
      System.err.printf(
          "Flink refused the savepoint of job %s (attempt %d of %d: %s); trying again once every"
              + " task has run for %d ms%n",
          jobId,
          attempt,
          REFUSED_SAVEPOINT_ATTEMPTS,
          refusalReason(cause),
          runningSteady.toMillis());
      // Not awaitFullyRunning: the refused savepoint may stay in the job's failure history.
      Polling.awaitSteady(
          () -> isFullyRunning(jobId),
          runningSteady,
          timeout,
          () -> "job " + jobId + " did not run again after a refused savepoint: " + cause);
    }
  }

  /**
   * Refusals that pass once the job runs again. Under backlog one source subtask can finish before
   * the other acknowledged the stop, and the chained validation operator keeps union list state
   * (PartialFinishing...); a stop requested before that subtask runs again is refused because not
   * all tasks run.
   */
  static boolean isPassingRefusal(String cause) {
    return PASSING_REFUSALS.stream().anyMatch(cause::contains);
  }

  private static String refusalReason(String cause) {
    return PASSING_REFUSALS.stream().filter(cause::contains).findFirst().orElse(cause);
  }

  private static final List<String> PASSING_REFUSALS =
      List.of(
          "PartialFinishingNotSupportedByStateException",
          "Not all required tasks are currently running");
  private static final int REFUSED_SAVEPOINT_ATTEMPTS = 5;

  private JsonNode stopWithSavepointOnce(String jobId, String directory, Duration timeout) {
    ObjectNode request = JSON.createObjectNode();
    request.put("targetDirectory", directory);
    request.put("drain", false);
    String trigger = post("jobs/" + jobId + "/stop", request).path("request-id").asText();
    JsonNode[] result = new JsonNode[1];
    Polling.await(
        () -> {
          result[0] = get("jobs/" + jobId + "/savepoints/" + trigger);
          return result[0].path("status").path("id").asText().equals("COMPLETED");
        },
        timeout,
        () -> "the savepoint of job " + jobId + " did not complete: " + result[0]);
    return result[0].path("operation");
  }

  public void cancel(String jobId) {
    send(
        HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  /** The number of times the job has restarted since it was submitted. */
  public long restarts(String jobId) {
    JsonNode metrics = get("jobs/" + jobId + "/metrics?get=numRestarts");
    return metrics.isArray() && metrics.size() > 0 ? metrics.get(0).path("value").asLong() : 0;
  }

  /**
   * What a refusal's body says in one line: the job's own reason when its main method refused
   * ({@code JobMain}: "the job was not submitted ..."), else the innermost cause of its stack
   * traces ("Caused by: ..."), else its first line; the whole trace is in the JobManager's log.
   */
  static String reason(String body) {
    List<String> errors = new ArrayList<>();
    try {
      JSON.readTree(body).path("errors").forEach(error -> errors.add(error.asText()));
    } catch (IOException e) {
      // not the API's JSON error form: said as it is
    }
    if (errors.isEmpty()) {
      return body;
    }
    String innermost = null;
    for (String error : errors) {
      for (String line : error.split("\n")) {
        int refused = line.indexOf(JOB_NOT_SUBMITTED);
        if (refused >= 0) {
          return line.substring(refused);
        }
        if (line.startsWith("Caused by: ")) {
          innermost = line.substring("Caused by: ".length());
        }
      }
    }
    return innermost == null
        ? errors.get(0).lines().findFirst().orElse("")
        : innermost + " (the JobManager's log has the whole trace)";
  }

  /** How the job jar's main method ({@code io.personalize.cli.JobMain}) starts its refusals. */
  private static final String JOB_NOT_SUBMITTED = "the job was not submitted";

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            "Flink REST "
                + response.request().method()
                + " "
                + response.request().uri().getPath()
                + " answered "
                + response.statusCode()
                + ": "
                + reason(response.body()));
      }
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
