package io.personalize.job;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the keyed tasks keep their timers: on the heap for a new job (the default since
 * 2026-12-07), in RocksDB when the job resumes a checkpoint that keeps them in RocksDB's files.
 *
 * <p>Why the second case: Flink 2.3 restores such a checkpoint into a job with timers on the heap
 * without a word, and without the timers. Every user's idle-expiry timer is gone, and a user who
 * never comes back is never forgotten (RunRestartITCase). The other way, timers written from the
 * heap restore into RocksDB; and Flink moves the timers of a savepoint in the canonical format to
 * either kind.
 */
public final class TimerPlacement {
  /** Flink's key: {@code HEAP} or {@code ROCKSDB}. */
  public static final String KEY = "state.backend.rocksdb.timer-service.factory";

  public static final String HEAP = "HEAP";
  public static final String ROCKSDB = "ROCKSDB";

  private static final Logger LOG = LoggerFactory.getLogger(TimerPlacement.class);

  private TimerPlacement() {}

  /**
   * Sets {@link #KEY} in {@code conf} where the user's configuration left it unset: {@link
   * #ROCKSDB} when the job resumes a checkpoint with its timers in RocksDB (or one this cannot
   * read), else {@link #HEAP}.
   *
   * @param chosen whether the user's configuration sets {@link #KEY}
   * @throws IllegalArgumentException when the user chose heap timers for a job that resumes a
   *     checkpoint with its timers in RocksDB
   */
  static void apply(Configuration conf, boolean chosen) {
    if (chosen && !HEAP.equalsIgnoreCase(conf.getString(KEY, null))) {
      return; // RocksDB timers restore from checkpoints of either kind
    }
    String pointer = conf.get(StateRecoveryOptions.SAVEPOINT_PATH);
    boolean rocksDbBackend =
        "rocksdb".equalsIgnoreCase(conf.get(StateBackendOptions.STATE_BACKEND));
    boolean inRocksDbFiles;
    try {
      inRocksDbFiles = pointer != null && rocksDbBackend && inRocksDbFiles(pointer);
    } catch (IOException | RuntimeException e) {
      if (chosen) {
        LOG.warn(
            "Cannot read which timers {} keeps ({}): they go on the heap as {} says, and are lost"
                + " if it keeps them in RocksDB's files (docs/operations.md, \"Timers\")",
            pointer,
            e.toString(),
            KEY);
        return;
      }
      LOG.warn(
          "Cannot read which timers {} keeps ({}): the timers stay in RocksDB, which restores"
              + " either kind",
          pointer,
          e.toString());
      conf.setString(KEY, ROCKSDB);
      return;
    }
    if (!inRocksDbFiles) {
      conf.setString(KEY, HEAP);
    } else if (chosen) {
      throw new IllegalArgumentException(
          pointer
              + " keeps its timers in RocksDB, and "
              + KEY
              + " is HEAP: Flink would restore it without its timers (no user would expire)."
              + " Leave "
              + KEY
              + " unset or set it to ROCKSDB, or resume from a savepoint in the canonical format"
              + " (docs/operations.md, \"Timers\").");
    } else {
      // A warning, so that `run` shows it: the job runs without the default's shorter tail.
      LOG.warn(
          "{} keeps its timers in RocksDB: they stay there, not on the heap where a new job keeps"
              + " them (moving them takes a savepoint in the canonical format; docs/operations.md,"
              + " \"Timers\")",
          pointer);
      conf.setString(KEY, ROCKSDB);
    }
  }

  /**
   * Whether the checkpoint or savepoint at {@code pointer} (its directory or its {@code _metadata}
   * file) keeps timers inside RocksDB's own files (the incremental format of checkpoints and of
   * native savepoints): as managed keyed state of the type {@code PRIORITY_QUEUE}. Flink moves the
   * timers of the canonical format (one stream of key groups) to the heap on restore, and heap
   * timers under RocksDB are checkpointed as raw keyed state.
   */
  static boolean inRocksDbFiles(String pointer) throws IOException {
    CompletedCheckpointStorageLocation location =
        AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(pointer);
    ClassLoader classes = TimerPlacement.class.getClassLoader();
    CheckpointMetadata metadata;
    try (DataInputStream in = new DataInputStream(location.getMetadataHandle().openInputStream())) {
      metadata = Checkpoints.loadCheckpointMetadata(in, classes, location.getExternalPointer());
    }
    for (OperatorState operator : metadata.getOperatorStates()) {
      for (OperatorSubtaskState subtask : operator.getStates()) {
        for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
          if (handle instanceof IncrementalRemoteKeyedStateHandle files
              && hasPriorityQueue(files.getMetaDataStateHandle(), classes)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hasPriorityQueue(StreamStateHandle meta, ClassLoader classes)
      throws IOException {
    try (InputStream in = meta.openInputStream()) {
      KeyedBackendSerializationProxy<?> proxy = new KeyedBackendSerializationProxy<>(classes);
      proxy.read(new DataInputViewStreamWrapper(in));
      return proxy.getStateMetaInfoSnapshots().stream()
          .anyMatch(
              s ->
                  s.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE);
    }
  }
}
