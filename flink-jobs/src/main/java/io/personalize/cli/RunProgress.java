package io.personalize.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.demo.OperatorCounters;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The line {@code personalize run} prints now and then while its local job runs: the interaction
 * events the job has accepted from Kafka, the dead letters, the lists published, the newest
 * completed checkpoint, read from the job's REST API (as fresh as its metric fetcher, {@code
 * metrics.fetcher.update-interval}). Nothing is printed while no event or dead letter arrives, so
 * an idle job stays quiet.
 */
final class RunProgress {
  /** Seconds always ({@code LocalTime.toString()} leaves ":00" out). */
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

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
    double perSecond =
        lastAccepted >= 0 && accepted > lastAccepted
            ? (accepted - lastAccepted) / ((now - lastNanos) / 1e9)
            : Double.NaN;
    LocalTime checkpointAt =
        checkpointId < 0
            ? null
            : Instant.ofEpochMilli(checkpoint.path("latest_ack_timestamp").asLong())
                .atZone(ZoneId.systemDefault())
                .toLocalTime();
    String line =
        format(
            LocalTime.now(),
            accepted,
            perSecond,
            deadLetters,
            lists ? published : -1,
            checkpointId,
            checkpointAt);
    lastAccepted = accepted;
    lastDeadLetters = deadLetters;
    lastNanos = now;
    return Optional.of(line);
  }

  /**
   * One progress line; {@code perSecond} NaN leaves the rate out, {@code published} below 0 the
   * lists, {@code checkpointId} below 0 the checkpoint.
   */
  static String format(
      LocalTime now,
      long accepted,
      double perSecond,
      long deadLetters,
      long published,
      long checkpointId,
      LocalTime checkpointAt) {
    StringBuilder line =
        new StringBuilder(CLOCK.format(now) + "  ")
            .append(count(accepted, "event", "events"))
            .append(" accepted");
    if (!Double.isNaN(perSecond)) {
      line.append(
          String.format(perSecond < 10 ? " (%.1f a second)" : " (%,.0f a second)", perSecond));
    }
    line.append(", ").append(count(deadLetters, "dead letter", "dead letters"));
    if (published >= 0) {
      line.append(", ").append(count(published, "list", "lists")).append(" published");
    }
    if (checkpointId >= 0) {
      line.append(String.format("; checkpoint %d at %s", checkpointId, CLOCK.format(checkpointAt)));
    }
    return line.toString();
  }

  private static String count(long n, String one, String many) {
    return String.format("%,d %s", n, n == 1 ? one : many);
  }
}
