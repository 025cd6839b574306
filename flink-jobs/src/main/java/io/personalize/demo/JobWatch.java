package io.personalize.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * Watches a kept-running job until it ends, and says so when it fails over: a status other than
 * RUNNING or a new entry in its exception history, read from the Flink REST API. A job whose
 * TaskManager died can still report RUNNING, so the exception history is what tells.
 */
public final class JobWatch {
  private static final Duration POLL = Duration.ofSeconds(5);

  private final JobClient client;
  private final String rest;
  private final PrintStream out;
  private final RestApi api;

  public JobWatch(JobClient client, String rest, PrintStream out) {
    this.client = client;
    this.rest = rest;
    this.api = new RestApi(rest);
    this.out = out;
  }

  /**
   * Returns when the job has reached a terminal state (or the thread is interrupted), and says
   * which.
   */
  void untilTerminated() throws Exception {
    untilTerminated(Duration.ZERO, Optional::empty);
  }

  /**
   * {@link #untilTerminated()}, and every {@code interval} (when positive) prints the line {@code
   * progress} gives, if it gives one.
   */
  public void untilTerminated(Duration interval, Callable<Optional<String>> progress)
      throws Exception {
    boolean reports = interval.compareTo(Duration.ZERO) > 0;
    long sleepMillis = reports ? Math.min(POLL.toMillis(), interval.toMillis()) : POLL.toMillis();
    long nextReport = System.nanoTime() + interval.toNanos();
    int exceptionsSeen = 0;
    String lastStatus = "RUNNING";
    Optional<String> ended;
    while ((ended = ended(client)).isEmpty()) {
      try {
        JsonNode job = get("/jobs/" + client.getJobID());
        String status = job.path("state").asText();
        if (!status.equals(lastStatus)) {
          out.printf("the job is %s%n", status);
          lastStatus = status;
        }
        JsonNode exceptions = get("/jobs/" + client.getJobID() + "/exceptions");
        int count = exceptions.path("exceptionHistory").path("entries").size();
        if (count > exceptionsSeen) {
          out.printf(
              "the job failed over (%d failures so far): %s%n",
              count,
              exceptions
                  .path("exceptionHistory")
                  .path("entries")
                  .get(0)
                  .path("exceptionName")
                  .asText());
          exceptionsSeen = count;
        }
      } catch (IOException e) {
        out.println("cannot read the job's status from " + rest + ": " + e.getMessage());
      }
      if (reports && System.nanoTime() >= nextReport) {
        nextReport = System.nanoTime() + interval.toNanos();
        progress.call().ifPresent(out::println);
      }
      TimeUnit.MILLISECONDS.sleep(sleepMillis);
    }
    if (!ended.get().equals("is " + lastStatus)) {
      out.println("the job " + ended.get());
    }
  }

  /**
   * How the job ended ("is FINISHED", ...), or empty while it runs. A job stopped from outside
   * (with a savepoint, over the REST API) takes its local cluster down with it: then its status can
   * no longer be asked, and it has ended.
   */
  static Optional<String> ended(JobClient client) throws Exception {
    JobStatus status;
    try {
      status = client.getJobStatus().get();
    } catch (IllegalStateException e) {
      return Optional.of("has ended, and its local cluster has shut down");
    }
    return status.isGloballyTerminalState() ? Optional.of("is " + status) : Optional.empty();
  }

  /**
   * Returns once every task of the job runs (read from the Flink REST API), so what is sent next is
   * read live rather than as a backlog at the start.
   */
  void untilEveryTaskRuns(long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      JsonNode job = get("/jobs/" + client.getJobID());
      JsonNode vertices = job.path("vertices");
      boolean running = vertices.size() > 0;
      for (JsonNode vertex : vertices) {
        running &= vertex.path("status").asText().equals("RUNNING");
      }
      if (running) {
        return;
      }
      if (client.getJobStatus().get().isGloballyTerminalState()) {
        throw new IllegalStateException("the job stopped: " + client.getJobStatus().get());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the job's tasks did not all start in time: " + job);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return api.get(path);
  }
}
