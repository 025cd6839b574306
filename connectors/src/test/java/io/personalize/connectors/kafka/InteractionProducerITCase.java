package io.personalize.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.testing.SharedDataSets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InteractionProducerITCase {
  private static final AvroCodec<InteractionEvent> EVENTS = AvroCodec.of(InteractionEvent.class);
  private static final AvroCodec<ItemMetadata> ITEMS = AvroCodec.of(ItemMetadata.class);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /**
   * Replays the data set into a new topic of 3 partitions and checks what arrived: every event
   * once, keyed by its user, each user's events in one partition and in the replay order (stable
   * sort by time), values as in the data set.
   */
  private static void replayAndCheck(Dataset data, String topic) {
    kafka.createTopics(3, topic);
    List<long[]> progress = new ArrayList<>();
    long start = System.nanoTime();
    long sent;
    try (InteractionProducer producer = new InteractionProducer(kafka.bootstrapServers())) {
      sent =
          producer.sendInteractions(
              data, topic, 0, 1000, (done, total) -> progress.add(new long[] {done, total}));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "replayed %,d events of %s in %.2f s (%,.0f events/s)%n",
        sent, data.name(), seconds, sent / seconds);

    int total = data.interactions().size();
    assertThat(sent).isEqualTo(total);
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1)).containsExactly(total, total);
    for (int i = 0; i < progress.size() - 1; i++) {
      assertThat(progress.get(i)).containsExactly((i + 1) * 1000L, total);
    }

    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaTestClients.readAll(kafka.bootstrapServers(), topic, total);
    assertThat(records).hasSize(total);

    Map<String, List<InteractionEvent>> expected = new LinkedHashMap<>();
    List<Interaction> sorted = new ArrayList<>(data.interactions());
    sorted.sort(Comparator.comparingLong(Interaction::timeMillis));
    for (Interaction i : sorted) {
      expected
          .computeIfAbsent(i.userId(), u -> new ArrayList<>())
          .add(InteractionProducer.toEvent(i));
    }
    Map<String, List<InteractionEvent>> actual = new LinkedHashMap<>();
    Map<String, Integer> partitionOfUser = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      InteractionEvent event = EVENTS.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.getUserId());
      Integer partition = partitionOfUser.putIfAbsent(event.getUserId(), record.partition());
      assertThat(partition == null ? record.partition() : partition)
          .as("partition of user %s", event.getUserId())
          .isEqualTo(record.partition());
      actual.computeIfAbsent(event.getUserId(), u -> new ArrayList<>()).add(event);
    }
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (var entry : expected.entrySet()) {
      assertThat(actual.get(entry.getKey()))
          .as("events of user %s", entry.getKey())
          .containsExactlyElementsOf(entry.getValue());
    }
    assertThat(new HashSet<>(partitionOfUser.values()))
        .as("partitions the users were spread over")
        .hasSizeGreaterThan(1);
  }

  @Test
  void replaysAGeneratedDataSetInTimeOrderPerUser() {
    replayAndCheck(SyntheticData.generate(7, 60, 120, 3000), "generated-interactions");
  }

  @Test
  void replaysMl100kInTimeOrderPerUser() {
    replayAndCheck(MovieLensReader.read(SharedDataSets.require("ml-100k")), "ml100k-interactions");
  }

  @Test
  void tellsTheObserverOfEveryAcknowledgedEventInEachUsersOrder() {
    Dataset data = SyntheticData.generate(11, 40, 80, 2000);
    String topic = "observed-interactions";
    kafka.createTopics(3, topic);
    Map<String, List<Interaction>> acknowledged = new HashMap<>();
    Map<String, Long> lastAck = new HashMap<>();
    long before = System.currentTimeMillis();
    try (InteractionProducer producer = new InteractionProducer(kafka.bootstrapServers())) {
      producer.sendInteractions(
          data,
          topic,
          0,
          1000,
          (done, total) -> {},
          (event, ackMillis) -> {
            synchronized (acknowledged) {
              acknowledged.computeIfAbsent(event.userId(), u -> new ArrayList<>()).add(event);
              Long last = lastAck.put(event.userId(), ackMillis);
              assertThat(ackMillis).isGreaterThanOrEqualTo(last == null ? before : last);
            }
          });
    }
    Map<String, List<Interaction>> expected = new HashMap<>();
    List<Interaction> sorted = new ArrayList<>(data.interactions());
    sorted.sort(Comparator.comparingLong(Interaction::timeMillis));
    for (Interaction i : sorted) {
      expected.computeIfAbsent(i.userId(), u -> new ArrayList<>()).add(i);
    }
    assertThat(acknowledged.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (var entry : expected.entrySet()) {
      assertThat(acknowledged.get(entry.getKey()))
          .as("acknowledged events of user %s, in order", entry.getKey())
          .containsExactlyElementsOf(entry.getValue());
    }
  }

  @Test
  void sendsTheMetadataOfEveryItemKeyedByItem() {
    Dataset data = SyntheticData.generate(3, 10, 50, 100);
    kafka.createTopics(2, "items");

    long sent;
    try (InteractionProducer producer = new InteractionProducer(kafka.bootstrapServers())) {
      sent = producer.sendItems(data.items(), "items");
    }

    assertThat(sent).isEqualTo(50);
    Map<String, ItemMetadata> received = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record :
        KafkaTestClients.readAll(kafka.bootstrapServers(), "items", 50)) {
      ItemMetadata item = ITEMS.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(item.getItemId());
      assertThat(received.put(item.getItemId(), item)).as("sent once").isNull();
    }
    assertThat(received).hasSize(50);
    data.items()
        .values()
        .forEach(
            info -> {
              ItemMetadata item = received.get(info.itemId());
              assertThat(item).isEqualTo(InteractionProducer.toItemMetadata(info));
              assertThat(item.getTitle()).isEqualTo(info.title());
              assertThat(item.getGenres()).isEqualTo(info.genres());
              assertThat(item.getYear()).isEqualTo(info.year());
              assertThat(item.getUpdateTimeMillis()).isZero();
            });
  }

  @Test
  void theRateLimitSpacesTheEvents() {
    Dataset data = SyntheticData.generate(5, 20, 40, 200);
    kafka.createTopics(1, "throttled");

    long start = System.nanoTime();
    try (InteractionProducer producer = new InteractionProducer(kafka.bootstrapServers())) {
      producer.sendInteractions(
          data, "throttled", 500, 50, InteractionProducer.ProgressListener.none());
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    // 200 events at 500/s: the last is due after 199 / 500 s = 0.4 s.
    assertThat(seconds).isBetween(0.39, 10.0);
    assertThat(KafkaTestClients.readAll(kafka.bootstrapServers(), "throttled", 200)).hasSize(200);
  }
}
