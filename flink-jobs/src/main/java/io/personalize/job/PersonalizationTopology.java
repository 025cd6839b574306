package io.personalize.job;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.stream.Prediction;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's operator graph as a function of its inputs: raw interaction records and raw item
 * metadata records in; model updates, metrics, dead letters and predictions out. {@code main} wires
 * Kafka to it; tests pass bounded sources and collect the outputs. Every operator has a stable uid
 * (never change one that has shipped: savepoints map state by it) and a readable name.
 */
public final class PersonalizationTopology {
  private PersonalizationTopology() {}

  /** What the graph produces. */
  public record Outputs(
      DataStream<GradientCheckpoint> modelUpdates,
      DataStream<GroupBoundaries> boundaries,
      DataStream<Prediction> predictions,
      DataStream<MetricSnapshot> metrics,
      DataStream<DeadLetter> deadLetters) {}

  /** All events go to one key for the operators that run at parallelism 1. */
  private static final KeySelector<ValidEvent, Integer> ONE_KEY = event -> 0;

  public static Outputs build(
      JobConfig config, DataStream<RawRecord> interactions, DataStream<RawRecord> items) {
    SingleOutputStreamOperator<ValidEvent> validated =
        interactions
            .process(new ValidateInteractions(config))
            .uid("validate-interactions")
            .name("Validate interactions");
    DataStream<ValidEvent> events =
        validated
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<ValidEvent>forBoundedOutOfOrderness(
                        Duration.ofMillis(config.maxOutOfOrdernessMillis()))
                    .withTimestampAssigner((event, previous) -> event.eventTimeMillis)
                    .withIdleness(Duration.ofMillis(config.idlenessMillis())))
            .uid("event-time")
            .name("Event time and watermarks");

    SingleOutputStreamOperator<ItemMetadata> itemMetadata =
        items.process(new ValidateItems()).uid("validate-items").name("Validate item metadata");
    // Item metadata is not event-time data: its watermark is the end of time, so it never holds
    // back the event time of the operators it joins (the global and the per-user operators).
    DataStream<ItemMetadata> itemsWithoutEventTime =
        itemMetadata
            .assignTimestampsAndWatermarks(NeverHoldsEventTime.strategy())
            .uid("items-event-time")
            .name("Items: no event time");

    SingleOutputStreamOperator<Prediction> global =
        events
            .keyBy(ONE_KEY)
            .connect(itemsWithoutEventTime.keyBy(item -> 0))
            .process(new GlobalTrainerFunction(config))
            .uid("global-trainer")
            .name("Global model (SGD, gradient checkpoints)")
            .setParallelism(1)
            .setMaxParallelism(1);
    DataStream<GradientCheckpoint> checkpoints = global.getSideOutput(Descriptors.CHECKPOINTS);

    SingleOutputStreamOperator<GroupBoundaries> boundaries =
        events
            .keyBy(ONE_KEY)
            .process(new GroupCoordinatorFunction(config))
            .uid("group-coordinator")
            .name("Group coordinator")
            .setParallelism(1)
            .setMaxParallelism(1);

    BroadcastStream<Control> control =
        checkpoints
            .map(Control::of)
            .uid("checkpoints-to-control")
            .name("Checkpoints to control channel")
            .setParallelism(1)
            .union(
                boundaries
                    .map(Control::of)
                    .uid("boundaries-to-control")
                    .name("Boundaries to control channel")
                    .setParallelism(1),
                itemsWithoutEventTime
                    .map(Control::of)
                    .uid("items-to-control")
                    .name("Items to control channel"))
            .broadcast(Descriptors.CONTROL_CHANNEL);

    SingleOutputStreamOperator<Prediction> personal =
        events
            .keyBy(event -> event.userId)
            .connect(control)
            .process(new PersonalModelFunction(config))
            .uid("personal-models")
            .name("Personal models (adaptive, per user)");

    DataStream<Prediction> predictions = personal.union(global);
    SingleOutputStreamOperator<MetricSnapshot> metrics =
        predictions
            .keyBy(p -> 0)
            .process(new PrequentialMetricsFunction(config))
            .uid("prequential-metrics")
            .name("Prequential metrics")
            .setParallelism(1)
            .setMaxParallelism(1);

    DataStream<DeadLetter> deadLetters =
        validated
            .getSideOutput(Descriptors.DEAD_LETTERS)
            .union(itemMetadata.getSideOutput(Descriptors.DEAD_LETTERS));
    return new Outputs(checkpoints, boundaries, predictions, metrics, deadLetters);
  }
}
