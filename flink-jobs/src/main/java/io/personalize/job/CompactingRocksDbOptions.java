package io.personalize.job;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB compacts a flushed file into the level below as soon as there are {@value #TRIGGER} of
 * them, instead of RocksDB's 4. A checkpoint keeps every file RocksDB has at that moment, and a
 * user whose state changed in each of four flushes is in it four times over: on a 500,000-event
 * stream the per-user task's checkpoint held 2.2 times its live state (docs/performance.md).
 */
public final class CompactingRocksDbOptions implements RocksDBOptionsFactory {
  private static final long serialVersionUID = 1L;
  static final int TRIGGER = 1;

  @Override
  public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handles) {
    return current;
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(
      ColumnFamilyOptions current, Collection<AutoCloseable> handles) {
    return current.setLevel0FileNumCompactionTrigger(TRIGGER);
  }
}
