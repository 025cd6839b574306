package io.personalize.job;

import io.personalize.avro.MetricSnapshot;
import io.personalize.online.Prediction;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;

/**
 * Runs {@link PrequentialMetricsFunction} and gives it one last publication when a bounded input
 * ends (a replay from a file, a test), which no timer can do without firing on an end-of-time
 * watermark. An unbounded Kafka input never ends, so there the timer's publications are all.
 */
public class PrequentialMetricsOperator
    extends KeyedProcessOperator<Integer, Prediction, MetricSnapshot> implements BoundedOneInput {
  public PrequentialMetricsOperator(PrequentialMetricsFunction function) {
    super(function);
  }

  @Override
  public void endInput() {
    TimestampedCollector<MetricSnapshot> collector = new TimestampedCollector<>(output);
    collector.eraseTimestamp();
    ((PrequentialMetricsFunction) userFunction)
        .publish(getProcessingTimeService().getCurrentProcessingTime(), collector);
  }
}
