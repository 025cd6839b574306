package io.personalize.serving.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.EventCheck;
import io.personalize.connectors.json.JsonEvents;
import io.personalize.connectors.json.JsonRecords;
import io.personalize.model.RatingScale;
import io.personalize.validation.EventValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: one JSON event or a JSON array of them, read as the job reads JSON input
 * ({@link JsonEvents}) and checked by the job's {@link EventValidator}, then written to the
 * interactions topic as Avro, keyed by user, and answered only when Kafka has acknowledged every
 * one. A batch is all or nothing: one bad event and none is written, the answer naming each bad one
 * by its index with the dead-letter reason the job would give. docs/serving.md has the answers.
 */
final class EventIntake implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);
  private static final AvroCodec<InteractionEvent> AVRO = AvroCodec.of(InteractionEvent.class);

  /** A short wait lets events of concurrent requests share one produce request. */
  private static final int LINGER_MS = 2;

  /** Splits a batch into its elements; each element is then read by {@link JsonEvents}. */
  private static final ObjectMapper BATCH =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(JsonRecords.MAX_DEPTH + 1)
                          .maxNumberLength(JsonRecords.MAX_NUMBER_LENGTH)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          // Numbers as written: JsonEvents then reads each element as it reads a single event.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** An answer: the HTTP status, the JSON body, and for a 429 or 503 the seconds to wait. */
  record Answer(int status, Map<String, Object> body, long retryAfterSeconds) {}

  private final EventIntakeSettings settings;
  private final EventValidator validator;
  private final ClientRateLimit rateLimit;
  private final KafkaProducer<byte[], byte[]> producer;

  EventIntake(
      String bootstrapServers, Map<String, String> kafkaClient, EventIntakeSettings settings) {
    this.settings = settings;
    this.validator =
        new EventValidator(
            new RatingScale(settings.ratingMin(), settings.ratingMax()),
            settings.maxFuture().toMillis());
    this.rateLimit =
        new ClientRateLimit(
            settings.ratePerClient(), Math.max(settings.ratePerClient(), settings.maxBatch()));
    this.producer = new KafkaProducer<>(producerConfig(bootstrapServers, kafkaClient, settings));
  }

  /** Idempotent, acks=all (an acknowledged event survives a broker's loss). */
  private static Properties producerConfig(
      String bootstrapServers, Map<String, String> kafkaClient, EventIntakeSettings settings) {
    int timeout = (int) Math.min(Integer.MAX_VALUE, settings.ackTimeout().toMillis());
    Properties props = new Properties();
    props.putAll(kafkaClient);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(timeout));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(timeout + LINGER_MS));
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "personalize-serve-events");
    return props;
  }

  /**
   * Connects the producer before the first request: fetches the topic's partitions (and so the
   * broker's metadata), which the first event would otherwise wait for. Up to the ack timeout; if
   * Kafka does not answer, the server starts anyway and the first events wait (or get a 503).
   */
  void connect() {
    long start = System.nanoTime();
    try {
      int partitions = producer.partitionsFor(settings.topic()).size();
      LOG.info(
          "POST /events writes to topic {} ({} partitions; connected in {} ms)",
          settings.topic(),
          partitions,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (RuntimeException e) {
      LOG.warn(
          "POST /events: Kafka did not answer for topic {} within {} ms ({}); the first events"
              + " will wait for it",
          settings.topic(),
          settings.ackTimeout().toMillis(),
          e.toString());
    }
  }

  /**
   * Reads, checks and writes the events of one request body; blocks until Kafka acknowledged them
   * or the ack timeout passed.
   *
   * @param client who sent them, for the rate limit (the client's address)
   */
  Answer accept(byte[] body, String client, long nowMillis) {
    List<byte[]> elements;
    try {
      elements = elements(body);
    } catch (BadBody e) {
      return error(400, e.getMessage());
    }
    if (elements.isEmpty()) {
      return error(400, "no events: the body is an empty array");
    }
    if (elements.size() > settings.maxBatch()) {
      return error(
          400,
          elements.size()
              + " events in one request; at most "
              + settings.maxBatch()
              + " ("
              + ServeOptions.EVENTS_MAX_BATCH.key()
              + ")");
    }
    List<InteractionEvent> events = new ArrayList<>(elements.size());
    List<Map<String, Object>> rejected = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      try {
        events.add(
            EventCheck.checked(JsonEvents.interaction(elements.get(i)), validator, nowMillis));
      } catch (DecodingException e) {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("index", i);
        bad.put("reason", e.reason().name());
        bad.put("detail", e.getMessage());
        rejected.add(bad);
      }
    }
    if (!rejected.isEmpty()) {
      Map<String, Object> answer =
          Answers.error(
              400,
              rejected.size() + " of " + elements.size() + " events are invalid; none was written");
      answer.put("accepted", 0);
      answer.put("rejected", rejected);
      return new Answer(400, answer, 0);
    }
    long wait = rateLimit.take(client, events.size(), System.nanoTime());
    if (wait > 0) {
      return new Answer(
          429,
          Answers.error(
              429,
              "over the rate limit of "
                  + settings.ratePerClient()
                  + " events a second per client ("
                  + ServeOptions.EVENTS_RATE_LIMIT.key()
                  + "); none was written"),
          wait);
    }
    return write(events);
  }

  private Answer write(List<InteractionEvent> events) {
    long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
    try {
      for (InteractionEvent event : events) {
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    settings.topic(),
                    event.getUserId().getBytes(StandardCharsets.UTF_8),
                    AVRO.encode(event))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.warn(
          "POST /events: Kafka did not acknowledge {} events: {}", events.size(), cause.toString());
      Map<String, Object> answer =
          Answers.error(
              503,
              "Kafka did not acknowledge the events within "
                  + settings.ackTimeout().toMillis()
                  + " ms ("
                  + cause.getClass().getSimpleName()
                  + "); some may have been written: retrying may apply them twice");
      return new Answer(503, answer, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(503, "interrupted while waiting for Kafka");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", 202);
    answer.put("accepted", events.size());
    answer.put("topic", settings.topic());
    return new Answer(202, answer, 0);
  }

  /** The body's events as JSON bytes each: the body itself for one object, else its elements. */
  private static List<byte[]> elements(byte[] body) throws BadBody {
    JsonNode root;
    try {
      root = BATCH.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadBody("the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadBody("the body cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new BadBody("the body is empty: send one JSON event or an array of them");
    }
    if (root.isObject()) {
      return List.of(body);
    }
    if (!root.isArray()) {
      throw new BadBody(
          "the body is a JSON "
              + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
              + ": send one JSON event (an object) or an array of them");
    }
    List<byte[]> elements = new ArrayList<>(root.size());
    for (JsonNode element : root) {
      try {
        elements.add(BATCH.writeValueAsBytes(element));
      } catch (JsonProcessingException e) {
        throw new BadBody("cannot read an element of the array: " + e.getOriginalMessage());
      }
    }
    return elements;
  }

  private static Answer error(int status, String message) {
    return new Answer(status, Answers.error(status, message), 0);
  }

  private static final class BadBody extends Exception {
    BadBody(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
