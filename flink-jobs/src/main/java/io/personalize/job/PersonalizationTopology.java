package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.IDLENESS;
import static io.personalize.job.config.PersonalizeOptions.MAX_OUT_OF_ORDERNESS;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.GroupBoundaries;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.RecommendationList;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.graph.ItemPairs;
import io.personalize.graph.PairCombiner;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.neighbours.PartnerUpdateCombiner;
import io.personalize.neighbours.PartnerUpdates;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's operator graph as a function of its inputs: raw interaction records and raw item
 * metadata records in; model updates, metrics, dead letters and predictions out. {@link JobRunner}
 * wires Kafka to it; tests pass bounded sources and collect the outputs. Every operator has a
 * stable uid (never change one that has shipped: savepoints map state by it) and a readable name.
 */
public final class PersonalizationTopology {
  private PersonalizationTopology() {}

  /**
   * What the graph produces.
   *
   * @param recommendations the users' lists (at most one per user per {@code
   *     recommend.publish-interval}, the newest) and the global fallback list (user ""), keyed by
   *     user downstream; null when {@code recommend.enabled} is false
   */
  public record Outputs(
      DataStream<GradientCheckpoint> modelUpdates,
      DataStream<GroupBoundaries> boundaries,
      DataStream<Prediction> predictions,
      DataStream<MetricSnapshot> metrics,
      DataStream<DeadLetter> deadLetters,
      DataStream<RecommendationList> recommendations) {}

  /** All events go to one key for the operators that run at parallelism 1. */
  private static final KeySelector<ValidEvent, Integer> ONE_KEY = event -> 0;

  public static Outputs build(
      JobConfig config, DataStream<RawRecord> interactions, DataStream<RawRecord> items) {
    SingleOutputStreamOperator<ValidEvent> validated =
        interactions
            .process(new ValidateInteractions(config))
            .uid("validate-interactions")
            .name("Validate interactions")
            .setParallelism(interactions.getParallelism());
    DataStream<ValidEvent> events =
        validated
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<ValidEvent>forBoundedOutOfOrderness(
                        config.get(MAX_OUT_OF_ORDERNESS))
                    .withTimestampAssigner((event, previous) -> event.eventTimeMillis)
                    .withIdleness(config.get(IDLENESS)))
            .uid("event-time")
            .name("Event time and watermarks");

    // Validation runs at its source's parallelism, chained to it: it notices skipped offsets only
    // if it sees each partition's records in order, as the source reads them.
    SingleOutputStreamOperator<ItemMetadata> itemMetadata =
        items
            .process(new ValidateItems(config))
            .uid("validate-items")
            .name("Validate item metadata")
            .setParallelism(items.getParallelism());
    // Item metadata is not event-time data: the stream stays idle (see NoEventTime), so event
    // time in the operators it joins is set by the events alone.
    DataStream<ItemMetadata> itemsWithoutEventTime =
        itemMetadata
            .assignTimestampsAndWatermarks(NoEventTime.strategy())
            .uid("items-event-time")
            .name("Items: no event time");

    // The recommending half draws each event's negatives once, keyed by user, before both of its
    // model operators; the rating half needs none and reads the events directly, so its global
    // operator stays as close behind the per-user one as without recommendations.
    SingleOutputStreamOperator<ValidEvent> sequenced =
        config.recommends()
            ? events
                .keyBy(event -> event.userId)
                .process(new UserSequenceFunction(config))
                .uid("user-sequences")
                .name("User sequences (item pairs, negatives)")
            : null;
    SingleOutputStreamOperator<Prediction> global =
        events
            .keyBy(ONE_KEY)
            .connect(itemsWithoutEventTime.keyBy(item -> 0))
            .transform(
                "Global model",
                TypeInformation.of(Prediction.class),
                new GlobalTrainerOperator(new GlobalTrainerFunction(config), config))
            .uid("global-trainer")
            .name("Global model (SGD, gradient checkpoints)")
            .setParallelism(1)
            .setMaxParallelism(1);
    DataStream<ModelDelta> checkpoints = global.getSideOutput(Descriptors.CHECKPOINTS);

    SingleOutputStreamOperator<GroupBoundaries> boundaries =
        events
            .keyBy(ONE_KEY)
            .process(new GroupCoordinatorFunction(config))
            .uid("group-coordinator")
            .name("Group coordinator")
            .setParallelism(1)
            .setMaxParallelism(1);

    // What both per-user operators need: the group boundaries and the item metadata.
    DataStream<Control> boundariesAndItems =
        boundaries
            .map(Control::of)
            .uid("boundaries-to-control")
            .name("Boundaries to control channel")
            .setParallelism(1)
            .union(
                itemsWithoutEventTime
                    .map(Control::of)
                    .uid("items-to-control")
                    .name("Items to control channel"));
    // Each per-user operator gets a control channel of its own: an operator's watermark is the
    // smaller of its two inputs', and the recommending half's channel (ranking checkpoints, graph
    // deltas) trails the events further than the rating model's checkpoints do; sharing it made
    // the rating replicas wait for it (adaptive RMSE 0.9401 at parallelism 2, 0.9356 without).
    DataStream<Control> ratingControl =
        checkpoints
            .map(Control::of)
            .uid("checkpoints-to-control")
            .name("Checkpoints to control channel")
            .setParallelism(1)
            .union(boundariesAndItems);
    BroadcastStream<Control> recommendationControl = null;
    if (sequenced != null) {
      DataStream<ModelDelta> rankingCheckpoints =
          sequenced
              .keyBy(ONE_KEY)
              .connect(itemsWithoutEventTime.keyBy(item -> 0))
              .process(new GlobalRankingFunction(config))
              .uid("global-ranking-trainer")
              .name("Global ranking model (SGD, gradient checkpoints)")
              .setParallelism(1)
              .setMaxParallelism(1);
      checkpoints = checkpoints.union(rankingCheckpoints); // both go to the model-updates topic
      recommendationControl =
          rankingCheckpoints
              .map(Control::of)
              .uid("ranking-checkpoints-to-control")
              .name("Ranking checkpoints to control channel")
              .setParallelism(1)
              .union(boundariesAndItems, itemGraph(config, sequenced))
              .broadcast(Descriptors.CONTROL_CHANNEL);
    }

    SingleOutputStreamOperator<Prediction> personal =
        events
            .keyBy(event -> event.userId)
            .connect(ratingControl.broadcast())
            .transform(
                "Personal models",
                TypeInformation.of(Prediction.class),
                new RunAheadOperator(new PersonalModelFunction(config), config))
            .uid("personal-models")
            .name("Personal models (adaptive, per user)");

    DataStream<Prediction> predictions = personal.union(global);
    if (config.neighbours() != null) {
      predictions = predictions.union(itemNeighbours(config, personal));
    }
    DataStream<RecommendationList> recommendations = null;
    if (sequenced != null) {
      SingleOutputStreamOperator<Prediction> lists =
          sequenced
              .keyBy(event -> event.userId)
              .connect(recommendationControl)
              .process(new RecommendationFunction(config))
              .uid("recommendations")
              .name("Recommendations (ranking model and lists, per user)");
      predictions = predictions.union(lists);
      recommendations =
          lists
              .getSideOutput(Descriptors.RECOMMENDATIONS)
              .map(CoreRecords::toAvro)
              .returns(RecommendationList.class)
              .uid("recommendations-to-avro")
              .name("Recommendations to Avro");
    }
    SingleOutputStreamOperator<MetricSnapshot> metrics =
        predictions
            .keyBy(p -> 0)
            .transform(
                "Prequential metrics",
                TypeInformation.of(MetricSnapshot.class),
                new PrequentialMetricsOperator(new PrequentialMetricsFunction(config)))
            .uid("prequential-metrics")
            .setParallelism(1)
            .setMaxParallelism(1);

    // A task of its own in every topology: without the ranking model's checkpoints to join, it
    // would chain behind the global model, whose maximum parallelism (1) Flink then checks the
    // model-updates sink's state against, and a savepoint of the job with recommendations could
    // not restore into one without them (SavepointCompatibilityTest).
    DataStream<GradientCheckpoint> modelUpdates =
        checkpoints
            .flatMap(new RecordSizeLimit.Checkpoints(config))
            .returns(GradientCheckpoint.class)
            .uid("checkpoints-to-avro")
            .name("Checkpoints to Avro (in parts when over the record size)")
            .setParallelism(1)
            .startNewChain();

    DataStream<DeadLetter> deadLetters =
        validated
            .getSideOutput(Descriptors.DEAD_LETTERS)
            .union(itemMetadata.getSideOutput(Descriptors.DEAD_LETTERS))
            .map(new RecordSizeLimit.DeadLetterPayloads(config))
            .uid("dead-letters-to-record-size")
            .name("Dead letters cut to the record size");
    return new Outputs(
        modelUpdates, boundaries, predictions, metrics, deadLetters, recommendations);
  }

  /**
   * With {@code model.neighbours}: the item neighbourhoods, which correct adaptive's predictions
   * (requests from the per-user operator) and take the ratings as common raters (partner updates,
   * combined per item within {@code graph-updates.combine-within}).
   */
  private static DataStream<Prediction> itemNeighbours(
      JobConfig config, SingleOutputStreamOperator<Prediction> personal) {
    DataStream<PartnerUpdates> updates =
        personal
            .getSideOutput(Descriptors.PARTNER_UPDATES)
            .transform(
                "Partner updates combined per item",
                TypeInformation.of(PartnerUpdates.class),
                new CombiningOperator<>(
                    config.millis(RecommendationOptions.GRAPH_PAIRS_COMBINE_WITHIN),
                    PartnerUpdateCombiner::new))
            .uid("partner-updates-combined");
    return personal
        .getSideOutput(Descriptors.NEIGHBOUR_REQUESTS)
        .keyBy(request -> request.item)
        .connect(updates.keyBy(update -> update.item))
        .process(new ItemNeighboursFunction(config))
        .uid("item-neighbours")
        .name("Item neighbourhoods (adaptive corrected by the user's similar items)");
  }

  /**
   * The item co-interaction graph: pairs combined per item they leave and keyed by it, decaying
   * edge lists per item, and their versioned deltas (parallelism 1) on their way to the control
   * channel.
   */
  private static DataStream<Control> itemGraph(
      JobConfig config, SingleOutputStreamOperator<ValidEvent> sequenced) {
    return sequenced
        .getSideOutput(Descriptors.ITEM_PAIRS)
        .transform(
            "Item pairs combined per source item",
            TypeInformation.of(ItemPairs.class),
            new CombiningOperator<>(
                config.millis(RecommendationOptions.GRAPH_PAIRS_COMBINE_WITHIN), PairCombiner::new))
        .uid("item-pairs-combined")
        .keyBy(pairs -> pairs.from)
        .process(new ItemGraphFunction(config))
        .uid("item-graph")
        .name("Item graph (decaying co-interaction edges)")
        .keyBy(change -> 0)
        .process(new GraphDeltaFunction(config))
        .uid("graph-deltas")
        .name("Item graph deltas")
        .setParallelism(1)
        .setMaxParallelism(1)
        .map(Control::of)
        .uid("graph-deltas-to-control")
        .name("Graph deltas to control channel")
        .setParallelism(1)
        // The graph path (many pairs per event) trails the events. Holding the control channel's
        // watermark back to it held every replica's deltas in the recommendation operator back
        // too: its ranking replica's pending checkpoints grew to 110 MB a subtask in a 100,000
        // event benchmark, and every checkpoint wrote them (docs/performance.md). A graph delta
        // still applies only once the operator's watermark has passed its events; one that
        // arrives later applies at once.
        .assignTimestampsAndWatermarks(NoEventTime.strategy())
        .uid("graph-deltas-no-event-time")
        .name("Graph deltas: no watermarks")
        .setParallelism(1);
  }
}
