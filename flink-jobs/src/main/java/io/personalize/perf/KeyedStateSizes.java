package io.personalize.perf;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;

/**
 * The keyed state (RocksDB's, in this job) of each task in a completed checkpoint or savepoint,
 * read from its metadata file: the part of a task's state that grows with its keys, apart from its
 * operator state (the replicas of the shared model and of the item graph every subtask keeps on the
 * heap, the sinks' and sources' own), which the REST API's sizes include.
 */
final class KeyedStateSizes {
  private KeyedStateSizes() {}

  /**
   * @param externalPath the checkpoint's or savepoint's directory as the REST API gives it (a file
   *     URI or path)
   * @param taskOfOperator each operator's task name
   * @return keyed state bytes by task name, over its operators and subtasks
   */
  static Map<String, Long> read(String externalPath, Map<OperatorID, String> taskOfOperator)
      throws IOException {
    Path directory =
        externalPath.startsWith("file:")
            ? Path.of(URI.create(externalPath))
            : Path.of(externalPath);
    CheckpointMetadata metadata;
    try (InputStream in = Files.newInputStream(directory.resolve("_metadata"))) {
      metadata =
          Checkpoints.loadCheckpointMetadata(
              new DataInputStream(in), KeyedStateSizes.class.getClassLoader(), externalPath);
    }
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (OperatorState operator : metadata.getOperatorStates()) {
      long keyed = 0;
      for (OperatorSubtaskState subtask : operator.getStates()) {
        keyed += subtask.getManagedKeyedState().getStateSize();
        keyed += subtask.getRawKeyedState().getStateSize();
      }
      String task = taskOfOperator.getOrDefault(operator.getOperatorID(), "?");
      bytes.merge(task, keyed, Long::sum);
    }
    return bytes;
  }
}
