package io.personalize.connectors.kafka.flink;

import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.OutputFormat;
import io.personalize.connectors.kafka.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Flink Kafka sources and sinks of the engine (flink-connector-kafka; this package needs the
 * Flink runtime, the rest of {@code connectors} does not).
 *
 * <p>Sources read {@link RawRecord}s: the bytes as they are, with their origin, so that decoding
 * and validation happen in the job and a bad record becomes a dead letter instead of failing the
 * source. The source reads with {@code isolation.level=read_committed}, so a topic written by an
 * exactly-once sink is read without its aborted or open transactions.
 *
 * <p>Sinks write Avro single-object-encoded values ({@link AvroCodec}), or one JSON object per
 * record where a sink is given {@link OutputFormat#JSON}. Which guarantee each sink of the engine
 * should use:
 *
 * <ul>
 *   <li>{@link DeliveryGuarantee#AT_LEAST_ONCE}, the default for every sink of the engine: model
 *       updates ({@code GradientCheckpoint}, {@code GroupBoundaries}), metrics ({@code
 *       MetricSnapshot}), recommendations and dead letters. After a failure the records since the
 *       last checkpoint are written again; consumers dedupe by version (a checkpoint or boundaries
 *       at a version they already have is skipped; a snapshot replaces the one with the same
 *       window, group and mode) and a duplicated dead letter is harmless. Records are visible at
 *       once, with no transaction overhead and no dependence on the checkpoint interval.
 *   <li>{@link DeliveryGuarantee#EXACTLY_ONCE}, available through {@link #avroSink(String, String,
 *       Class, SerializableFunction, SerializableFunction, DeliveryGuarantee, String)}: each
 *       checkpoint commits a Kafka transaction, so a consumer reading with {@code read_committed}
 *       sees every record once, but only after the checkpoint completes (latency = checkpoint
 *       interval). It needs checkpointing, a transactional id prefix unique to the job and sink,
 *       and a {@code transaction.timeout.ms} (60 s here) longer than a checkpoint plus a restart.
 *       Use it for a topic whose consumers cannot dedupe.
 *   <li>{@link DeliveryGuarantee#NONE}: no flush on checkpoints; records may be lost. Not used.
 * </ul>
 */
public final class KafkaConnectors {
  /**
   * {@code transaction.timeout.ms} of exactly-once sinks (the producer default, below the broker's
   * 15 min cap).
   */
  static final int TRANSACTION_TIMEOUT_MS = 60_000;

  private KafkaConnectors() {}

  /**
   * An unbounded source of the raw records of one topic.
   *
   * @param start where to start when the group has no checkpointed offsets, e.g. {@code
   *     OffsetsInitializer.earliest()} or {@code committedOffsets(OffsetResetStrategy.EARLIEST)}
   */
  public static KafkaSource<RawRecord> rawSource(
      String bootstrap, String topic, String groupId, OffsetsInitializer start) {
    return rawSource(bootstrap, topic, groupId, start, null);
  }

  /**
   * A source of the raw records of one topic, bounded when {@code stopAt} is given.
   *
   * @param start where to start when the group has no checkpointed offsets
   * @param stopAt where to stop, e.g. {@code OffsetsInitializer.latest()} (the end of each
   *     partition when the job starts); null for an unbounded source
   */
  public static KafkaSource<RawRecord> rawSource(
      String bootstrap,
      String topic,
      String groupId,
      OffsetsInitializer start,
      OffsetsInitializer stopAt) {
    return rawSource(bootstrap, Map.of(), topic, groupId, start, stopAt);
  }

  /**
   * {@link #rawSource(String, String, String, OffsetsInitializer, OffsetsInitializer)} with extra
   * consumer settings (e.g. {@code security.protocol}, SASL or SSL settings), applied before the
   * source's own.
   */
  public static KafkaSource<RawRecord> rawSource(
      String bootstrap,
      Map<String, String> clientProperties,
      String topic,
      String groupId,
      OffsetsInitializer start,
      OffsetsInitializer stopAt) {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(start, "start");
    KafkaSourceBuilder<RawRecord> builder =
        KafkaSource.<RawRecord>builder()
            .setProperties(properties(clientProperties))
            .setBootstrapServers(bootstrap)
            .setTopics(topic)
            .setGroupId(groupId)
            .setClientIdPrefix(groupId + "-" + topic)
            .setStartingOffsets(start)
            .setDeserializer(new RawRecordDeserializationSchema())
            .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (stopAt != null) {
      builder.setBounded(stopAt);
    }
    return builder.build();
  }

  /**
   * A sink of Avro records to one topic with at-least-once or no guarantee.
   *
   * @param key the record key of each element, written as UTF-8; null, or returning null, for no
   *     key (the partition is then chosen by Kafka)
   * @param timestamp the record timestamp of each element (epoch ms), such as the time it was made;
   *     null, or returning null, for the time Kafka receives it
   * @throws IllegalArgumentException for {@link DeliveryGuarantee#EXACTLY_ONCE}, which needs a
   *     transactional id prefix: use the overload that takes one
   */
  public static <T extends SpecificRecord> KafkaSink<T> avroSink(
      String bootstrap,
      String topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Long> timestamp,
      DeliveryGuarantee guarantee) {
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      throw new IllegalArgumentException(
          "an EXACTLY_ONCE sink to "
              + topic
              + " needs a transactional id prefix: use avroSink(..., guarantee, prefix)");
    }
    return avroSink(bootstrap, topic, type, key, timestamp, guarantee, null);
  }

  /**
   * A sink of Avro records to one topic.
   *
   * @param key the record key of each element, written as UTF-8; null, or returning null, for no
   *     key
   * @param timestamp the record timestamp of each element (epoch ms); null, or returning null, for
   *     the time Kafka receives it
   * @param transactionalIdPrefix required for {@link DeliveryGuarantee#EXACTLY_ONCE}: unique per
   *     job and sink, and stable across restarts of the job (Flink aborts the transactions left
   *     open under it); ignored otherwise
   */
  public static <T extends SpecificRecord> KafkaSink<T> avroSink(
      String bootstrap,
      String topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Long> timestamp,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix) {
    return avroSink(
        bootstrap, Map.of(), topic, type, key, timestamp, guarantee, transactionalIdPrefix);
  }

  /**
   * {@link #avroSink(String, String, Class, SerializableFunction, SerializableFunction,
   * DeliveryGuarantee, String)} with extra producer settings (e.g. {@code security.protocol}, SASL
   * or SSL settings), applied before the sink's own.
   */
  public static <T extends SpecificRecord> KafkaSink<T> avroSink(
      String bootstrap,
      Map<String, String> clientProperties,
      String topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Long> timestamp,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix) {
    return sink(
        bootstrap,
        clientProperties,
        topic,
        type,
        OutputFormat.AVRO,
        key,
        timestamp,
        guarantee,
        transactionalIdPrefix);
  }

  /**
   * {@link #avroSink(String, Map, String, Class, SerializableFunction, SerializableFunction,
   * DeliveryGuarantee, String)} writing each record in {@code format}: Avro single-object encoding
   * or one JSON object.
   */
  public static <T extends SpecificRecord> KafkaSink<T> sink(
      String bootstrap,
      Map<String, String> clientProperties,
      String topic,
      Class<T> type,
      OutputFormat format,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Long> timestamp,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix) {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(guarantee, "guarantee");
    KafkaSinkBuilder<T> builder =
        KafkaSink.<T>builder()
            .setKafkaProducerConfig(properties(clientProperties))
            .setBootstrapServers(bootstrap)
            .setRecordSerializer(
                new RecordSerializationSchema<>(topic, type, format, key, timestamp))
            .setDeliveryGuarantee(guarantee)
            .setProperty(ProducerConfig.ACKS_CONFIG, "all");
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
        throw new IllegalArgumentException(
            "an EXACTLY_ONCE sink to " + topic + " needs a non-blank transactional id prefix");
      }
      builder
          .setTransactionalIdPrefix(transactionalIdPrefix)
          .setProperty(
              ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(TRANSACTION_TIMEOUT_MS));
    }
    return builder.build();
  }

  private static Properties properties(Map<String, String> clientProperties) {
    Properties properties = new Properties();
    properties.putAll(Objects.requireNonNull(clientProperties, "clientProperties"));
    return properties;
  }

  /** Keeps every Kafka record as a {@link RawRecord}; never fails, whatever the bytes. */
  public static final class RawRecordDeserializationSchema
      implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
      out.collect(
          new RawRecord(
              record.topic(),
              record.partition(),
              record.offset(),
              record.timestamp(),
              record.key(),
              record.value()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
      return TypeInformation.of(RawRecord.class);
    }
  }

  /**
   * Writes each element to one topic, single-object encoded or as JSON ({@link OutputFormat}), with
   * the key and the timestamp given by functions of the element. Flink's own record timestamp is
   * never written: an operator can emit a record stamped with a timer's time, and a broker rejects
   * a timestamp outside its window ({@code log.message.timestamp.after.max.ms}, one hour ahead by
   * default), which fails the sink. A timestamp that is negative or more than {@link
   * #MAX_AHEAD_MILLIS} ahead of the wall clock is replaced by the broker's time.
   */
  public static final class RecordSerializationSchema<T extends SpecificRecord>
      implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** The furthest ahead of the wall clock a written timestamp may be. */
    public static final long MAX_AHEAD_MILLIS = 60_000;

    private final String topic;
    private final AvroCodec<T> codec;
    private final OutputFormat format;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Long> timestamp;

    /** Writes Avro single-object encoding. */
    public RecordSerializationSchema(
        String topic,
        Class<T> type,
        SerializableFunction<T, String> key,
        SerializableFunction<T, Long> timestamp) {
      this(topic, type, OutputFormat.AVRO, key, timestamp);
    }

    public RecordSerializationSchema(
        String topic,
        Class<T> type,
        OutputFormat format,
        SerializableFunction<T, String> key,
        SerializableFunction<T, Long> timestamp) {
      this.topic = Objects.requireNonNull(topic, "topic");
      this.codec = AvroCodec.of(type);
      this.format = Objects.requireNonNull(format, "format");
      this.key = key;
      this.timestamp = timestamp;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        T element, KafkaSinkContext context, Long flinkTimestamp) {
      String k = key == null ? null : key.apply(element);
      byte[] keyBytes = k == null ? null : k.getBytes(StandardCharsets.UTF_8);
      return new ProducerRecord<>(
          topic, null, timestampOf(element), keyBytes, format.encode(codec, element));
    }

    private Long timestampOf(T element) {
      Long t = timestamp == null ? null : timestamp.apply(element);
      if (t == null || t < 0 || t > System.currentTimeMillis() + MAX_AHEAD_MILLIS) {
        return null;
      }
      return t;
    }
  }
}
