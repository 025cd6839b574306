package io.personalize.it.cluster;

import java.io.InputStream;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.tools.api.RecordReader;

/**
 * A {@code --line-reader} for Kafka's console producer that takes binary values as base64: Kafka's
 * own {@code LineMessageReader} parses each line (key, {@code key.separator}, {@code null.marker},
 * headers) and this reader only turns the value text into the bytes it encodes. Kafka 4.2 ships no
 * reader for binary values: {@code LineMessageReader} reads stdin as UTF-8 text and sends each
 * value as its UTF-8 bytes, and Avro single-object encoding (C3 01 ...) is never valid UTF-8.
 *
 * <p>Runs inside the console producer's JVM, not the test's; it needs only Kafka's reader API.
 */
public final class Base64ValueReader implements RecordReader {
  private final RecordReader lines;

  public Base64ValueReader() {
    try {
      lines =
          (RecordReader)
              Class.forName("org.apache.kafka.tools.LineMessageReader")
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kafka-tools is not on the console producer's classpath", e);
    }
  }

  @Override
  public void configure(Map<String, ?> configs) {
    lines.configure(configs);
  }

  @Override
  public Iterator<ProducerRecord<byte[], byte[]>> readRecords(InputStream inputStream) {
    Iterator<ProducerRecord<byte[], byte[]>> records = lines.readRecords(inputStream);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public ProducerRecord<byte[], byte[]> next() {
        ProducerRecord<byte[], byte[]> r = records.next();
        byte[] value = r.value() == null ? null : Base64.getDecoder().decode(r.value());
        return new ProducerRecord<>(
            r.topic(), r.partition(), r.timestamp(), r.key(), value, r.headers());
      }
    };
  }

  @Override
  public void close() {
    lines.close();
  }
}
