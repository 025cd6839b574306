package io.personalize.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for a stream that carries no event time (item metadata): always the end of time, so
 * that wherever the stream joins an event-time stream, the event-time stream alone sets progress.
 * Without this, a metadata topic that rarely gets records would stall every downstream watermark.
 */
final class NeverHoldsEventTime<T> implements WatermarkGenerator<T> {
  static <T> WatermarkStrategy<T> strategy() {
    return WatermarkStrategy.<T>forGenerator(context -> new NeverHoldsEventTime<>())
        .withTimestampAssigner((element, previous) -> Long.MIN_VALUE);
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(Long.MAX_VALUE));
  }
}
