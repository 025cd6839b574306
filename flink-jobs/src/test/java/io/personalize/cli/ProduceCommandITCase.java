package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.format.WireFormat;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.testing.SharedDataSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code personalize produce} against an in-process broker; one broker for the whole class. */
class ProduceCommandITCase {
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

  private static List<byte[]> readAll(String bootstrap, String topic, int expected) {
    return readRecords(bootstrap, topic, expected).stream().map(ConsumerRecord::value).toList();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readRecords(
      String bootstrap, String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      return records;
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /** The topic's configuration as the broker reports it (its own settings and the defaults). */
  private static Config config(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = admin()) {
      return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
  }

  private static int partitions(String topic) throws Exception {
    try (Admin admin = admin()) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .size();
    }
  }

  private static void createTopic(String topic, Map<String, String> configs) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(configs)))
          .all()
          .get();
    }
  }

  /** {@code produce} of a small generated data set (events from 2020) into the given topics. */
  private static ProduceCommandTest.Run produce(String topic, String itemsTopic, String... more) {
    return produceGenerated(kafka.bootstrapServers(), topic, itemsTopic, more);
  }

  /**
   * {@code produce} of 200 generated events (20 users, 30 items, from 2020) to the broker at {@code
   * bootstrap}; also the events other commands' tests run on.
   */
  static ProduceCommandTest.Run produceGenerated(
      String bootstrap, String topic, String itemsTopic, String... more) {
    List<String> args = generated(20, 30, 200, bootstrap, topic, itemsTopic);
    args.addAll(List.of("--timeout-seconds", "20", "--no-progress"));
    args.addAll(List.of(more));
    return ProduceCommandTest.run(args.toArray(new String[0]));
  }

  /** {@code produce}'s arguments for generated data (seed 42) into the given topics. */
  private static List<String> generated(
      int users, int items, int events, String bootstrap, String topic, String itemsTopic) {
    return new ArrayList<>(
        List.of(
            "--data",
            "generated",
            "--generated-users",
            String.valueOf(users),
            "--generated-items",
            String.valueOf(items),
            "--generated-events",
            String.valueOf(events),
            "--topic",
            topic,
            "--items-topic",
            itemsTopic,
            "--bootstrap-servers",
            bootstrap));
  }

  /**
   * A replay stopped by Ctrl-C or SIGTERM (as a process of its own) said nothing of how far it got,
   * so the user could only send everything again, twice for the events already sent. It now says
   * how many of the events in time order are in the topic, and {@code --skip} sends the rest: each
   * event once.
   */
  @Test
  void anInterruptedReplaySaysHowFarItGotAndSkipSendsTheRest(@TempDir Path dir) throws Exception {
    String topic = "interrupted";
    List<String> data =
        generated(50, 80, 3_000, kafka.bootstrapServers(), topic, "interrupted-items");
    data.add("--no-progress");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PersonalizeCli.class.getName(),
                "produce",
                "--rate",
                "500"));
    command.addAll(data);
    Path log = dir.resolve("produce.log");
    Process replay =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (endOffsets(topic) < 100 && replay.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(replay.isAlive()).as(Files.readString(log)).isTrue();
      replay.destroy(); // SIGTERM: the JVM's shutdown hooks run, as on Ctrl-C
      assertThat(replay.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      replay.destroyForcibly();
    }

    String said = Files.readString(log);
    Matcher interrupted =
        Pattern.compile(
                "interrupted: the first ([0-9,]+) of the 3,000 events in time order are in"
                    + " 'interrupted' \\(([0-9,]+) sent now, each acknowledged by the broker\\); --skip"
                    + " ([0-9]+) sends the rest")
            .matcher(said);
    assertThat(interrupted.find()).as(said).isTrue();
    int through = Integer.parseInt(interrupted.group(1).replace(",", ""));
    assertThat(through).isBetween(100, 2_999);
    assertThat(interrupted.group(3)).isEqualTo(String.valueOf(through));
    assertThat(endOffsets(topic)).isEqualTo(through);

    List<String> rest = new ArrayList<>(List.of("--skip", String.valueOf(through)));
    rest.addAll(data);
    ProduceCommandTest.Run resumed = ProduceCommandTest.run(rest.toArray(new String[0]));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out())
        .contains(
            String.format(
                "sent %,d events (the first %,d skipped) to 'interrupted' (item metadata skipped)",
                3_000 - through, through));
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    List<String> events =
        readAll(kafka.bootstrapServers(), topic, 3_000).stream()
            .map(codec::decode)
            .map(e -> e.getUserId() + " " + e.getItemId() + " " + e.getEventTimeMillis())
            .toList();
    List<String> expected =
        SyntheticData.generate(42, 50, 80, 3_000).interactions().stream()
            .map(i -> i.userId() + " " + i.itemId() + " " + i.timeMillis())
            .toList();
    assertThat(events).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** The records in all partitions of {@code topic}; 0 before it exists. */
  private static long endOffsets(String topic) throws Exception {
    try (Admin admin = admin()) {
      if (!admin.listTopics().names().get().contains(topic)) {
        return 0;
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(ListOffsetsResultInfo::offset)
          .sum();
    }
  }

  @Test
  void replaysGeneratedDataIntoKafka() {
    kafka.createTopics(2, "events", "item-metadata");

    List<String> args =
        generated(50, 80, 2_000, kafka.bootstrapServers(), "events", "item-metadata");
    args.addAll(List.of("--timeout-seconds", "20"));
    ProduceCommandTest.Run run = ProduceCommandTest.run(args.toArray(new String[0]));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("sent 2,000 events to 'events' and 80 items to 'item-metadata' at ")
        .contains("events/s");
    assertThat(run.err()).contains("read generated (generated): 2,000 events, 80 items");

    List<byte[]> events = readAll(kafka.bootstrapServers(), "events", 2000);
    List<byte[]> items = readAll(kafka.bootstrapServers(), "item-metadata", 80);
    assertThat(events).hasSize(2000);
    assertThat(items).hasSize(80);
    AvroCodec<InteractionEvent> eventCodec = AvroCodec.of(InteractionEvent.class);
    AvroCodec<ItemMetadata> itemCodec = AvroCodec.of(ItemMetadata.class);
    events.forEach(bytes -> assertThat(eventCodec.decode(bytes).getValue()).isBetween(1.0, 5.0));
    items.forEach(bytes -> assertThat(itemCodec.decode(bytes).getGenres()).isNotEmpty());
  }

  /**
   * {@code --format json}: the same records as JSON objects, items too, which the job's own decoder
   * ({@link RecordDecoder}, the first step of its validation) reads into the records an Avro
   * producer writes.
   */
  @Test
  void formatJsonSendsEventsAndItemsTheJobsDecoderReads() {
    ProduceCommandTest.Run avro = produce("avro-events", "avro-items");
    ProduceCommandTest.Run json = produce("json-events", "json-items", "--format", "json");

    assertThat(avro.exitCode()).as(avro.err()).isZero();
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<ConsumerRecord<byte[], byte[]>> events =
        readRecords(kafka.bootstrapServers(), "json-events", 200);
    List<byte[]> items = readAll(kafka.bootstrapServers(), "json-items", 30);
    assertThat(events).hasSize(200);
    assertThat(items).hasSize(30);
    assertThat(events)
        .allSatisfy(r -> assertThat(WireFormat.detect(r.value())).isEqualTo(WireFormat.JSON));
    RecordDecoder<InteractionEvent> decoder = RecordDecoder.of(InteractionEvent.class);
    AvroCodec<InteractionEvent> avroCodec = AvroCodec.of(InteractionEvent.class);
    assertThat(events.stream().map(r -> decoder.decode(r.value())).toList())
        .as("the same events as the Avro replay")
        .containsExactlyInAnyOrderElementsOf(
            readAll(kafka.bootstrapServers(), "avro-events", 200).stream()
                .map(avroCodec::decode)
                .toList());
    assertThat(events)
        .allSatisfy(
            r ->
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .isEqualTo(decoder.decode(r.value()).getUserId()));
    RecordDecoder<ItemMetadata> itemDecoder = RecordDecoder.of(ItemMetadata.class);
    items.forEach(bytes -> assertThat(itemDecoder.decode(bytes).getGenres()).isNotEmpty());
  }

  /**
   * REGRESSION: a topic left to be auto-created got the broker's default retention (7 days), and
   * the broker deleted the replayed history (event times in 2020) at its first retention check.
   */
  @Test
  void createsAMissingTopicThatKeepsRecordsForever() throws Exception {
    ProduceCommandTest.Run run = produce("new-events", "new-items");

    assertThat(run.exitCode()).as(run.err()).isZero();
    for (String topic : List.of("new-events", "new-items")) {
      Config config = config(topic);
      assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).as(topic).isEqualTo("-1");
      assertThat(config.get(TopicConfig.RETENTION_BYTES_CONFIG).value()).as(topic).isEqualTo("-1");
      assertThat(partitions(topic))
          .as("partitions of " + topic + " (--partitions default)")
          .isEqualTo(2);
    }
    assertThat(run.err())
        .contains("created topics 'new-events' and 'new-items' with 2 partitions")
        .contains("keeping records forever (retention.ms=-1, retention.bytes=-1)")
        .doesNotContain("warning");
    assertThat(readAll(kafka.bootstrapServers(), "new-events", 200)).hasSize(200);
    assertThat(readAll(kafka.bootstrapServers(), "new-items", 30)).hasSize(30);
  }

  @Test
  void partitionsOptionSetsThePartitionsOfACreatedTopic() throws Exception {
    kafka.createTopics(1, "existing-items");

    ProduceCommandTest.Run run = produce("three-partitions", "existing-items", "--partitions", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(partitions("three-partitions")).isEqualTo(3);
    assertThat(config("three-partitions").get(TopicConfig.RETENTION_MS_CONFIG).value())
        .isEqualTo("-1");
    assertThat(run.err())
        .contains("created topic 'three-partitions' with 3 partitions")
        .doesNotContain("'existing-items' with");
    assertThat(partitions("existing-items")).as("an existing topic is left as it is").isEqualTo(1);
  }

  @Test
  void warnsWhenAnExistingTopicWouldDeleteTheReplayedRecords() throws Exception {
    createTopic("default-retention", Map.of());
    assertThat(config("default-retention").get(TopicConfig.RETENTION_MS_CONFIG).value())
        .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));

    ProduceCommandTest.Run run = produce("default-retention", "default-retention-items");

    // A warning, not a refusal: the records are written.
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("personalize: warning: topic 'default-retention' deletes records older than")
        .contains("retention.ms=604800000")
        .contains("2020-");
    assertThat(run.err()).doesNotContain("created topic 'default-retention'");
    assertThat(config("default-retention").get(TopicConfig.RETENTION_MS_CONFIG).value())
        .as("the existing topic is left as it is")
        .isEqualTo("604800000");
    assertThat(readAll(kafka.bootstrapServers(), "default-retention", 200)).hasSize(200);
  }

  @Test
  void noWarningWhenTheExistingTopicKeepsRecordsForever() throws Exception {
    createTopic("kept", Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    createTopic("kept-items", Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));

    ProduceCommandTest.Run run = produce("kept", "kept-items");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("warning").doesNotContain("created topic");
    assertThat(readAll(kafka.bootstrapServers(), "kept", 200)).hasSize(200);
  }

  @Test
  void replaysClickSessionsAsClickEventsKeyedByTheirSession(@TempDir Path dir) throws IOException {
    Path data = Files.createDirectories(dir.resolve("clicks"));
    String header = "SessionId\tItemId\tTime\n";
    Files.writeString(
        data.resolve("c_train_full.txt"), header + "3\t30\t1396437466.94\n3\t31\t1396437500\n");
    Files.writeString(data.resolve("c_test.txt"), header + "1\t30\t1396860669.277\n");

    ProduceCommandTest.Run run =
        ProduceCommandTest.run(
            "--data",
            data.toString(),
            "--topic",
            "click-events",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--timeout-seconds",
            "20",
            "--no-progress");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("read clicks (yoochoose): 3 events, 0 items");
    assertThat(run.out()).contains("sent 3 events to 'click-events' (no item file)");
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    List<String> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record :
        readRecords(kafka.bootstrapServers(), "click-events", 3)) {
      InteractionEvent event = codec.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.getUserId());
      assertThat(record.timestamp()).isEqualTo(event.getEventTimeMillis());
      events.add(
          event.getUserId()
              + " "
              + event.getEventType()
              + " "
              + event.getItemId()
              + " "
              + event.getValue()
              + " @"
              + event.getEventTimeMillis());
    }
    assertThat(events)
        .containsExactlyInAnyOrder(
            "3 CLICK 30 1.0 @1396437466940",
            "3 CLICK 31 1.0 @1396437500000",
            "1 CLICK 30 1.0 @1396860669277");
  }

  @Test
  void producesTheYoochooseSampleByName() {
    SharedDataSets.require("yoochoose-100k-sample");

    ProduceCommandTest.Run run =
        ProduceCommandTest.run(
            "--data",
            "yoochoose-100k-sample",
            "--topic",
            "yoochoose",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--timeout-seconds",
            "20",
            "--no-progress");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("read yoochoose-100k-sample (yoochoose): 83,846 events, 0 items");
    assertThat(run.out()).contains("sent 83,846 events to 'yoochoose' (no item file)");
    List<byte[]> events = readAll(kafka.bootstrapServers(), "yoochoose", 83_846);
    assertThat(events).hasSize(83_846);
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    assertThat(events)
        .allSatisfy(
            bytes -> {
              InteractionEvent event = codec.decode(bytes);
              assertThat(event.getEventType()).isEqualTo(EventType.CLICK);
              assertThat(event.getValue()).isEqualTo(1.0);
            });
  }
}
