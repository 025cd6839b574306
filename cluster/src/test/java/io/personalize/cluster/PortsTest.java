package io.personalize.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ports chosen ahead of a process's start must stay free until it binds them. A port from the
 * kernel's ephemeral range can be taken meanwhile by any outgoing connection's source port (a CI
 * run lost a TaskManager's queryable-state server that way: "All ports in provided range are
 * occupied", and every lookup of the job's state failed after).
 */
class PortsTest {
  @Test
  void aChosenPortIsFreeAndOutsideTheEphemeralRange() {
    int[] ephemeral = Ports.ephemeralRange();
    Set<Integer> chosen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertThat(port < ephemeral[0] || port > ephemeral[1])
          .as("port %d outside the ephemeral range %d-%d", port, ephemeral[0], ephemeral[1])
          .isTrue();
      assertThat(Ports.isFree(port)).isTrue();
      assertThat(chosen.add(port)).as("port %d handed out twice", port).isTrue();
    }
  }

  @Test
  void theEphemeralRangeIsTheKernelsOrLinuxsDefault() {
    int[] range = Ports.ephemeralRange();
    assertThat(range[0]).isPositive().isLessThanOrEqualTo(range[1]);
    assertThat(range[1]).isLessThanOrEqualTo(65535);
  }
}
