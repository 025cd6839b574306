package io.personalize.job.harness;

import static io.personalize.job.harness.Fixtures.rating;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.ItemMetadata;
import io.personalize.job.Control;
import io.personalize.job.Descriptors;
import io.personalize.job.GlobalTrainerFunction;
import io.personalize.job.GlobalTrainerOperator;
import io.personalize.job.PersonalModelFunction;
import io.personalize.job.RunAheadOperator;
import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.online.GlobalModel;
import io.personalize.online.ModelDelta;
import io.personalize.online.Prediction;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RunAheadOperator} and {@link GlobalTrainerOperator}: a rating further ahead of the
 * watermark than the out-of-orderness bound (5 s) plus {@code event-time.max-run-ahead} (5 s) waits
 * until the watermark comes within 10 s of it, and is then scored with the checkpoints of the
 * events before it only; a checkpoint barrier or a second of wall-clock time lets it go anyway. The
 * global model learns held ratings in event-time order, so that each checkpoint covers the events
 * up to a time.
 */
class RunAheadOperatorTest {
  private static final JobConfig CONFIG = Fixtures.config(100, 1_000, 1_000, 5_000, 86_400_000);

  private KeyedBroadcastOperatorTestHarness<String, ValidEvent, Control, Prediction> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedBroadcastOperatorTestHarness<>(
            new RunAheadOperator(new PersonalModelFunction(CONFIG), CONFIG),
            e -> e.userId,
            Types.STRING,
            1,
            1,
            0);
    harness.setup();
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** A checkpoint of three ratings, the latest at {@code maxTime}. */
  private static ModelDelta checkpoint(long maxTime) {
    GlobalModel master = Fixtures.globalModel(CONFIG);
    master.learn("g1", "i1", 5, maxTime - 500);
    master.learn("g2", "i1", 5, maxTime);
    master.learn("g2", "i2", 1, maxTime - 100);
    return master.closeCheckpoint(0);
  }

  /** The predictions since the last call: their checkpoint versions, one per mode. */
  private List<Long> scoredWith() {
    List<Long> versions =
        harness.extractOutputValues().stream().map(p -> p.checkpointVersion).toList();
    harness.getOutput().clear();
    return versions;
  }

  @Test
  void aRatingFarAheadWaitsForTheWatermarkAndSeesTheCheckpointsBeforeIt() throws Exception {
    harness.processBroadcastElement(Control.of(checkpoint(50_000)), 0);
    harness.watermark(0);

    harness.processElement(rating("u1", "i1", 4, 100_000), 100_000);
    assertThat(scoredWith()).as("held").isEmpty();
    harness.watermark(89_999); // 10,001 ms behind
    assertThat(scoredWith()).as("still held").isEmpty();

    harness.watermark(90_000);
    // Scored on arrival, it would have missed the checkpoint (version 0).
    assertThat(scoredWith()).isNotEmpty().containsOnly(1L);
  }

  @Test
  void aCheckpointThatCoversAHeldRatingAppliesOnlyAfterIt() throws Exception {
    harness.processBroadcastElement(Control.of(checkpoint(100_500)), 0);
    harness.watermark(0);
    harness.processElement(rating("u1", "i1", 4, 100_000), 100_000);
    assertThat(scoredWith()).isEmpty();

    // The watermark passes the checkpoint too: the rating goes first, without it.
    harness.watermark(200_000);
    assertThat(scoredWith()).isNotEmpty().containsOnly(0L);
    harness.processElement(rating("u2", "i1", 4, 200_001), 200_001);
    assertThat(scoredWith()).as("within the bound: on arrival").isNotEmpty().containsOnly(1L);
  }

  @Test
  void liveRatingsPassAtOnce() throws Exception {
    harness.watermark(95_000);
    harness.processElement(rating("u1", "i1", 4, 105_000), 105_000);
    assertThat(scoredWith()).isNotEmpty();
  }

  @Test
  void heldRatingsLeaveInEventTimeOrderAndAnEarlierOneNeedNotWait() throws Exception {
    harness.watermark(0);
    harness.processElement(rating("u1", "i1", 4, 200_000), 200_000);
    harness.processElement(rating("u2", "i2", 3, 150_000), 150_000);
    harness.processElement(rating("u3", "i2", 3, 5_000), 5_000);
    assertThat(harness.extractOutputValues())
        .as("within the bound: scored though later ones wait")
        .extracting(p -> p.eventTimeMillis)
        .containsOnly(5_000L);
    harness.getOutput().clear();
    harness.watermark(190_000);
    assertThat(harness.extractOutputValues())
        .extracting(p -> p.eventTimeMillis)
        .startsWith(150_000L)
        .endsWith(200_000L)
        .containsOnly(150_000L, 200_000L);
  }

  @Test
  void aCheckpointBarrierLetsEveryHeldRatingGo() throws Exception {
    harness.watermark(0);
    harness.processElement(rating("u1", "i1", 4, 100_000), 100_000);
    harness.processElement(rating("u2", "i1", 4, 200_000), 200_000);
    assertThat(scoredWith()).isEmpty();
    harness.prepareSnapshotPreBarrier(1);
    List<Prediction> out = harness.extractOutputValues();
    assertThat(out).extracting(p -> p.userId).containsOnly("u1", "u2");
    assertThat(out.stream().filter(p -> p.userId.equals("u1")).count())
        .isPositive()
        .isEqualTo(out.stream().filter(p -> p.userId.equals("u2")).count());
  }

  @Test
  void aSecondOfWallClockTimeLetsAHeldRatingGo() throws Exception {
    harness.setProcessingTime(0);
    harness.watermark(0);
    harness.processElement(rating("u1", "i1", 4, 100_000), 100_000);
    harness.setProcessingTime(999);
    assertThat(scoredWith()).isEmpty();
    harness.setProcessingTime(1_000);
    assertThat(scoredWith()).isNotEmpty();
  }

  @Test
  void theGlobalModelLearnsHeldRatingsInEventTimeOrder() throws Exception {
    JobConfig everyRating = Fixtures.config(1, 1_000, 1_000, 5_000, 86_400_000);
    try (KeyedTwoInputStreamOperatorTestHarness<Integer, ValidEvent, ItemMetadata, Prediction>
        master =
            new KeyedTwoInputStreamOperatorTestHarness<>(
                new GlobalTrainerOperator(new GlobalTrainerFunction(everyRating), everyRating),
                e -> 0,
                i -> 0,
                Types.INT)) {
      master.open();
      master.processWatermark1(new Watermark(0));
      master.processWatermark2(new Watermark(0));
      master.processElement1(rating("u1", "i1", 4, 200_000), 200_000);
      master.processElement1(rating("u2", "i2", 2, 150_000), 150_000);
      assertThat(master.extractOutputValues()).as("held").isEmpty();

      master.processWatermark1(new Watermark(145_000));
      master.processWatermark2(new Watermark(145_000));
      assertThat(master.extractOutputValues())
          .extracting(p -> p.eventTimeMillis)
          .containsOnly(150_000L);
      // One checkpoint a rating: the one learned so far covers up to its time only.
      assertThat(master.getSideOutput(Descriptors.CHECKPOINTS))
          .extracting(StreamRecord::getValue)
          .extracting(c -> c.maxEventTimeMillis)
          .containsExactly(150_000L);

      master.processWatermark1(new Watermark(195_000));
      master.processWatermark2(new Watermark(195_000));
      assertThat(master.extractOutputValues())
          .extracting(p -> p.eventTimeMillis)
          .containsExactly(150_000L, 200_000L);
    }
  }
}
