package io.personalize.perf;

import io.personalize.connectors.kafka.RawRecord;
import io.personalize.connectors.kafka.flink.KafkaConnectors;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * What Flink, Kafka and RocksDB allow on this machine: the interaction topic read by the same Kafka
 * source, keyed by user (the record key, as the producer writes it), one RocksDB {@code ValueState}
 * count per user read and written per event, nothing emitted. The engine's job does all of this and
 * its own work, so its rate over this one's is the share of the ceiling it reaches.
 */
final class CeilingJob {
  private CeilingJob() {}

  /**
   * Adds the job to {@code env}; the source stops at the end of the topic as of the job's start.
   */
  static void define(StreamExecutionEnvironment env, String bootstrap, String topic) {
    env.fromSource(
            KafkaConnectors.rawSource(
                bootstrap,
                topic,
                "personalize-bench-ceiling",
                OffsetsInitializer.earliest(),
                OffsetsInitializer.latest()),
            WatermarkStrategy.noWatermarks(),
            "Kafka: " + topic)
        .uid("ceiling-source")
        .map(new FirstRecordClock())
        .uid("ceiling-clock")
        .name("First-record clock")
        .keyBy(record -> new String(record.key, StandardCharsets.UTF_8))
        .process(new CountPerUser())
        .uid("ceiling-count")
        .name("Count per user (RocksDB ValueState)")
        .sinkTo(new DiscardingSink<>())
        .uid("ceiling-sink")
        .name("Discard");
  }

  private static final class CountPerUser extends KeyedProcessFunction<String, RawRecord, Long> {
    private static final ValueStateDescriptor<Long> COUNT =
        new ValueStateDescriptor<>("events", Types.LONG);
    private transient ValueState<Long> count;

    @Override
    public void open(OpenContext context) {
      count = getRuntimeContext().getState(COUNT);
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Long> out)
        throws Exception {
      Long n = count.value();
      count.update(n == null ? 1 : n + 1);
    }
  }
}
