package io.personalize.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a local run read: the Kafka cluster (by its id, whatever address reached it) and the topics.
 * Kept beside the run's checkpoints ({@code DIR/JOB_ID/input.json}), so that a later run resumes
 * from them only when it reads the same input: a checkpoint holds Kafka offsets, and offsets of
 * another cluster or topic would skip events of this one without a trace (or read some twice). A
 * run with {@code create-topics} off that starts afresh does not ask Kafka before it starts, and
 * records nothing: a run resuming its checkpoints is not checked. Nor is a checkpoint or savepoint
 * given by name ({@code execution.state-recovery.path}): that is the user's choice.
 */
record RunInput(
    String kafkaClusterId, String bootstrapServers, String interactionsTopic, String itemsTopic) {
  static final String FILE = "input.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The input recorded for the checkpoints of one job ({@code DIR/JOB_ID}), if any was. */
  static Optional<RunInput> of(Path jobCheckpoints) {
    Path file = jobCheckpoints.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty(); // a run before this file existed, or one submitted elsewhere
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), RunInput.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  void write(Path jobCheckpoints) {
    try {
      Files.createDirectories(jobCheckpoints);
      JSON.writerWithDefaultPrettyPrinter().writeValue(jobCheckpoints.resolve(FILE).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jobCheckpoints.resolve(FILE), e);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code checkpoint}, made with {@code this} input, is not
   *     for a run reading {@code now}
   */
  void requireSame(RunInput now, Path checkpoint) {
    if (kafkaClusterId.equals(now.kafkaClusterId)
        && interactionsTopic.equals(now.interactionsTopic)
        && itemsTopic.equals(now.itemsTopic)) {
      return;
    }
    throw new IllegalArgumentException(
        String.format(
            "the newest checkpoint, %s, was made by a run reading topics %s and %s of the Kafka"
                + " cluster %s (at %s); this run reads %s and %s of the cluster %s (at %s)."
                + " Resuming would carry that run's models and Kafka offsets over, and offsets of"
                + " other topics or another cluster skip or repeat events. Start afresh with"
                + " --no-resume, or keep each input's checkpoints apart with -D"
                + " execution.checkpointing.dir=DIR",
            checkpoint,
            interactionsTopic,
            itemsTopic,
            kafkaClusterId,
            bootstrapServers,
            now.interactionsTopic,
            now.itemsTopic,
            now.kafkaClusterId,
            now.bootstrapServers));
  }
}
