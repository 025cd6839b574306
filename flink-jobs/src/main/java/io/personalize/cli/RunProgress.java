package io.personalize.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.demo.OperatorCounters;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The line {@code personalize run} prints now and then while its local job runs: the interaction
 * events the job has accepted from Kafka, the dead letters, the lists published, the newest
 * completed checkpoint, read from the job's REST API (as fresh as its metric fetcher, {@code
 * metrics.fetcher.update-interval}). Nothing is printed while no event or dead letter arrives, so
 * an idle job stays quiet.
 */
final class RunProgress {
  private final OperatorCounters counters;
  private final String jobPath;
  private final boolean lists;
  private long lastAccepted = -1;
  private long lastDeadLetters = -1;
  private long lastNanos;

  RunProgress(OperatorCounters counters, String jobId, boolean lists) {
    this.counters = counters;
    this.jobPath = "/jobs/" + jobId;
    this.lists = lists;
  }

  /** The next line, or empty when nothing changed since the last one or the job cannot be read. */
  Optional<String> line() throws InterruptedException {
    long accepted;
    long deadLetters;
    long published;
    JsonNode checkpoint;
    try {
      // The interactions' validator ("Validate interactions"), not the item metadata's.
      accepted = counters.sum(id -> id.endsWith("_interactions.records-accepted"));
      deadLetters = counters.sum(id -> id.contains(".rejected."));
      published = lists ? counters.sum(id -> id.endsWith(".lists-published")) : 0;
      checkpoint = counters.get(jobPath + "/checkpoints").path("latest").path("completed");
    } catch (IOException e) {
      return Optional.empty(); // the job's watch says when its REST API cannot be read
    }
    long checkpointId = checkpoint.path("id").asLong(-1);
    if (accepted == lastAccepted && deadLetters == lastDeadLetters) {
      return Optional.empty(); // a new checkpoint alone is no news
    }
    long now = System.nanoTime();
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%s  %,d events accepted",
                LocalTime.now().truncatedTo(ChronoUnit.SECONDS), accepted));
    if (lastAccepted >= 0 && accepted > lastAccepted) {
      line.append(
          String.format(
              " (%,.0f a second)", (accepted - lastAccepted) / ((now - lastNanos) / 1e9)));
    }
    line.append(String.format(", %,d dead letters", deadLetters));
    if (lists) {
      line.append(String.format(", %,d lists published", published));
    }
    if (checkpointId >= 0) {
      LocalTime at =
          Instant.ofEpochMilli(checkpoint.path("latest_ack_timestamp").asLong())
              .atZone(ZoneId.systemDefault())
              .toLocalTime()
              .truncatedTo(ChronoUnit.SECONDS);
      line.append(String.format("; checkpoint %d at %s", checkpointId, at));
    }
    lastAccepted = accepted;
    lastDeadLetters = deadLetters;
    lastNanos = now;
    return Optional.of(line.toString());
  }
}
