package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.online.ExpiryBatches.Batch;
import org.junit.jupiter.api.Test;

/** Expired users are reported once per watermark advance. */
class ExpiryBatchesTest {

  @Test
  void aBatchClosesWhenTheWatermarkMoves() {
    ExpiryBatches batches = new ExpiryBatches();
    assertThat(batches.isOpen()).isFalse();
    assertThat(batches.close()).isNull();
    // Watermark 100 expires two users last seen at 10 and 5.
    assertThat(batches.expire(100, 10)).isNull();
    assertThat(batches.isOpen()).isTrue();
    assertThat(batches.expire(100, 5)).isNull();
    // The watermark moves to 200: the batch of 100 is complete.
    assertThat(batches.expire(200, 150)).isEqualTo(new Batch(2, 100, 5, 10));
    assertThat(batches.isOpen()).isTrue();
    assertThat(batches.expire(200, 120)).isNull();
    assertThat(batches.expire(200, 180)).isNull();
    // A record arrives: the caller closes the open batch.
    assertThat(batches.close()).isEqualTo(new Batch(3, 200, 120, 180));
    assertThat(batches.isOpen()).isFalse();
    assertThat(batches.close()).isNull();
    // More expiries at the same watermark after a close start a new batch at that watermark.
    assertThat(batches.expire(200, 190)).isNull();
    assertThat(batches.close()).isEqualTo(new Batch(1, 200, 190, 190));
    // A first expiry at a new watermark after a close returns nothing to report.
    assertThat(batches.expire(300, 250)).isNull();
    assertThat(batches.expire(400, 260)).isEqualTo(new Batch(1, 300, 250, 250));
  }

  @Test
  void describeNamesTheCountTheIdleTimeTheWatermarkAndTheLastEvents() {
    // 2 users, idle 30 minutes, watermark at 01:00, last events 00:00 .. 00:01.
    assertThat(new Batch(2, 3_600_000, 0, 60_000).describe(1_800_000))
        .isEqualTo(
            "expired 2 users idle for more than 30 min of event time, as the watermark reached"
                + " 1970-01-01T01:00:00Z (their last events 1970-01-01T00:00:00Z .."
                + " 1970-01-01T00:01:00Z)");
    assertThat(new Batch(1, 86_400_000, 1_000, 1_000).describe(86_400_000))
        .isEqualTo(
            "expired 1 user idle for more than 1 d of event time, as the watermark reached"
                + " 1970-01-02T00:00:00Z (their last events 1970-01-01T00:00:01Z .."
                + " 1970-01-01T00:00:01Z)");
  }

  @Test
  void lateByIsHowFarTheWatermarkPassedTheMostRecentUsersDeadline() {
    long day = 86_400_000L;
    // Idle 1 day: users last seen at 0 and 1 h expire when the watermark reaches 1 d 1 h 1 ms.
    Batch asTimeGoesBy = new Batch(2, day + 3_600_001, 0, 3_600_000);
    assertThat(asTimeGoesBy.lateByMillis(day)).isEqualTo(1);
    // One event 10 days ahead of the rest moves the watermark there.
    Batch jumped = new Batch(2, 10 * day, 0, 3_600_000);
    assertThat(jumped.lateByMillis(day)).isEqualTo(9 * day - 3_600_000);
    // The end of a bounded input (the watermark at Long.MAX_VALUE) still fits.
    assertThat(new Batch(1, Long.MAX_VALUE, 0, 5).lateByMillis(day))
        .isEqualTo(Long.MAX_VALUE - 5 - day);
    assertThat(new Batch(1, Long.MAX_VALUE, 0, -2 * day).lateByMillis(day))
        .isEqualTo(Long.MAX_VALUE);
  }
}
