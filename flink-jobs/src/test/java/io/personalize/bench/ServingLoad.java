package io.personalize.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The serving benchmark's load generator, as a process of its own: an open-loop load of {@code GET
 * /users/{id}/recommendations} at a fixed rate with the JDK's {@link HttpClient} (HTTP/1.1,
 * sendAsync). Each request's latency runs from its scheduled send time to the complete response, so
 * a stall of the server or of the sender counts in full (no coordinated omission). Ids: those of
 * the ids file, about 10% unknown ids, and about 5% bad input of the {@link #BAD} kinds; statuses
 * are counted per kind.
 *
 * <p>First {@code --warmup-seconds} of the same load, not recorded (this JVM's JIT), then the
 * measured phase until {@code --seconds} have passed or {@code --stop-file} exists. {@code
 * OUT.started} is created when the measured phase starts; the results go to {@code OUT} (JSON),
 * with the server's own latency histogram (from its /metrics) over the phase and this process's
 * CPU.
 *
 * <p>{@code ServingLoad --url URL --ids FILE --out FILE [--rate R] [--seconds S | --stop-file F]
 * [--warmup-seconds W] [--phase NAME] [--seed N]}
 */
public final class ServingLoad {
  /** Bad input: the kinds of malformed ids and parameters mixed into the load. */
  static final Map<String, String> BAD = new LinkedHashMap<>();

  static {
    String user = "/users/1/recommendations";
    BAD.put("k=abc", user + "?k=abc");
    BAD.put("k=0", user + "?k=0");
    BAD.put("k=-1", user + "?k=-1");
    BAD.put("k=1000", user + "?k=1000");
    BAD.put("k=2147483648", user + "?k=2147483648");
    BAD.put("k= (empty)", user + "?k=");
    BAD.put("k=1&k=2", user + "?k=1&k=2");
    BAD.put("id %20u (leading space)", "/users/%20u/recommendations");
    BAD.put("id %09 (tab)", "/users/%09/recommendations");
    BAD.put("id %00 (NUL)", "/users/%00/recommendations");
    BAD.put("id of 300 chars", "/users/" + "u".repeat(300) + "/recommendations");
    BAD.put("id %E2%82 (not UTF-8)", "/users/%E2%82/recommendations");
    BAD.put("id empty (//)", "/users//recommendations");
    BAD.put("k=1.5", user + "?k=1.5");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServingLoad() {}

  public static void main(String[] args) throws Exception {
    URI serve = null;
    Path ids = null;
    Path out = null;
    Path stopFile = null;
    double rate = 500;
    double seconds = 0;
    double warmupSeconds = 3;
    String phase = "load";
    long seed = 42;
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--url" -> serve = URI.create(args[++a]);
        case "--ids" -> ids = Path.of(args[++a]);
        case "--out" -> out = Path.of(args[++a]);
        case "--stop-file" -> stopFile = Path.of(args[++a]);
        case "--rate" -> rate = Double.parseDouble(args[++a]);
        case "--seconds" -> seconds = Double.parseDouble(args[++a]);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++a]);
        case "--phase" -> phase = args[++a];
        case "--seed" -> seed = Long.parseLong(args[++a]);
        default -> throw new IllegalArgumentException("unknown argument " + args[a]);
      }
    }
    if (serve == null || ids == null || out == null || (seconds <= 0) == (stopFile == null)) {
      throw new IllegalArgumentException(
          "usage: ServingLoad --url URL --ids FILE --out FILE (--seconds S | --stop-file F)"
              + " [--rate R] [--warmup-seconds W] [--phase NAME] [--seed N]");
    }
    List<String> users = Files.readAllLines(ids).stream().filter(l -> !l.isBlank()).toList();
    HttpClient http = client();

    Load warmup = new Load(phase + " warm-up", serve, http, users, rate, seed + 1000);
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    warmup.runUntil(() -> System.nanoTime() >= warmupEnd);

    Load load = new Load(phase, serve, http, users, rate, seed);
    long cpuStart = processCpuNanos();
    long wallStart = System.nanoTime();
    Files.deleteIfExists(Path.of(out + ".started"));
    Files.createFile(Path.of(out + ".started"));
    Path stop = stopFile;
    long end = wallStart + (long) (seconds * 1e9);
    int[] checks = {0};
    load.runUntil(
        () ->
            stop == null ? System.nanoTime() >= end : ++checks[0] % 50 == 0 && Files.exists(stop));
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put(
        "processCpu",
        String.format(
            Locale.ROOT,
            "%.0f%%",
            100.0
                * (processCpuNanos() - cpuStart)
                / (System.nanoTime() - wallStart)
                / Runtime.getRuntime().availableProcessors()));
    Map<String, Object> result = load.summary(cpu);
    result.put("warmupSeconds", warmupSeconds);
    result.put("warmupRequests", warmup.sent);
    result.put("heapMaxBytes", Runtime.getRuntime().maxMemory());
    result.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
    Path tmp = Path.of(out + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), result);
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.exit(0);
  }

  /** A small fixed pool for the client's callbacks: the default pool makes a thread per burst. */
  static HttpClient client() {
    return HttpClient.newBuilder()
        .executor(
            Executors.newFixedThreadPool(
                4,
                r -> {
                  Thread t = new Thread(r, "load-client");
                  t.setDaemon(true);
                  return t;
                }))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Latencies in nanoseconds, appended from any thread. */
  static final class Latencies {
    private long[] values = new long[1 << 16];
    private int[] seconds = new int[1 << 16];
    private int size;

    void add(long nanos) {
      add(nanos, 0);
    }

    /** A latency, and the second of the phase its request was due in. */
    synchronized void add(long nanos, int second) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
        seconds = Arrays.copyOf(seconds, size * 2);
      }
      seconds[size] = second;
      values[size++] = nanos;
    }

    /**
     * Per second of the phase where some request took over {@code slowMillis}: "second: requests
     * over / max ms".
     */
    synchronized List<String> slowSeconds(double slowMillis) {
      Map<Integer, long[]> bySecond = new java.util.TreeMap<>();
      for (int n = 0; n < size; n++) {
        if (values[n] / 1e6 > slowMillis) {
          long[] s = bySecond.computeIfAbsent(seconds[n], k -> new long[2]);
          s[0]++;
          s[1] = Math.max(s[1], values[n]);
        }
      }
      List<String> slow = new ArrayList<>();
      bySecond.forEach(
          (second, s) ->
              slow.add(
                  String.format(
                      Locale.ROOT, "%d s: %d over / max %.0f ms", second, s[0], s[1] / 1e6)));
      return slow;
    }

    synchronized int size() {
      return size;
    }

    /** The nearest-rank percentile in milliseconds; NaN when empty. */
    synchronized double percentile(double p) {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(p / 100 * size);
      return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    /** The latencies of the requests due from {@code second} of the phase on. */
    synchronized Latencies from(int second) {
      Latencies later = new Latencies();
      for (int n = 0; n < size; n++) {
        if (seconds[n] >= second) {
          later.add(values[n], seconds[n]);
        }
      }
      return later;
    }

    Map<String, Object> summary() {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("count", size());
      s.put("p50Millis", percentile(50));
      s.put("p95Millis", percentile(95));
      s.put("p99Millis", percentile(99));
      s.put("p999Millis", percentile(99.9));
      s.put("maxMillis", percentile(100));
      return s;
    }
  }

  /** An open-loop load at a fixed rate: request i is due at start + i / rate, sent then. */
  static final class Load {
    final String phase;
    final URI serve;
    final HttpClient http;
    final List<String> users;
    final double rate;
    final Random random;
    final Latencies good = new Latencies();
    final Latencies all = new Latencies();
    final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    final LongAdder errors = new LongAdder();
    final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    final AtomicLong inFlight = new AtomicLong();
    long sent;
    long maxLagNanos;
    double seconds;
    long start;
    Map<String, Double> serverBefore;
    Map<String, Double> serverAfter;

    Load(String phase, URI serve, HttpClient http, List<String> users, double rate, long seed) {
      this.phase = phase;
      this.serve = serve;
      this.http = http;
      this.users = users;
      this.rate = rate;
      this.random = new Random(seed);
    }

    interface Stop {
      boolean now();
    }

    void runUntil(Stop stop) throws InterruptedException {
      List<String> badKinds = new ArrayList<>(BAD.keySet());
      serverBefore = serverHistogram(serve, http);
      start = System.nanoTime();
      long period = (long) (1e9 / rate);
      for (long i = 0; !stop.now(); i++) {
        long due = start + i * period;
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - due);
        double r = random.nextDouble();
        String kind;
        String target;
        if (r < 0.05) {
          kind = badKinds.get(random.nextInt(badKinds.size()));
          target = BAD.get(kind);
        } else if (r < 0.15) {
          kind = "unknown";
          target = "/users/unknown-" + random.nextInt(1_000_000) + "/recommendations?k=10";
        } else {
          kind = "known";
          target = "/users/" + users.get(random.nextInt(users.size())) + "/recommendations?k=10";
        }
        send(kind, target, due);
        sent++;
      }
      seconds = (System.nanoTime() - start) / 1e9;
      // Let the last answers arrive.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      serverAfter = serverHistogram(serve, http);
    }

    /**
     * The server's own view of the phase: the share of list requests it answered within each bound
     * of its latency histogram (from reading the request to sending the answer, so without the time
     * a request waits to be read).
     */
    Map<String, String> serverLatency() {
      Map<String, String> shares = new LinkedHashMap<>();
      double count = serverAfter.getOrDefault("+Inf", 0.0) - serverBefore.getOrDefault("+Inf", 0.0);
      serverAfter.forEach(
          (le, n) ->
              shares.put(
                  "<= " + le + " s",
                  String.format(
                      Locale.ROOT,
                      "%.4f",
                      (n - serverBefore.getOrDefault(le, 0.0)) / Math.max(1, count))));
      shares.put("requests", String.format(Locale.ROOT, "%.0f", count));
      return shares;
    }

    private void send(String kind, String target, long due) {
      boolean goodKind = !BAD.containsKey(kind);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(serve + target))
              .timeout(Duration.ofSeconds(10))
              .build();
      inFlight.incrementAndGet();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .whenComplete(
              (response, e) -> {
                long latency = System.nanoTime() - due;
                inFlight.decrementAndGet();
                if (e != null) {
                  errors.increment();
                  if (errorSamples.size() < 5) {
                    errorSamples.add(kind + ": " + e);
                  }
                  return;
                }
                statuses
                    .computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(response.statusCode(), s -> new LongAdder())
                    .increment();
                int second = (int) ((due - start) / 1_000_000_000L);
                all.add(latency, second);
                if (goodKind) {
                  good.add(latency, second);
                }
                if (response.statusCode() >= 500) {
                  System.out.printf(
                      "!!!!! %s: %d for %s: %s%n",
                      phase, response.statusCode(), target, new String(response.body()));
                }
              });
    }

    long serverErrors() {
      long n = 0;
      for (Map<Integer, LongAdder> byStatus : statuses.values()) {
        for (Map.Entry<Integer, LongAdder> e : byStatus.entrySet()) {
          if (e.getKey() >= 500) {
            n += e.getValue().sum();
          }
        }
      }
      return n;
    }

    Map<String, Object> summary(Map<String, Object> cpu) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("phase", phase);
      s.put("requests", sent);
      s.put("seconds", seconds);
      s.put("achievedRequestsPerSecond", sent / seconds);
      s.put("maxSendLagMillis", maxLagNanos / 1e6);
      s.put("goodRequests", good.summary());
      s.put("goodRequestsAfterFirst10s", good.from(10).summary());
      s.put("allRequests", all.summary());
      s.put("serverErrors", serverErrors());
      s.put("clientErrors", errors.sum());
      s.put("clientErrorSamples", new ArrayList<>(errorSamples));
      Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
      statuses.forEach(
          (kind, byStatus) -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            byStatus.forEach((status, n) -> counts.put(String.valueOf(status), n.sum()));
            byKind.put(kind, counts);
          });
      s.put("statusesByKind", byKind);
      s.put("cpu", cpu);
      s.put("serverSideLatencyShares", serverLatency());
      s.put("secondsWithRequestsOver10ms", good.slowSeconds(10));
      return s;
    }
  }

  /** The server's list-request latency histogram from /metrics: cumulative count by bound. */
  static Map<String, Double> serverHistogram(URI serve, HttpClient http) {
    Map<String, Double> buckets = new LinkedHashMap<>();
    try {
      String text =
          http.send(
                  HttpRequest.newBuilder(serve.resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "personalize_serve_request_duration_seconds_bucket\\{endpoint=\"recommendations\",le=\"([^\"]+)\"\\} (\\S+)")
              .matcher(text);
      while (m.find()) {
        buckets.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    } catch (IOException | InterruptedException e) {
      System.out.println("cannot read the server's /metrics: " + e);
    }
    return buckets;
  }
}
