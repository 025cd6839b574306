package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.BOOTSTRAP_SERVERS;
import static io.personalize.job.config.PersonalizeOptions.START_FROM;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_METRICS;

import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.serve.ServeOptions;
import io.personalize.serving.serve.ServeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real path of the job for integration tests: an in-process Kafka broker with the job's topics
 * (kept forever, as the engine creates them), and the job's configuration and environment built by
 * {@link PipelineSettings}, exactly as {@code run} and the demo build them, on free loopback ports
 * so tests can run side by side.
 */
final class KafkaJob implements AutoCloseable {
  final EmbeddedKafka kafka;
  final Configuration conf;

  /**
   * @param settings the job's settings for this test (bootstrap servers and start position are set
   *     here)
   * @param checkpoints the Flink checkpoint directory
   */
  KafkaJob(Configuration settings, Path checkpoints) {
    kafka = EmbeddedKafka.start();
    conf = new Configuration(settings);
    conf.set(BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    if (!conf.contains(START_FROM)) {
      conf.set(START_FROM, PersonalizeOptions.StartFrom.EARLIEST);
    }
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    conf.setString("rest.port", String.valueOf(freePort()));
    conf.setString("queryable-state.proxy.ports", String.valueOf(freePort()));
    conf.setString("queryable-state.server.ports", String.valueOf(freePort()));
    // Tests read metrics through REST: refresh them every half second, not every 10 s.
    conf.setString("metrics.fetcher.update-interval", "500");
    JobRunner.createTopics(config());
  }

  JobConfig config() {
    return JobConfig.from(conf);
  }

  int proxyPort() {
    return Integer.parseInt(conf.getString("queryable-state.proxy.ports", null));
  }

  int restPort() {
    return Integer.parseInt(conf.getString("rest.port", null));
  }

  /**
   * The settings of a recommendation server beside this job: its broker, topics, REST API and
   * queryable state proxy, on any free port.
   */
  ServeSettings serveSettings() {
    JobConfig job = config();
    Configuration serve = new Configuration();
    serve.set(ServeOptions.PORT, 0);
    serve.set(ServeOptions.BOOTSTRAP_SERVERS, job.bootstrapServers());
    serve.set(
        ServeOptions.TOPIC_RECOMMENDATIONS, job.get(PersonalizeOptions.TOPIC_RECOMMENDATIONS));
    serve.set(ServeOptions.TOPIC_ITEMS, job.get(PersonalizeOptions.TOPIC_ITEMS));
    serve.set(ServeOptions.TOPIC_METRICS, job.get(PersonalizeOptions.TOPIC_METRICS));
    serve.set(ServeOptions.TOPIC_INTERACTIONS, job.get(PersonalizeOptions.TOPIC_INTERACTIONS));
    serve.set(ServeOptions.FLINK_REST, "http://127.0.0.1:" + restPort());
    serve.set(ServeOptions.QUERYABLE_STATE_PROXY, "127.0.0.1:" + proxyPort());
    return ServeSettings.from(serve);
  }

  /** The environment {@code run} would build for this configuration. */
  StreamExecutionEnvironment environment() {
    return PipelineSettings.environment(conf);
  }

  /**
   * Waits until the metrics topic says the adaptive mode has scored {@code events} events (or two
   * minutes pass); returns whether it did.
   */
  boolean awaitScored(long events) {
    long[] scored = {0};
    return consumeUntil(
        List.of(config().get(TOPIC_METRICS)),
        r -> {
          MetricSnapshot m = AvroCodec.of(MetricSnapshot.class).decode(r.value());
          if (m.getCumulative() && m.getGroup() == 0 && m.getMode().equals("adaptive")) {
            scored[0] = Math.max(scored[0], m.getEvents());
          }
        },
        x -> scored[0] >= events,
        Duration.ofMinutes(2));
  }

  /** Writes raw values to partition {@code partition} of a topic, waiting for every ack. */
  void produce(String topic, int partition, List<byte[]> values, long timestamp) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, partition, timestamp, null, value));
      }
      producer.flush();
    }
  }

  /**
   * Reads topics from the beginning, handing every record to {@code each}, until {@code done} holds
   * or {@code timeout} passes; returns whether {@code done} held.
   */
  boolean consumeUntil(
      List<String> topics,
      Consumer<ConsumerRecord<byte[], byte[]>> each,
      Predicate<Void> done,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.subscribe(new ArrayList<>(topics));
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          each.accept(r);
        }
        if (done.test(null)) {
          return true;
        }
      }
    }
    return false;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    kafka.close();
  }
}
