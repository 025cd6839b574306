package io.personalize.job;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for a stream that carries no event time (item metadata), or whose event time must not
 * hold others back (graph deltas): the stream is marked idle and never emits a watermark, so
 * wherever it joins an event-time stream, the event-time stream alone sets progress, and when the
 * event-time stream goes idle too, event time stands still.
 *
 * <p>Neither simpler choice works. Holding no watermark would stall every downstream operator while
 * the metadata topic is quiet. Emitting the end of time (what this stream did first) is right only
 * while events flow: once every interaction partition went idle, the joined operators' watermark
 * jumped to the end of time, which fired every user's idle timer (forgetting every user) and a
 * metrics timer whose record Kafka rejected, killing the TaskManager.
 */
final class NoEventTime<T> implements WatermarkGenerator<T> {
  static <T> WatermarkStrategy<T> strategy() {
    return WatermarkStrategy.<T>forGenerator(context -> new NoEventTime<>())
        .withTimestampAssigner((element, previous) -> Long.MIN_VALUE);
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.markIdle();
  }
}
