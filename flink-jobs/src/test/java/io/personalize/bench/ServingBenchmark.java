package io.personalize.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.data.DataSetReader;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SharedData;
import io.personalize.demo.Demo;
import io.personalize.job.config.PersonalizeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;

/**
 * The recommendation server under load while the demo replays: {@link Demo} runs in-process on a
 * data set (ml-100k by default) with {@code --replay-rate} (default 500 events/s), so the job
 * processes live arrivals; as soon as the server answers with a list (the fallback exists), an
 * open-loop load generator sends {@code GET /users/{id}/recommendations} at a fixed rate (default
 * 500/s) with the JDK's {@link HttpClient} (HTTP/1.1, sendAsync) until the last event is
 * acknowledged. Each request's latency runs from its scheduled send time to the complete response,
 * so a stall of the server or of the sender counts in full (no coordinated omission). Ids: the data
 * set's users, about 10% unknown ids, and about 5% bad input of the {@link #BAD} kinds; statuses
 * are counted per kind and any 5xx is a failure.
 *
 * <p>Freshness: every {@code --sample-every}th acknowledged event (a user's first event skipped: it
 * has no list to update) is followed by polling its user's list every 10 ms until it is the user's
 * own (fallback false) and follows that event ({@code userEvents} at least the event's ordinal for
 * the user); freshness is the time from the broker's acknowledgement to that answer. After 30 s a
 * sample is a timeout.
 *
 * <p>Then, with every event scored and the job idle (the demo's {@code beforeTeardown} hook), the
 * same load runs for {@code --idle-seconds} against the same server: the ratio of the two in one
 * run is what a shared machine allows to compare.
 *
 * <p>{@code bin/benchmark serve [--data NAME] [--replay-rate N] [--rate R] [--idle-seconds S]
 * [--sample-every M] [-D KEY=VALUE]...}; results in {@code out/bench/serving.json}, the demo's
 * output in {@code out/bench/serving/demo.log}.
 */
public final class ServingBenchmark {
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
  private static final long FRESHNESS_TIMEOUT_MILLIS = 30_000;

  private ServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of("out/bench");
    String data = "ml-100k";
    // 500, not 1,000: at 1,000 events/s the job takes about 80% of this 2-core machine and fell
    // behind (by up to 17,000 events) in a run where other work shared the machine.
    double replayRate = 500;
    double requestRate = 500;
    int idleSeconds = 10;
    int sampleEvery = 100;
    Map<String, String> extra = new LinkedHashMap<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--out" -> out = Path.of(args[++a]);
        case "--data" -> data = args[++a];
        case "--replay-rate" -> replayRate = Double.parseDouble(args[++a]);
        case "--rate" -> requestRate = Double.parseDouble(args[++a]);
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++a]);
        case "--sample-every" -> sampleEvery = Integer.parseInt(args[++a]);
        case "-D" -> {
          String[] kv = args[++a].split("=", 2);
          extra.put(kv[0], kv[1]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[a]);
      }
    }
    String name = data;
    Path path =
        Files.exists(Path.of(data))
            ? Path.of(data)
            : SharedData.find(data)
                .orElseThrow(() -> new IllegalArgumentException("no data set " + name));
    Dataset dataset = DataSetReader.read(path);
    List<String> users =
        dataset.interactions().stream().map(Interaction::userId).distinct().sorted().toList();
    long total = dataset.interactions().size();
    System.out.printf(
        "data: %s, %,d events, %,d users; replay %,.0f events/s; load %,.0f requests/s; cores %d;"
            + " load average at start %s%n",
        dataset.name(),
        total,
        users.size(),
        replayRate,
        requestRate,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());

    Path dir = out.resolve("serving");
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("endpoints.json"));
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1)); // as `personalize demo`
    extra.forEach(conf::setString);

    Freshness freshness = new Freshness(sampleEvery);
    CountDownLatch idle = new CountDownLatch(1);
    CountDownLatch idleMeasured = new CountDownLatch(1);
    PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("demo.log")), true);
    Demo demo =
        new Demo(conf, log, 600_000, false)
            .replayRate(replayRate)
            .observeReplay(freshness::acknowledged)
            .beforeTeardown(
                endpoints -> {
                  idle.countDown();
                  idleMeasured.await();
                });
    FutureTask<Demo.Result> run = new FutureTask<>(() -> demo.run(dataset, dir));
    Thread demoThread = new Thread(run, "demo");
    demoThread.setDaemon(true);
    demoThread.start();

    // A small fixed pool for the client's callbacks: the default pool makes a thread per burst.
    HttpClient http =
        HttpClient.newBuilder()
            .executor(
                java.util.concurrent.Executors.newFixedThreadPool(
                    4,
                    r -> {
                      Thread t = new Thread(r, "load-client");
                      t.setDaemon(true);
                      return t;
                    }))
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI serve = awaitServer(dir.resolve("endpoints.json"), http, run);
    System.out.println("server: " + serve + " (answers with lists); load starts");

    // During the replay: the load until the last event is acknowledged, and freshness samples.
    Load replay = new Load("replay", serve, http, users, requestRate, 42);
    freshness.start(serve, http);
    Cpu cpu = Cpu.start();
    replay.runUntil(() -> freshness.acknowledged.get() >= total || run.isDone());
    Map<String, Object> replayCpu = cpu.stop();
    freshness.drain();
    if (run.isDone()) {
      run.get(); // the demo stopped early: its exception
    }
    System.out.println("replay acknowledged; waiting until every event is scored...");
    while (!idle.await(1, TimeUnit.SECONDS)) {
      if (run.isDone()) {
        run.get();
        throw new IllegalStateException("the demo ended before its teardown hook");
      }
    }
    // Idle: every event scored, the job waiting for more; the same load on the same server.
    Load idleLoad = new Load("idle", serve, http, users, requestRate, 43);
    cpu = Cpu.start();
    long idleEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(idleSeconds);
    idleLoad.runUntil(() -> System.nanoTime() >= idleEnd);
    Map<String, Object> idleCpu = cpu.stop();
    idleMeasured.countDown();
    try {
      run.get();
    } finally {
      log.close();
    }

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", Instant.now().toString());
    result.put("data", dataset.name());
    result.put("events", total);
    result.put("replayEventsPerSecond", replayRate);
    result.put("requestsPerSecond", requestRate);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("throughput", JSON.readTree(dir.resolve("throughput.json").toFile()));
    result.put("replay", replay.summary(replayCpu));
    result.put("idle", idleLoad.summary(idleCpu));
    result.put("freshness", freshness.summary());
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("p50ReplayOverIdle", replay.good.percentile(50) / idleLoad.good.percentile(50));
    ratios.put("p99ReplayOverIdle", replay.good.percentile(99) / idleLoad.good.percentile(99));
    result.put("ratios", ratios);
    long serverErrors = replay.serverErrors() + idleLoad.serverErrors();
    result.put("serverErrors", serverErrors);
    Path file = out.resolve("serving.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), result);

    System.out.println();
    System.out.println(
        "| phase | requests | achieved req/s | p50 ms | p95 ms | p99 ms | max ms | all p99 ms |"
            + " 5xx | errors | process CPU | machine CPU |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    replay.printRow(replayCpu);
    System.out.printf(
        Locale.ROOT,
        "| replay after its first 10 s | %,d | | %.2f | %.2f | %.2f | %.1f | | | | | |%n",
        replay.good.from(10).size(),
        replay.good.from(10).percentile(50),
        replay.good.from(10).percentile(95),
        replay.good.from(10).percentile(99),
        replay.good.from(10).percentile(100));
    idleLoad.printRow(idleCpu);
    System.out.printf(
        Locale.ROOT,
        "%nratio replay / idle (one run): p50 %.2f, p99 %.2f%n",
        ratios.get("p50ReplayOverIdle"),
        ratios.get("p99ReplayOverIdle"));
    freshness.print();
    System.out.println("server-side latency shares (replay): " + replay.serverLatency());
    System.out.println("server-side latency shares (idle):   " + idleLoad.serverLatency());
    System.out.println(
        "seconds of the replay with requests over 10 ms: " + replay.good.slowSeconds(10));
    System.out.println();
    System.out.println("| bad input | replay statuses | idle statuses |");
    System.out.println("|---|---|---|");
    for (String kind : BAD.keySet()) {
      System.out.printf(
          "| `%s` | %s | %s |%n", kind, replay.statuses.get(kind), idleLoad.statuses.get(kind));
    }
    for (String kind : List.of("known", "unknown")) {
      System.out.printf(
          "| (%s ids) | %s | %s |%n", kind, replay.statuses.get(kind), idleLoad.statuses.get(kind));
    }
    System.out.println();
    if (serverErrors > 0) {
      System.out.println("!!!!! FAILURE: " + serverErrors + " answers with a 5xx status !!!!!");
    } else {
      System.out.println("no 5xx answers");
    }
    System.out.println("load average at the end " + loadAverage());
    System.out.println("wrote " + file);
    System.exit(serverErrors > 0 ? 1 : 0);
  }

  /**
   * The server's address from the demo's endpoints.json, once it answers an unknown user with 200
   * (the fallback list exists); then a short sequential warm-up of the client.
   */
  private static URI awaitServer(Path endpoints, HttpClient http, FutureTask<?> run)
      throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    URI serve = null;
    while (true) {
      if (run.isDone()) {
        run.get();
        throw new IllegalStateException("the demo ended before the server answered");
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the server did not answer with a list in 180 s");
      }
      if (serve == null && Files.exists(endpoints)) {
        JsonNode serveNode = JSON.readTree(endpoints.toFile()).path("serve");
        serve = serveNode.isTextual() ? URI.create(serveNode.asText()) : null;
      }
      if (serve != null) {
        try {
          HttpResponse<Void> response =
              http.send(
                  HttpRequest.newBuilder(serve.resolve("/users/nobody/recommendations")).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            for (int n = 0; n < 200; n++) {
              http.send(
                  HttpRequest.newBuilder(serve.resolve("/users/" + n + "/recommendations")).build(),
                  HttpResponse.BodyHandlers.discarding());
            }
            return serve;
          }
        } catch (IOException e) {
          // not listening yet
        }
      }
      Thread.sleep(50);
    }
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

    void printRow(Map<String, Object> cpu) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %.0f | %.2f | %.2f | %.2f | %.1f | %.2f | %d | %d | %s | %s |%n",
          phase,
          sent,
          sent / seconds,
          good.percentile(50),
          good.percentile(95),
          good.percentile(99),
          good.percentile(100),
          all.percentile(99),
          serverErrors(),
          errors.sum(),
          cpu.get("processCpu"),
          cpu.get("machineCpu"));
    }
  }

  /**
   * Freshness samples: every {@code every}th acknowledged event (not a user's first), followed
   * until its user's list follows it.
   */
  static final class Freshness {
    final int every;
    final AtomicLong acknowledged = new AtomicLong();
    final Map<String, Integer> ordinals = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Sample> pending = new ConcurrentLinkedQueue<>();
    final Latencies millis = new Latencies();
    final LongAdder timeouts = new LongAdder();
    final LongAdder polls = new LongAdder();
    final LongAdder pollErrors = new LongAdder();
    final AtomicBoolean sampling = new AtomicBoolean();
    final AtomicBoolean stopped = new AtomicBoolean();
    private boolean due;
    private Thread poller;
    private volatile long startMillis;

    record Sample(String user, int ordinal, long ackMillis, AtomicBoolean inFlight) {}

    Freshness(int every) {
      this.every = every;
    }

    /** The replay's observer: on the producer's I/O thread, a user's events in their order. */
    void acknowledged(Interaction event, long ackMillis) {
      int ordinal = ordinals.merge(event.userId(), 1, Integer::sum);
      if (acknowledged.incrementAndGet() % every == 0) {
        due = true;
      }
      if (due && ordinal > 1 && sampling.get()) {
        pending.add(new Sample(event.userId(), ordinal, ackMillis, new AtomicBoolean()));
        due = false;
      }
    }

    void start(URI serve, HttpClient http) {
      startMillis = System.currentTimeMillis();
      sampling.set(true);
      poller =
          new Thread(
              () -> {
                while (!stopped.get() || !pending.isEmpty()) {
                  long now = System.currentTimeMillis();
                  for (Sample s : pending) {
                    if (now - s.ackMillis() > FRESHNESS_TIMEOUT_MILLIS) {
                      if (pending.remove(s)) {
                        timeouts.increment();
                      }
                    } else if (s.inFlight().compareAndSet(false, true)) {
                      poll(serve, http, s);
                    }
                  }
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
              },
              "freshness-poller");
      poller.setDaemon(true);
      poller.start();
    }

    private void poll(URI serve, HttpClient http, Sample s) {
      polls.increment();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(serve + "/users/" + s.user() + "/recommendations?k=10"))
              .timeout(Duration.ofSeconds(10))
              .build();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .whenComplete(
              (response, e) -> {
                long now = System.currentTimeMillis();
                try {
                  if (e != null || response.statusCode() != 200) {
                    pollErrors.increment();
                    return;
                  }
                  JsonNode list = JSON.readTree(response.body());
                  if (!list.path("fallback").asBoolean(true)
                      && list.path("userEvents").asLong() >= s.ordinal()
                      && pending.remove(s)) {
                    millis.add(
                        (now - s.ackMillis()) * 1_000_000,
                        (int) ((s.ackMillis() - startMillis) / 1000));
                  }
                } catch (IOException parse) {
                  pollErrors.increment();
                } finally {
                  s.inFlight().set(false);
                }
              });
    }

    /** Stops sampling and waits until every sample is answered or timed out. */
    void drain() throws InterruptedException {
      sampling.set(false);
      stopped.set(true);
      poller.join(FRESHNESS_TIMEOUT_MILLIS + 5_000);
    }

    Map<String, Object> summary() {
      Map<String, Object> s = millis.summary();
      s.put("samples", millis.size() + timeouts.sum());
      s.put("timeouts", timeouts.sum());
      s.put("polls", polls.sum());
      s.put("pollErrors", pollErrors.sum());
      s.put("sampleEveryEvents", every);
      s.put("secondsWithSamplesOver1s", millis.slowSeconds(1000));
      return s;
    }

    void print() {
      System.out.printf(
          Locale.ROOT,
          "%nfreshness (broker ack -> list served), %d samples, %d timeouts: p50 %.0f ms, p95 %.0f"
              + " ms, p99 %.0f ms, max %.0f ms (%,d polls, %d poll errors)%n",
          millis.size() + timeouts.sum(),
          timeouts.sum(),
          millis.percentile(50),
          millis.percentile(95),
          millis.percentile(99),
          millis.percentile(100),
          polls.sum(),
          pollErrors.sum());
    }
  }

  /** This process's CPU and the whole machine's over a phase, as fractions of all cores. */
  static final class Cpu {
    private final long wallNanos = System.nanoTime();
    private final long processNanos = processCpuNanos();
    private final long[] machine = machineTicks();

    static Cpu start() {
      return new Cpu();
    }

    Map<String, Object> stop() {
      double wall = System.nanoTime() - wallNanos;
      int cores = Runtime.getRuntime().availableProcessors();
      long[] now = machineTicks();
      Map<String, Object> cpu = new LinkedHashMap<>();
      cpu.put(
          "processCpu",
          String.format(
              Locale.ROOT, "%.0f%%", 100 * (processCpuNanos() - processNanos) / wall / cores));
      cpu.put(
          "machineCpu",
          machine == null || now == null
              ? "n/a"
              : String.format(
                  Locale.ROOT,
                  "%.0f%%",
                  100.0 * (now[0] - machine[0]) / Math.max(1, now[1] - machine[1])));
      cpu.put("loadAverage", loadAverage());
      return cpu;
    }

    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    /** Busy and total jiffies of all cores from /proc/stat; null elsewhere. */
    private static long[] machineTicks() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long totalTicks = 0;
        for (int n = 1; n < f.length; n++) {
          totalTicks += Long.parseLong(f[n]);
        }
        long idleTicks = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {totalTicks - idleTicks, totalTicks};
      } catch (IOException | RuntimeException e) {
        return null;
      }
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

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "n/a";
    }
  }
}
