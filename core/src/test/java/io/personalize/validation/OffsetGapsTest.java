package io.personalize.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.validation.OffsetGaps.Gap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offsets a reader skipped, per topic partition. */
class OffsetGapsTest {

  @Test
  void aJumpIsAGapOfTheOffsetsInBetween() {
    OffsetGaps gaps = new OffsetGaps();
    for (long offset = 0; offset <= 9; offset++) {
      assertThat(gaps.observe("events", 0, offset)).as("offset %d", offset).isNull();
    }
    // 9 then 20: offsets 10..19 were never read, 20 - 9 - 1 = 10 of them.
    Gap gap = gaps.observe("events", 0, 20);
    assertThat(gap).isEqualTo(new Gap("events", 0, 10, 19));
    assertThat(gap.size()).isEqualTo(10);
    assertThat(gap.toString()).isEqualTo("skipped 10 offsets of events-0: 10..19");
    assertThat(gaps.skipped()).isEqualTo(10);
    assertThat(gaps.observe("events", 0, 21)).isNull();
    // 21 then 23: one offset, 22.
    Gap one = gaps.observe("events", 0, 23);
    assertThat(one).isEqualTo(new Gap("events", 0, 22, 22));
    assertThat(one.size()).isEqualTo(1);
    assertThat(one.toString()).isEqualTo("skipped 1 offset of events-0: 22..22");
    assertThat(gaps.skipped()).isEqualTo(11);
  }

  @Test
  void theFirstOffsetSeenIsNeverAGap() {
    OffsetGaps gaps = new OffsetGaps();
    assertThat(gaps.observe("events", 3, 1_000)).isNull();
    assertThat(gaps.skipped()).isZero();
  }

  @Test
  void reReadsAfterARestartAreNotGaps() {
    OffsetGaps gaps = new OffsetGaps();
    for (long offset = 0; offset <= 9; offset++) {
      gaps.observe("events", 0, offset);
    }
    // The reader restarts from an earlier position: 5..9 again, then on to 10.
    for (long offset = 5; offset <= 9; offset++) {
      assertThat(gaps.observe("events", 0, offset)).as("re-read %d", offset).isNull();
    }
    assertThat(gaps.observe("events", 0, 10)).isNull();
    // A re-read does not move the last offset back: 10 then 12 is a gap of 11 only.
    assertThat(gaps.observe("events", 0, 3)).isNull();
    assertThat(gaps.observe("events", 0, 12)).isEqualTo(new Gap("events", 0, 11, 11));
    assertThat(gaps.skipped()).isEqualTo(1);
  }

  @Test
  void partitionsAndTopicsAreIndependent() {
    OffsetGaps gaps = new OffsetGaps();
    assertThat(gaps.observe("events", 0, 0)).isNull();
    assertThat(gaps.observe("events", 1, 0)).isNull();
    assertThat(gaps.observe("items", 0, 7)).isNull();
    assertThat(gaps.observe("events", 0, 1)).isNull();
    // Partition 1 jumps 0 -> 3; partition 0 and topic items are unaffected.
    assertThat(gaps.observe("events", 1, 3)).isEqualTo(new Gap("events", 1, 1, 2));
    assertThat(gaps.observe("events", 0, 2)).isNull();
    assertThat(gaps.observe("items", 0, 8)).isNull();
    assertThat(gaps.observe("items", 0, 10)).isEqualTo(new Gap("items", 0, 9, 9));
    assertThat(gaps.skipped()).isEqualTo(3);
  }

  @Test
  void snapshotListsTheLastOffsetPerPartition() {
    OffsetGaps gaps = new OffsetGaps();
    gaps.observe("events", 0, 4);
    gaps.observe("events", 0, 5);
    gaps.observe("events", 1, 9);
    gaps.observe("items", 0, 2);
    assertThat(asMap(gaps.snapshot()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("events-0", 5L, "events-1", 9L, "items-0", 2L));
  }

  @Test
  void restoreMergesByTheLargerOffset() {
    OffsetGaps first = new OffsetGaps();
    first.observe("events", 0, 21);
    first.observe("events", 2, 4);
    OffsetGaps second = new OffsetGaps();
    second.observe("events", 0, 30);
    second.observe("events", 1, 5);
    second.observe("events", 2, 1);
    for (boolean firstFirst : new boolean[] {true, false}) {
      OffsetGaps restored = new OffsetGaps();
      restored.restore((firstFirst ? first : second).snapshot());
      restored.restore((firstFirst ? second : first).snapshot());
      assertThat(asMap(restored.snapshot()))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("events-0", 30L, "events-1", 5L, "events-2", 4L));
      assertThat(restored.skipped()).isZero();
      // Continues from 30, not 21: 31 is no gap; partition 1 from 5: 8 skips 6..7.
      assertThat(restored.observe("events", 0, 31)).isNull();
      assertThat(restored.observe("events", 1, 8)).isEqualTo(new Gap("events", 1, 6, 7));
      assertThat(restored.observe("events", 2, 5)).isNull();
    }
  }

  private static Map<String, Long> asMap(PartitionOffsets s) {
    assertThat(s.partitions).hasSameSizeAs(s.topics);
    assertThat(s.offsets).hasSameSizeAs(s.topics);
    Map<String, Long> map = new HashMap<>();
    for (int i = 0; i < s.topics.length; i++) {
      map.put(s.topics[i] + "-" + s.partitions[i], s.offsets[i]);
    }
    return map;
  }
}
