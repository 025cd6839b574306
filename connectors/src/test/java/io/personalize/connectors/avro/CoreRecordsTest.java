package io.personalize.connectors.avro;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.EventType;
import io.personalize.model.EventKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CoreRecordsTest {
  /** The schema appends new symbols; core's kinds must follow, in the same order. */
  @Test
  void theEventKindsAreTheAvroEventTypesInTheirOrder() {
    assertThat(Arrays.stream(EventKind.values()).map(Enum::name))
        .containsExactly(Arrays.stream(EventType.values()).map(Enum::name).toArray(String[]::new));
    for (EventKind kind : EventKind.values()) {
      assertThat(CoreRecords.eventType(kind).name()).isEqualTo(kind.name());
    }
  }
}
