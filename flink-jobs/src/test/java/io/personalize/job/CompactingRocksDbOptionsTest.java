package io.personalize.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.RocksDB;

/**
 * The job's RocksDB settings: every flushed file compacted at once, ZSTD compression, a quarter of
 * RocksDB's memory for write buffers, all reaching the state backend the job configures
 * (docs/performance-log.md: what a checkpoint keeps, RocksDB's managed memory); and a local
 * cluster's managed memory.
 */
class CompactingRocksDbOptionsTest {
  @Test
  void aFlushedFileIsCompactedAtOnceInsteadOfAtFour() {
    RocksDB.loadLibrary();
    try (ColumnFamilyOptions options = new ColumnFamilyOptions()) {
      assertThat(options.level0FileNumCompactionTrigger()).as("RocksDB's default").isEqualTo(4);
      new CompactingRocksDbOptions().createColumnOptions(options, new ArrayList<>());
      assertThat(options.level0FileNumCompactionTrigger()).isEqualTo(1);
    }
  }

  @Test
  void theJobsStateBackendUsesTheFactoryAndZstdUnlessConfiguredOtherwise() {
    Configuration job = PipelineSettings.apply(new Configuration(), false);
    EmbeddedRocksDBStateBackend backend =
        new EmbeddedRocksDBStateBackend().configure(job, getClass().getClassLoader());
    assertThat(backend.getRocksDBOptions()).isInstanceOf(CompactingRocksDbOptions.class);
    assertThat(job.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
        .containsExactly(CompressionType.ZSTD_COMPRESSION);

    Configuration user = new Configuration();
    user.set(
        RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
        java.util.List.of(CompressionType.LZ4_COMPRESSION));
    assertThat(
            PipelineSettings.apply(user, false)
                .get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
        .containsExactly(CompressionType.LZ4_COMPRESSION);
  }

  @Test
  void theWriteBuffersTakeAQuarterOfRocksDbsMemoryAndALocalClusterGivesIt512Megabytes() {
    Configuration job = PipelineSettings.apply(new Configuration(), false);
    EmbeddedRocksDBStateBackend backend =
        new EmbeddedRocksDBStateBackend().configure(job, getClass().getClassLoader());
    assertThat(backend.getMemoryConfiguration().getWriteBufferRatio()).isEqualTo(0.25);
    assertThat(job.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .as("a cluster's TaskManagers size their own managed memory")
        .isFalse();

    Configuration local = PipelineSettings.apply(new Configuration(), true);
    assertThat(local.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(MemorySize.parse("512m"));
    Configuration user = new Configuration();
    user.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("1g"));
    assertThat(PipelineSettings.apply(user, true).get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(MemorySize.parse("1g"));
  }
}
