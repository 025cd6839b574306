package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunAheadGateTest {
  /** Run-ahead 100 ms, at most 3 held, at most 1 s of wall-clock time. */
  private final RunAheadGate<String> gate = new RunAheadGate<>(100, 3, 1_000);

  private List<String> drain(long completeBefore) {
    List<String> out = new ArrayList<>();
    for (String e = gate.next(completeBefore); e != null; e = gate.next(completeBefore)) {
      out.add(e);
    }
    return out;
  }

  @Test
  void anEventWithinTheBoundOfTheWatermarkPasses() {
    // Watermark 999: complete before 1,000. Up to 1,099 is within 100 ms of it.
    assertThat(gate.passes(1_099, 1_000)).isTrue();
    assertThat(gate.passes(1_100, 1_000)).isFalse();
    assertThat(gate.passes(5, 1_000)).as("a late event").isTrue();
  }

  @Test
  void heldEventsLeaveInEventTimeOrderOnceTheWatermarkComesWithinTheBound() {
    gate.hold("b", 2_000, 0);
    gate.hold("a", 1_500, 0);
    gate.hold("c", 2_000, 0);
    assertThat(gate.earliestMillis()).isEqualTo(1_500);
    assertThat(drain(1_000)).isEmpty();
    // 1,500 - 100 < 1,401: a goes; b and c (2,000) wait.
    assertThat(drain(1_401)).containsExactly("a");
    // Equal times leave in arrival order.
    assertThat(drain(1_901)).containsExactly("b", "c");
    assertThat(gate.held()).isZero();
    assertThat(gate.earliestMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anEventPassesOnlyIfItOvertakesNoHeldOne() {
    gate.hold("held", 2_000, 0);
    assertThat(gate.passes(1_050, 1_000)).as("within the bound and earlier").isTrue();
    assertThat(gate.passes(2_000, 5_000)).as("within the bound, not earlier").isFalse();
    assertThat(gate.passes(2_500, 5_000)).as("within the bound, but later").isFalse();
    assertThat(drain(5_000)).containsExactly("held");
    assertThat(gate.releasedEarly()).isZero();
  }

  @Test
  void theEndOfTheInputLetsEverythingGo() {
    gate.hold("a", Long.MAX_VALUE - 1, 0);
    gate.hold("b", 10, 0);
    assertThat(drain(Long.MAX_VALUE)).containsExactly("b", "a");
  }

  @Test
  void pastMaxHeldTheEarliestLeavesAtOnce() {
    gate.hold("d", 4_000, 0);
    gate.hold("b", 2_000, 0);
    gate.hold("c", 3_000, 0);
    assertThat(drain(0)).isEmpty();
    gate.hold("a", 1_000, 0);
    assertThat(drain(0)).containsExactly("a");
    assertThat(gate.held()).isEqualTo(3);
    assertThat(gate.releasedEarly()).isEqualTo(1);
  }

  @Test
  void anEventHeldTooLongLeavesWithEveryEarlierOne() {
    gate.hold("late", 3_000, 0); // held at wall-clock 0
    gate.hold("early", 2_000, 500);
    gate.hold("later", 4_000, 500);
    gate.releaseOverdue(999);
    assertThat(drain(0)).isEmpty();
    assertThat(gate.oldestHeldAtMillis()).isZero();
    gate.releaseOverdue(1_000);
    // "late" has waited 1 s: it goes, after "early", which is before it in event time.
    assertThat(drain(0)).containsExactly("early", "late");
    assertThat(gate.oldestHeldAtMillis()).isEqualTo(500);
    assertThat(gate.poll()).isEqualTo("later");
    assertThat(gate.poll()).isNull();
    // Overdue or polled: all three left before the watermark came near.
    assertThat(gate.releasedEarly()).isEqualTo(3);
  }

  @Test
  void boundsMustMakeSense() {
    assertThatThrownBy(() -> new RunAheadGate<String>(-1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunAheadGate<String>(0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
