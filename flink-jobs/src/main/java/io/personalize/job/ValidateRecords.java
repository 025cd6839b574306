package io.personalize.job;

import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.kafka.DeadLetters;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.connectors.registry.RegistryAvro;
import io.personalize.validation.OffsetGaps;
import io.personalize.validation.PartitionOffsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step after a Kafka source: decodes and checks each raw record. A good record goes on;
 * anything else goes to the dead-letter side output with its bytes, origin and reason, counted per
 * reason. Nothing here throws on bad input (an unexpected error while decoding one record is a dead
 * letter too), so one bad record never fails the job.
 *
 * <p>It also notices offsets the source skipped ({@link OffsetGaps}): each skipped range is counted
 * ({@code offsets-skipped}) and logged at WARN with topic, partition and range. The last offset per
 * partition is union operator state, so a range skipped across a restart is noticed too, whichever
 * subtask reads the partition afterwards.
 *
 * <p>A subclass whose decoder reads the schema-registry format shows the registry's outages and
 * retries as gauges ({@code schema-registry.outages}, {@code schema-registry.retries}); its dead
 * letters are counted per reason like any other ({@code rejected.registry_unavailable}, {@code
 * rejected.unknown_schema_id}).
 */
abstract class ValidateRecords<T> extends ProcessFunction<RawRecord, T>
    implements CheckpointedFunction {
  private static final Logger LOG = LoggerFactory.getLogger(ValidateRecords.class);

  /** A record that cannot be used, and why. */
  static final class Rejected extends Exception {
    final DeadLetterReason reason;

    Rejected(DeadLetterReason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  private transient OffsetGaps gaps;
  private transient ListState<PartitionOffsets> storedOffsets;
  private transient Map<DeadLetterReason, Counter> rejected;
  private transient Counter accepted;
  private transient Counter offsetsSkipped;

  /** Shows the schema-registry counters of {@code decoder} as metrics of this task. */
  void watchRegistry(RecordDecoder<?> decoder) {
    RegistryAvro<?> registry = decoder.registry();
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("schema-registry");
    group.gauge("outages", (Gauge<Long>) registry::outages);
    group.gauge("retries", (Gauge<Long>) registry::retries);
  }

  /** Decodes and checks one record; throws {@link Rejected} for a record to set aside. */
  abstract T decode(RawRecord raw, long nowMillis) throws Rejected;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    gaps = new OffsetGaps();
    storedOffsets = context.getOperatorStateStore().getUnionListState(Descriptors.lastOffsets());
    for (PartitionOffsets offsets : storedOffsets.get()) {
      gaps.restore(offsets);
    }
  }

  @Override
  public void open(OpenContext context) {
    rejected = new EnumMap<>(DeadLetterReason.class);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      rejected.put(
          reason,
          getRuntimeContext()
              .getMetricGroup()
              .addGroup("rejected")
              .counter(reason.name().toLowerCase(Locale.ROOT)));
    }
    accepted = getRuntimeContext().getMetricGroup().counter("records-accepted");
    offsetsSkipped = getRuntimeContext().getMetricGroup().counter("offsets-skipped");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<T> out) {
    OffsetGaps.Gap gap = gaps.observe(raw.topic, raw.partition, raw.offset);
    if (gap != null) {
      offsetsSkipped.inc(gap.size());
      LOG.warn(
          "{}: the source {} (deleted by retention before they were read, aborted"
              + " transactions, or transaction markers)",
          getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(),
          gap);
    }
    long now = System.currentTimeMillis();
    T value;
    try {
      value = decode(raw, now);
    } catch (Rejected r) {
      reject(raw, r.reason, r.getMessage(), now, ctx);
      return;
    } catch (RuntimeException e) {
      LOG.warn("unexpected error on record {}, set aside as a dead letter", raw, e);
      reject(raw, DeadLetterReason.OTHER, "unexpected error: " + e, now, ctx);
      return;
    }
    accepted.inc();
    out.collect(value);
  }

  private void reject(
      RawRecord raw, DeadLetterReason reason, String detail, long now, Context ctx) {
    rejected.get(reason).inc();
    ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, reason, detail, now));
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    storedOffsets.update(List.of(gaps.snapshot()));
  }
}
