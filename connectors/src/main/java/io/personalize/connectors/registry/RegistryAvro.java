package io.personalize.connectors.registry;

import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.avro.BodyCheck;
import io.personalize.connectors.format.DecodingException;
import io.personalize.connectors.format.WireFormat;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the schema-registry wire format of one generated record type: {@code 00}, the writer
 * schema's id (4 bytes, big-endian), the Avro binary body. The writer schema comes from the
 * registry ({@link SchemaRegistryClient}), and the body is read with Avro's schema resolution from
 * it to the class's schema, so a producer may write any compatible version (docs/formats.md).
 *
 * <p>While the registry does not answer, a record waits, retrying with backoff, until the outage is
 * {@link RegistrySettings#maxWait()} old; after that each record is a {@link
 * DeadLetterReason#REGISTRY_UNAVAILABLE} dead letter at once (asking the registry again at most
 * once a second), until it answers again. An outage is logged once, when it starts, and once when
 * it ends.
 *
 * <p>Serializable (the settings and the class only); the client and the resolved readers are built
 * on first use. Thread-safe.
 */
public final class RegistryAvro<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RegistryAvro.class);

  /** Magic byte, then the 4-byte schema id. */
  private static final int HEADER = 5;

  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Once records no longer wait, the registry is still asked this often, to notice it is back. */
  private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Class<T> type;
  private final RegistrySettings settings;

  private transient volatile Parts<T> parts;

  /** The writer schema of an id resolved against the class's schema, or why it cannot be. */
  private record Resolution<T>(SpecificDatumReader<T> reader, Schema writer, String incompatible) {}

  private record Parts<T>(
      Schema readerSchema,
      SpecificData model,
      SchemaRegistryClient client,
      BoundedCache<Integer, Resolution<T>> resolutions,
      Outage outage) {}

  public RegistryAvro(Class<T> type, RegistrySettings settings) {
    this.type = type;
    this.settings = settings;
  }

  /** Outages seen by this decoder: times the registry stopped answering. */
  public long outages() {
    return parts().outage().count.get();
  }

  /** Requests to the registry asked again after a failure. */
  public long retries() {
    return parts().outage().retries.get();
  }

  /**
   * Decodes one record value whose first byte is {@code 00}.
   *
   * @throws DecodingException {@link DeadLetterReason#UNDECODABLE} (framing cut short, corrupt
   *     body), {@link DeadLetterReason#WRONG_SCHEMA} (a writer schema that cannot be read as this
   *     type), {@link DeadLetterReason#UNKNOWN_SCHEMA_ID}, {@link
   *     DeadLetterReason#REGISTRY_UNAVAILABLE} (none configured, or it did not answer in time)
   */
  public T decode(byte[] bytes) {
    String name = type.getSimpleName();
    if (bytes.length < HEADER) {
      throw new DecodingException(
          DeadLetterReason.UNDECODABLE,
          "schema-registry framing cut short: "
              + WireFormat.describe(bytes)
              + ", where 00 and a 4-byte schema id come first",
          null);
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    if (!settings.enabled()) {
      throw new DecodingException(
          DeadLetterReason.REGISTRY_UNAVAILABLE,
          "schema-registry framing (schema id "
              + id
              + ") but no schema registry is configured (personalize.schema-registry.url)",
          null);
    }
    Resolution<T> resolution = resolution(id);
    if (resolution.incompatible() != null) {
      throw new DecodingException(
          DeadLetterReason.WRONG_SCHEMA,
          "writer schema id "
              + id
              + " ("
              + resolution.writer().getFullName()
              + ") cannot be read as "
              + name
              + ": "
              + resolution.incompatible(),
          null);
    }
    // Check the structure first: Avro allocates whatever length the data declares.
    String problem = BodyCheck.problem(resolution.writer(), bytes, HEADER);
    if (problem != null) {
      throw new DecodingException(
          DeadLetterReason.UNDECODABLE,
          "corrupt or truncated " + name + " of schema id " + id + ": " + problem,
          null);
    }
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
    try {
      return resolution.reader().read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new DecodingException(
          DeadLetterReason.UNDECODABLE, "corrupt " + name + " of schema id " + id + ": " + e, e);
    }
  }

  private Resolution<T> resolution(int id) {
    Parts<T> p = parts();
    Resolution<T> known = p.resolutions().get(id);
    if (known != null) {
      return known;
    }
    Schema writer = writerSchema(id, p);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(p.readerSchema(), writer);
    Resolution<T> resolution =
        compatibility.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
            ? new Resolution<>(
                new SpecificDatumReader<>(writer, p.readerSchema(), p.model()), writer, null)
            : new Resolution<>(null, writer, incompatibilities(compatibility));
    p.resolutions().put(id, resolution);
    return resolution;
  }

  private static String incompatibilities(SchemaCompatibility.SchemaPairCompatibility result) {
    StringBuilder b = new StringBuilder();
    for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(i.getType())
          .append(" at ")
          .append(i.getLocation())
          .append(": ")
          .append(i.getMessage());
    }
    return b.toString();
  }

  /** The writer schema from the registry, waiting for it while an outage is young. */
  private Schema writerSchema(int id, Parts<T> p) {
    Schema known = p.client().cached(id); // fetched by another task: usable during an outage
    if (known != null) {
      return known;
    }
    Outage outage = p.outage();
    long backoff = FIRST_BACKOFF_NANOS;
    try {
      while (true) {
        if (!outage.mayAsk(System.nanoTime())) {
          throw outage.unavailable(id);
        }
        try {
          Schema schema = p.client().schema(id);
          outage.answered();
          return schema;
        } catch (RegistryUnavailableException e) {
          long now = System.nanoTime();
          long waitLeft = outage.failed(now, e);
          if (waitLeft <= 0) {
            throw outage.unavailable(id);
          }
          outage.retries.incrementAndGet();
          TimeUnit.NANOSECONDS.sleep(Math.min(backoff, waitLeft));
          backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecodingException(
          DeadLetterReason.REGISTRY_UNAVAILABLE,
          "interrupted while fetching schema id " + id + " from the schema registry",
          e);
    }
  }

  private Parts<T> parts() {
    Parts<T> p = parts;
    return p != null ? p : createParts();
  }

  /** Once: the outage counters must be the same for the task and its metric reporter. */
  private synchronized Parts<T> createParts() {
    Parts<T> p = parts;
    if (p == null) {
      SpecificData model = SpecificData.getForClass(type);
      p =
          new Parts<>(
              model.getSchema(type),
              model,
              settings.enabled() ? SchemaRegistryClient.shared(settings) : null,
              new BoundedCache<>(settings.cacheSize()),
              new Outage(settings));
      parts = p;
    }
    return p;
  }

  /** Whether the registry is answering, as this decoder saw it, and since when not. */
  private static final class Outage {
    private final RegistrySettings settings;
    private final long maxWaitNanos;
    final AtomicLong count = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    private boolean down;
    private long since;
    private long lastAsked;
    private long deadLettered;
    private String cause;

    Outage(RegistrySettings settings) {
      this.settings = settings;
      this.maxWaitNanos = settings.maxWait().toNanos();
    }

    /** Whether to ask the registry now: always, unless records no longer wait for it. */
    synchronized boolean mayAsk(long now) {
      if (!down || now - since < maxWaitNanos || now - lastAsked >= PROBE_NANOS) {
        lastAsked = now;
        return true;
      }
      return false;
    }

    /** Notes a failed request; returns how long records may still wait (<= 0: no longer). */
    synchronized long failed(long now, RegistryUnavailableException e) {
      cause = e.getMessage();
      if (!down) {
        down = true;
        since = now;
        deadLettered = 0;
        count.incrementAndGet();
        LOG.warn(
            "schema registry {} is unavailable ({}); schema-registry records wait up to {} for it,"
                + " then go to the dead letters as REGISTRY_UNAVAILABLE",
            settings.url(),
            cause,
            settings.maxWait());
      }
      return since + maxWaitNanos - now;
    }

    synchronized void answered() {
      if (down) {
        down = false;
        LOG.info(
            "schema registry {} answers again after {} s; {} records went to the dead letters"
                + " meanwhile as REGISTRY_UNAVAILABLE",
            settings.url(),
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since),
            deadLettered);
      }
    }

    synchronized DecodingException unavailable(int id) {
      deadLettered++;
      return new DecodingException(
          DeadLetterReason.REGISTRY_UNAVAILABLE,
          "schema registry "
              + settings.url()
              + " unavailable for "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since)
              + " ms ("
              + cause
              + "); schema id "
              + id
              + " not fetched, replay the record later",
          null);
    }
  }
}
