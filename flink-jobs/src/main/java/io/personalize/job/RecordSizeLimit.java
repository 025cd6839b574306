package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.OUTPUT_FORMAT_MODEL_UPDATES;
import static io.personalize.job.config.PersonalizeOptions.OUTPUT_MAX_RECORD_BYTES;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.format.OutputFormat;
import io.personalize.connectors.kafka.CheckpointParts;
import io.personalize.connectors.kafka.DeadLetters;
import io.personalize.job.config.JobConfig;
import io.personalize.online.ModelDelta;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the job's records within {@code personalize.output.max-record-bytes}: a record over the
 * producer's or the topic's limit fails the Kafka sink, and the job with it, on every restart.
 */
final class RecordSizeLimit {
  private static final Logger LOG = LoggerFactory.getLogger(RecordSizeLimit.class);

  private RecordSizeLimit() {}

  /**
   * Gradient checkpoints to Avro records, a large one split into parts ({@link CheckpointParts}).
   */
  static final class Checkpoints extends RichFlatMapFunction<ModelDelta, GradientCheckpoint> {
    private final OutputFormat format;
    private final int maxBytes;
    private transient Counter split;

    Checkpoints(JobConfig config) {
      this.format = config.get(OUTPUT_FORMAT_MODEL_UPDATES);
      this.maxBytes = config.get(OUTPUT_MAX_RECORD_BYTES);
    }

    @Override
    public void open(OpenContext context) {
      split = getRuntimeContext().getMetricGroup().counter("model-updates-split");
    }

    @Override
    public void flatMap(ModelDelta delta, Collector<GradientCheckpoint> out) {
      List<GradientCheckpoint> parts =
          CheckpointParts.split(CoreRecords.toAvro(delta), format, maxBytes);
      if (parts.size() > 1) {
        split.inc();
        LOG.info(
            "Checkpoint {}/{} version {} ({} deltas) is larger than {} bytes: published in {}"
                + " parts",
            delta.modelKind,
            delta.objective,
            delta.version,
            delta.items() + delta.featureIndices.length,
            maxBytes,
            parts.size());
      }
      parts.forEach(out::collect);
    }
  }

  /** Dead letters cut to the limit ({@link DeadLetters#fitTo}). */
  static final class DeadLetterPayloads extends RichMapFunction<DeadLetter, DeadLetter> {
    private final int maxBytes;
    private transient Counter truncated;

    DeadLetterPayloads(JobConfig config) {
      this.maxBytes = config.get(OUTPUT_MAX_RECORD_BYTES);
    }

    @Override
    public void open(OpenContext context) {
      truncated = getRuntimeContext().getMetricGroup().counter("dead-letters-truncated");
    }

    @Override
    public DeadLetter map(DeadLetter letter) {
      DeadLetter fitted = DeadLetters.fitTo(letter, maxBytes);
      if (fitted != letter) {
        truncated.inc();
        LOG.warn(
            "Dead letter of {}/{}@{} is larger than {} bytes: {}",
            letter.getSourceTopic(),
            letter.getSourcePartition(),
            letter.getSourceOffset(),
            maxBytes,
            fitted.getDetail());
      }
      return fitted;
    }
  }
}
