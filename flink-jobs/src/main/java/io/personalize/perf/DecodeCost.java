package io.personalize.perf;

import io.personalize.avro.EventType;
import io.personalize.avro.InteractionEvent;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.format.RecordDecoder;
import io.personalize.connectors.json.JsonEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What decoding one interaction record costs in each input format, through the job's own decoder
 * ({@link RecordDecoder}): Avro single-object encoding, JSON with the time as epoch milliseconds,
 * and JSON with the time as an ISO-8601 string. One thread, the same events in each format, several
 * warm-up rounds, then the median of the timed rounds. Prints nanoseconds and records a second per
 * format, and JSON's rate as a share of Avro's (docs/performance.md, "JSON input").
 *
 * <p>Run: {@code java -cp "flink-jobs/target/classes:$(cat flink-jobs/target/cli-classpath.txt)"
 * io.personalize.perf.DecodeCost [events]}.
 */
public final class DecodeCost {
  private static final int WARM_UP_ROUNDS = 5;
  private static final int TIMED_ROUNDS = 7;

  private DecodeCost() {}

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    List<InteractionEvent> sample = events(events, new Random(7));
    AvroCodec<InteractionEvent> avro = AvroCodec.of(InteractionEvent.class);
    List<byte[]> avroRecords = new ArrayList<>();
    List<byte[]> jsonRecords = new ArrayList<>();
    List<byte[]> isoRecords = new ArrayList<>();
    for (InteractionEvent event : sample) {
      avroRecords.add(avro.encode(event));
      byte[] json = JsonEvents.write(event);
      jsonRecords.add(json);
      String time = Long.toString(event.getEventTimeMillis());
      isoRecords.add(
          new String(json, StandardCharsets.UTF_8)
              .replace(time, "\"" + Instant.ofEpochMilli(event.getEventTimeMillis()) + "\"")
              .getBytes(StandardCharsets.UTF_8));
    }
    RecordDecoder<InteractionEvent> decoder = RecordDecoder.of(InteractionEvent.class);
    double avroRate = measure("avro", avroRecords, decoder);
    double jsonRate = measure("json (epoch ms)", jsonRecords, decoder);
    double isoRate = measure("json (ISO-8601 time)", isoRecords, decoder);
    System.out.printf(
        "json/avro: %.0f%% (epoch ms), %.0f%% (ISO-8601 time)%n",
        100 * jsonRate / avroRate, 100 * isoRate / avroRate);
  }

  /** Records a second, the median of the timed rounds; prints one line. */
  private static double measure(
      String name, List<byte[]> records, RecordDecoder<InteractionEvent> decoder) {
    long bytes = records.stream().mapToLong(r -> r.length).sum();
    long checksum = 0;
    double[] rates = new double[TIMED_ROUNDS];
    for (int round = 0; round < WARM_UP_ROUNDS + TIMED_ROUNDS; round++) {
      long start = System.nanoTime();
      for (byte[] record : records) {
        checksum += decoder.decode(record).getEventTimeMillis();
      }
      long nanos = System.nanoTime() - start;
      if (round >= WARM_UP_ROUNDS) {
        rates[round - WARM_UP_ROUNDS] = records.size() / (nanos / 1e9);
      }
    }
    Arrays.sort(rates);
    double median = rates[TIMED_ROUNDS / 2];
    System.out.printf(
        "%-22s %,12.0f records/s  %7.0f ns/record  %5.1f bytes/record  (checksum %d)%n",
        name, median, 1e9 / median, (double) bytes / records.size(), checksum % 1000);
    return median;
  }

  /** Events like the replayed data: ratings and clicks, a third with a feature and a context. */
  private static List<InteractionEvent> events(int count, Random random) {
    List<InteractionEvent> events = new ArrayList<>(count);
    long time = 1_796_284_800_000L;
    for (int n = 0; n < count; n++) {
      boolean rating = random.nextInt(4) > 0;
      InteractionEvent.Builder event =
          InteractionEvent.newBuilder()
              .setUserId("u" + random.nextInt(1_000))
              .setItemId("i" + random.nextInt(2_000))
              .setEventType(rating ? EventType.RATING : EventType.CLICK)
              .setValue(rating ? 1 + random.nextInt(5) : 1.0)
              .setEventTimeMillis(time + n * 1_000L + random.nextInt(1_000));
      if (n % 3 == 0) {
        event.setFeatures(Map.of("price", random.nextDouble() * 100));
        event.setContext(Map.of("device", random.nextBoolean() ? "phone" : "desktop"));
      }
      events.add(event.build());
    }
    return events;
  }
}
