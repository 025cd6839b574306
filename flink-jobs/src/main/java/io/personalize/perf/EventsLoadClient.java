package io.personalize.perf;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load of {@link EventsLoad}, as a process of its own: single JSON events posted to {@code
 * /events} at a fixed rate, open loop (each request's latency runs from when it was due, so a stall
 * of the server or of this sender counts in full), over users {@code load-u0..load-u(U-1)} in turn.
 *
 * <p>A process of its own, with a small heap and a fixed pool of {@value #CALLBACK_THREADS} threads
 * for the HTTP client, because in the broker's and the job's JVM the JDK client's default executor
 * (a thread per waiting request) and its garbage competed with what it measured: its numbers were
 * the instrument's (docs/performance.md, "POST /events under load").
 *
 * <p>{@code EventsLoadClient URL RATE REQUESTS USERS START_EPOCH_MILLIS OUT}: waits until the start
 * time (so the parent knows the schedule), sends, waits for every answer (10 s timeout each), and
 * writes {@code OUT}: one line per request, {@code dueMicros latencyMicros status user failure},
 * with {@code dueMicros} from the start time, status -1 and the failure's class for a request that
 * got no answer ({@code -} otherwise). Read back with {@link #read}.
 */
public final class EventsLoadClient {
  private static final int CALLBACK_THREADS = 2;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** One request: when it was due (from the start), how long it took, its status (-1: none). */
  record Sample(long dueMicros, long latencyMicros, int status, int user, String failure) {
    static Sample parse(String line) {
      String[] fields = line.split(" ");
      return new Sample(
          Long.parseLong(fields[0]),
          Long.parseLong(fields[1]),
          Integer.parseInt(fields[2]),
          Integer.parseInt(fields[3]),
          fields[4]);
    }

    String line() {
      return dueMicros + " " + latencyMicros + " " + status + " " + user + " " + failure;
    }
  }

  private EventsLoadClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println(
          "usage: EventsLoadClient URL RATE REQUESTS USERS START_EPOCH_MILLIS OUT (see the javadoc)");
      System.exit(2);
    }
    List<Sample> samples =
        send(
            URI.create(args[0]),
            Double.parseDouble(args[1]),
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            Long.parseLong(args[4]));
    write(samples, Path.of(args[5]));
    System.exit(0); // the HTTP client's selector thread would keep the JVM up
  }

  /** The user id of user index {@code user}. */
  static String userId(int user) {
    return "load-u" + user;
  }

  static List<Sample> send(URI url, double rate, int requests, int users, long startEpochMillis)
      throws InterruptedException {
    ExecutorService callbacks = Executors.newFixedThreadPool(CALLBACK_THREADS);
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(callbacks).build();
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    CountDownLatch answered = new CountDownLatch(requests);
    long periodNanos = (long) (1e9 / rate);
    long wait = startEpochMillis - System.currentTimeMillis();
    if (wait > 0) {
      TimeUnit.MILLISECONDS.sleep(wait);
    }
    long start = System.nanoTime();
    for (int n = 0; n < requests; n++) {
      long due = start + n * periodNanos;
      long early = due - System.nanoTime();
      if (early > 0) {
        LockSupport.parkNanos(early);
      }
      int user = n % users;
      String body =
          String.format(
              Locale.ROOT,
              "{\"userId\":\"%s\",\"itemId\":\"i%d\",\"eventType\":\"RATING\",\"value\":%d,"
                  + "\"eventTimeMillis\":%d}",
              userId(user),
              n % 997,
              1 + n % 5,
              System.currentTimeMillis());
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .header("Content-Type", "application/json")
              .timeout(REQUEST_TIMEOUT)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, failure) -> {
                long latency = System.nanoTime() - due;
                String cause = "-";
                if (failure != null) {
                  Throwable root = failure.getCause() == null ? failure : failure.getCause();
                  cause = root.getClass().getSimpleName();
                }
                samples.add(
                    new Sample(
                        (due - start) / 1_000,
                        latency / 1_000,
                        failure == null ? response.statusCode() : -1,
                        user,
                        cause));
                answered.countDown();
              });
    }
    // Every request has its own timeout; a little more for the answers to arrive.
    answered.await(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    callbacks.shutdown();
    return new ArrayList<>(samples);
  }

  static void write(List<Sample> samples, Path out) throws IOException {
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Sample sample : samples) {
        writer.write(sample.line());
        writer.newLine();
      }
    }
  }

  static List<Sample> read(Path file) throws IOException {
    List<Sample> samples = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        samples.add(Sample.parse(line));
      }
    }
    return samples;
  }
}
