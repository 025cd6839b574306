package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ItemInfo;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.model.EventKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/** Everything that needs no broker; {@link InteractionProducerITCase} runs against a real one. */
class InteractionProducerTest {

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anInteractionBecomesARatingEvent() {
    InteractionEvent event =
        InteractionProducer.toEvent(new Interaction("u7", "i9", 3.5, 1_000_000L));

    assertThat(event.getUserId()).isEqualTo("u7");
    assertThat(event.getItemId()).isEqualTo("i9");
    assertThat(event.getEventType()).isEqualTo(EventType.RATING);
    assertThat(event.getValue()).isEqualTo(3.5);
    assertThat(event.getEventTimeMillis()).isEqualTo(1_000_000L);
    assertThat(event.getFeatures()).isNull();
    assertThat(event.getContext()).isNull();
  }

  @Test
  void aClickOrAViewBecomesAnEventOfItsKindWorthOne() {
    InteractionEvent click =
        InteractionProducer.toEvent(Interaction.inSession("s4", "i9", EventKind.CLICK, 5_000L));
    InteractionEvent view =
        InteractionProducer.toEvent(Interaction.inSession("s5", "i9", EventKind.VIEW, 6_000L));

    assertThat(click.getEventType()).isEqualTo(EventType.CLICK);
    assertThat(click.getUserId()).isEqualTo("s4");
    assertThat(click.getValue()).isEqualTo(1.0);
    assertThat(click.getEventTimeMillis()).isEqualTo(5_000L);
    assertThat(view.getEventType()).isEqualTo(EventType.VIEW);
    assertThat(view.getValue()).isEqualTo(1.0);
  }

  @Test
  void anItemBecomesItsMetadata() {
    ItemMetadata item =
        InteractionProducer.toItemMetadata(
            new ItemInfo("i9", "Heat (1995)", List.of("Action", "Crime"), 1995));
    ItemMetadata noYear =
        InteractionProducer.toItemMetadata(new ItemInfo("i10", "Unknown", List.of(), null));

    assertThat(item.getItemId()).isEqualTo("i9");
    assertThat(item.getTitle()).isEqualTo("Heat (1995)");
    assertThat(item.getGenres()).containsExactly("Action", "Crime");
    assertThat(item.getYear()).isEqualTo(1995);
    assertThat(item.getFeatures()).isEmpty();
    assertThat(item.getUpdateTimeMillis()).isZero();
    assertThat(noYear.getYear()).isNull();
    assertThat(noYear.getGenres()).isEmpty();
  }

  @Test
  void theProducerIsIdempotentWithAcksAllAndTimeoutsWithinTheGivenOne() {
    Properties short1s = InteractionProducer.config("localhost:1", Duration.ofSeconds(1));
    Properties long5min = InteractionProducer.config("localhost:1", Duration.ofMinutes(5));

    assertThat(short1s)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000")
        .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000")
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "1005");
    assertThat(long5min)
        .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000")
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
  }

  @Test
  void anUnreachableBrokerFailsTheReplayWithinTheTimeout() throws IOException {
    Dataset data = SyntheticData.generate(1, 5, 10, 20);
    String bootstrap = "localhost:" + closedPort();

    try (InteractionProducer producer = new InteractionProducer(bootstrap, Duration.ofSeconds(1))) {
      assertThatThrownBy(
              () ->
                  producer.sendInteractions(
                      data, "interactions", 0, 10, InteractionProducer.ProgressListener.none()))
          .isInstanceOf(KafkaException.class)
          .hasMessageContaining("interactions")
          .hasMessageContaining(bootstrap);
      assertThatThrownBy(() -> producer.sendItems(data.items(), "items"))
          .isInstanceOf(KafkaException.class)
          .hasMessageContaining("items");
    }
  }

  @Test
  void rejectsBadArguments() throws IOException {
    Dataset empty = new Dataset("empty", "generated", List.of(), Map.of());
    assertThatThrownBy(() -> new InteractionProducer("localhost:1", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    try (InteractionProducer producer =
        new InteractionProducer("localhost:" + closedPort(), Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> producer.sendInteractions(empty, "t", -1, 1, (s, t) -> {}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> producer.sendInteractions(empty, "t", Double.NaN, 1, (s, t) -> {}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> producer.sendInteractions(empty, "t", 0, 0, (s, t) -> {}))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
