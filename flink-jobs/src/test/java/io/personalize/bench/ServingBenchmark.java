package io.personalize.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.bench.ServingLoad.Latencies;
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
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;

/**
 * The recommendation server under load while the demo replays, deployed as in production: three
 * processes on the machine. This JVM runs {@link Demo} (the Kafka broker and the job on a local
 * Flink) on a data set (ml-100k by default) with {@code --replay-rate} (default 500 events/s), so
 * the job processes live arrivals, and without its in-process server ({@link Demo#withoutServer}).
 * Once the demo wrote its endpoints.json (before the job starts), the server runs as a child
 * process exactly as {@code bin/personalize serve --endpoints DIR/endpoints.json --port 0} (the
 * serving jar and {@code serving/target/client-classpath.txt}, {@code --server-java-opts}, default
 * {@code -Xmx256m}). As soon as it answers with a list (the fallback exists), the load generator
 * ({@link ServingLoad}, a child JVM of its own, {@code --load-java-opts}, default {@code -Xmx128m})
 * sends {@code GET /users/{id}/recommendations} at a fixed rate (default 500/s) until the last
 * event is acknowledged, after a few seconds of unrecorded warm-up.
 *
 * <p>Freshness, from this JVM (polling the server over HTTP): every {@code --sample-every}th
 * acknowledged event (a user's first event skipped: it has no list to update) is followed by
 * polling its user's list every 10 ms until it is the user's own (fallback false) and follows that
 * event ({@code userEvents} at least the event's ordinal for the user); freshness is the time from
 * the broker's acknowledgement to that answer. After 30 s a sample is a timeout.
 *
 * <p>Then, with every event scored and the job idle (the demo's {@code beforeTeardown} hook), a new
 * load process runs the same load for {@code --idle-seconds} against the same server: the ratio of
 * the two in one run is what a shared machine allows to compare. Each phase records the CPU of each
 * process (from /proc) and the G1 pauses of each (their -Xlog:gc files; this JVM's when {@code
 * bin/benchmark} started it with one).
 *
 * <p>{@code bin/benchmark serve [--data NAME] [--replay-rate N] [--rate R] [--idle-seconds S]
 * [--sample-every M] [--warmup-seconds W] [--server-java-opts "..."] [--load-java-opts "..."]
 * [--priority N | --server-priority N --load-priority N] [-D KEY=VALUE]...}; results in {@code
 * out/bench/serving.json}, the demo's output in {@code out/bench/serving/demo.log}, the server's in
 * {@code server.log}, GC logs next to them.
 */
public final class ServingBenchmark {
  /**
   * Freshness is also summarized without the replay's first 30 s: the job's warm-up (JIT, RocksDB)
   * runs behind a live replay for that long, and its lists with it.
   */
  private static final long STEADY_AFTER_MILLIS = 30_000;

  /** Nice levels the server and the load process run above the demo's (0: the same). */
  private static int priority;

  private static int loadPriority;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FRESHNESS_TIMEOUT_MILLIS = 30_000;
  private static final String SERVER_JAR = "serving/target/personalize-serving-0.1.0-SNAPSHOT.jar";
  private static final String SERVER_CLASSPATH = "serving/target/client-classpath.txt";

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
    double warmupSeconds = 3;
    String serverJavaOpts = "-Xmx256m";
    String loadJavaOpts = "-Xmx128m";
    priority = 0;
    loadPriority = 0;
    Map<String, String> extra = new LinkedHashMap<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--out" -> out = Path.of(args[++a]);
        case "--data" -> data = args[++a];
        case "--replay-rate" -> replayRate = Double.parseDouble(args[++a]);
        case "--rate" -> requestRate = Double.parseDouble(args[++a]);
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++a]);
        case "--sample-every" -> sampleEvery = Integer.parseInt(args[++a]);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++a]);
        case "--server-java-opts" -> serverJavaOpts = args[++a];
        case "--load-java-opts" -> loadJavaOpts = args[++a];
        case "--priority" -> priority = loadPriority = Integer.parseInt(args[++a]);
        case "--server-priority" -> priority = Integer.parseInt(args[++a]);
        case "--load-priority" -> loadPriority = Integer.parseInt(args[++a]);
        case "-D" -> {
          String[] kv = args[++a].split("=", 2);
          extra.put(kv[0], kv[1]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[a]);
      }
    }
    Path serverJar = Path.of(SERVER_JAR).toAbsolutePath();
    Path serverClasspath = Path.of(SERVER_CLASSPATH).toAbsolutePath();
    if (!Files.exists(serverJar) || !Files.exists(serverClasspath)) {
      throw new IllegalStateException(
          "no "
              + serverJar
              + " or "
              + serverClasspath
              + ": build the serving module (bin/benchmark serve packages it) and run from the"
              + " project's root");
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
    System.out.printf(
        "processes: demo (this JVM: %s), server (%s), load (%s)%n",
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        serverJavaOpts,
        loadJavaOpts);

    Path dir = out.resolve("serving").toAbsolutePath();
    Files.createDirectories(dir);
    Path endpointsFile = dir.resolve("endpoints.json");
    Files.deleteIfExists(endpointsFile);
    Path ids = dir.resolve("ids.txt");
    Files.write(ids, users);
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1)); // as `personalize demo`
    extra.forEach(conf::setString);

    Freshness freshness = new Freshness(sampleEvery);
    CountDownLatch idle = new CountDownLatch(1);
    CountDownLatch idleMeasured = new CountDownLatch(1);
    PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("demo.log")), true);
    Demo demo =
        new Demo(conf, log, 600_000, false)
            .withoutServer()
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

    List<Process> children = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> children.forEach(ServingBenchmark::stop), "children"));
    HttpClient http = ServingLoad.client();

    awaitEndpoints(endpointsFile, run);
    List<String> serverCommand = new ArrayList<>();
    serverCommand.addAll(niceness(priority));
    serverCommand.add(java());
    serverCommand.addAll(options(serverJavaOpts));
    serverCommand.add("-Xlog:gc:file=" + dir.resolve("server-gc.log") + ":time");
    serverCommand.add("-cp");
    serverCommand.add(serverJar + ":" + Files.readString(serverClasspath).trim());
    serverCommand.add("io.personalize.serving.serve.ServeCommand");
    serverCommand.add("--endpoints");
    serverCommand.add(endpointsFile.toString());
    serverCommand.add("--port");
    serverCommand.add("0");
    Path serverLog = dir.resolve("server.log");
    Process server =
        new ProcessBuilder(serverCommand)
            .redirectOutput(serverLog.toFile())
            .redirectError(dir.resolve("server.err").toFile())
            .start();
    children.add(server);
    URI serve = awaitServing(server, serverLog, run);
    System.out.println("server: " + serve + " (pid " + server.pid() + ")");
    awaitLists(serve, http, run, server);
    System.out.println("the server answers with lists; load starts");

    // During the replay: the load until the last event is acknowledged, and freshness samples.
    Path stopFile = dir.resolve("load-replay.stop");
    Files.deleteIfExists(stopFile);
    freshness.start(serve, http);
    Path replayOut = dir.resolve("load-replay.json");
    Process replayLoad =
        startLoad(
            loadJavaOpts,
            dir,
            "replay",
            List.of(
                "--url",
                serve.toString(),
                "--ids",
                ids.toString(),
                "--out",
                replayOut.toString(),
                "--rate",
                String.valueOf(requestRate),
                "--warmup-seconds",
                String.valueOf(warmupSeconds),
                "--phase",
                "replay",
                "--seed",
                "42",
                "--stop-file",
                stopFile.toString()));
    children.add(replayLoad);
    awaitStarted(replayOut, replayLoad, server, run);
    ProcessCpu cpu = ProcessCpu.start(server, replayLoad);
    while (freshness.acknowledged.get() < total && !run.isDone()) {
      alive(replayLoad, "the load");
      alive(server, "the server");
      Thread.sleep(100);
    }
    Map<String, Object> replayCpu = cpu.stop();
    Files.createFile(stopFile);
    JsonNode replay = awaitResult(replayLoad, replayOut);
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
    Path idleOut = dir.resolve("load-idle.json");
    Process idleLoad =
        startLoad(
            loadJavaOpts,
            dir,
            "idle",
            List.of(
                "--url",
                serve.toString(),
                "--ids",
                ids.toString(),
                "--out",
                idleOut.toString(),
                "--rate",
                String.valueOf(requestRate),
                "--warmup-seconds",
                String.valueOf(warmupSeconds),
                "--phase",
                "idle",
                "--seed",
                "43",
                "--seconds",
                String.valueOf(idleSeconds)));
    children.add(idleLoad);
    awaitStarted(idleOut, idleLoad, server, run);
    cpu = ProcessCpu.start(server, idleLoad);
    Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
    Map<String, Object> idleCpu = cpu.stop();
    JsonNode idleResult = awaitResult(idleLoad, idleOut);
    stop(server);
    idleMeasured.countDown();
    try {
      run.get();
    } finally {
      log.close();
    }

    Map<String, Object> gc = new LinkedHashMap<>();
    gc.put(
        "replay", gcPauses(dir, "load-replay-gc.log", replayCpu, replayLoad.pid(), server.pid()));
    gc.put("idle", gcPauses(dir, "load-idle-gc.log", idleCpu, idleLoad.pid(), server.pid()));

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", Instant.now().toString());
    result.put("data", dataset.name());
    result.put("events", total);
    result.put("replayEventsPerSecond", replayRate);
    result.put("requestsPerSecond", requestRate);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("demoJvm", ManagementFactory.getRuntimeMXBean().getInputArguments());
    setup.put("serverCommand", serverCommand.subList(0, serverCommand.size() - 6));
    setup.put("serverJavaOptions", serverJavaOpts);
    setup.put("loadJavaOptions", loadJavaOpts);
    setup.put("loadWarmupSeconds", warmupSeconds);
    result.put("setup", setup);
    result.put("throughput", JSON.readTree(dir.resolve("throughput.json").toFile()));
    result.put("replay", replay);
    result.put("replayCpu", replayCpu);
    result.put("idle", idleResult);
    result.put("idleCpu", idleCpu);
    result.put("gcPauses", gc);
    result.put("freshness", freshness.summary());
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put(
        "p50ReplayOverIdle",
        p(replay, "goodRequests", "p50Millis") / p(idleResult, "goodRequests", "p50Millis"));
    ratios.put(
        "p99ReplayOverIdle",
        p(replay, "goodRequests", "p99Millis") / p(idleResult, "goodRequests", "p99Millis"));
    result.put("ratios", ratios);
    long serverErrors =
        replay.path("serverErrors").asLong() + idleResult.path("serverErrors").asLong();
    result.put("serverErrors", serverErrors);
    Path file = out.resolve("serving.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), result);

    System.out.println();
    System.out.println(
        "| phase | requests | achieved req/s | p50 ms | p95 ms | p99 ms | max ms | all p99 ms |"
            + " 5xx | errors | CPU demo / server / load | machine CPU |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    printRow(replay, replayCpu);
    JsonNode later = replay.path("goodRequestsAfterFirst10s");
    System.out.printf(
        Locale.ROOT,
        "| replay after its first 10 s | %,d | | %.2f | %.2f | %.2f | %.1f | | | | | |%n",
        later.path("count").asLong(),
        later.path("p50Millis").asDouble(),
        later.path("p95Millis").asDouble(),
        later.path("p99Millis").asDouble(),
        later.path("maxMillis").asDouble());
    printRow(idleResult, idleCpu);
    System.out.printf(
        Locale.ROOT,
        "%nratio replay / idle (one run): p50 %.2f, p99 %.2f%n",
        ratios.get("p50ReplayOverIdle"),
        ratios.get("p99ReplayOverIdle"));
    freshness.print();
    System.out.println(
        "server-side latency shares (replay): " + replay.path("serverSideLatencyShares"));
    System.out.println(
        "server-side latency shares (idle):   " + idleResult.path("serverSideLatencyShares"));
    System.out.println("G1 pauses during the replay: " + gc.get("replay"));
    System.out.println("G1 pauses while idle:        " + gc.get("idle"));
    System.out.println(
        "seconds of the replay with requests over 10 ms: "
            + replay.path("secondsWithRequestsOver10ms"));
    System.out.println();
    System.out.println("| bad input | replay statuses | idle statuses |");
    System.out.println("|---|---|---|");
    for (String kind : ServingLoad.BAD.keySet()) {
      System.out.printf(
          "| `%s` | %s | %s |%n",
          kind,
          replay.path("statusesByKind").path(kind),
          idleResult.path("statusesByKind").path(kind));
    }
    for (String kind : List.of("known", "unknown")) {
      System.out.printf(
          "| (%s ids) | %s | %s |%n",
          kind,
          replay.path("statusesByKind").path(kind),
          idleResult.path("statusesByKind").path(kind));
    }
    System.out.println();
    long clientErrors =
        replay.path("clientErrors").asLong() + idleResult.path("clientErrors").asLong();
    if (clientErrors > 0) {
      System.out.println(
          "client errors: "
              + replay.path("clientErrorSamples")
              + " "
              + idleResult.path("clientErrorSamples"));
    }
    if (serverErrors > 0) {
      System.out.println("!!!!! FAILURE: " + serverErrors + " answers with a 5xx status !!!!!");
    } else {
      System.out.println("no 5xx answers");
    }
    System.out.println("load average at the end " + loadAverage());
    System.out.println("wrote " + file);
    System.exit(serverErrors > 0 ? 1 : 0);
  }

  private static double p(JsonNode load, String latencies, String field) {
    return load.path(latencies).path(field).asDouble(Double.NaN);
  }

  private static void printRow(JsonNode load, Map<String, Object> cpu) {
    JsonNode good = load.path("goodRequests");
    System.out.printf(
        Locale.ROOT,
        "| %s | %,d | %.0f | %.2f | %.2f | %.2f | %.1f | %.2f | %d | %d | %s / %s / %s | %s |%n",
        load.path("phase").asText(),
        load.path("requests").asLong(),
        load.path("achievedRequestsPerSecond").asDouble(),
        good.path("p50Millis").asDouble(),
        good.path("p95Millis").asDouble(),
        good.path("p99Millis").asDouble(),
        good.path("maxMillis").asDouble(),
        load.path("allRequests").path("p99Millis").asDouble(),
        load.path("serverErrors").asLong(),
        load.path("clientErrors").asLong(),
        cpu.get("demo"),
        cpu.get("server"),
        cpu.get("load"),
        cpu.get("machine"));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * With {@code --priority N} (N > 0), the server and the load run at nice -N ({@code
   * --server-priority} and {@code --load-priority} set one each): the way a latency-critical
   * service shares a machine with a batch or stream job (like a higher CPU weight of its cgroup).
   * Needs root or CAP_SYS_NICE. 0, the default: everything at the same priority.
   */
  private static List<String> niceness(int priority) {
    return priority > 0 ? List.of("nice", "-n", String.valueOf(-priority)) : List.of();
  }

  private static List<String> options(String javaOpts) {
    return Arrays.stream(javaOpts.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
  }

  /** A load process for one phase: this JVM's classpath, its own small heap and GC log. */
  private static Process startLoad(String javaOpts, Path dir, String phase, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>(niceness(loadPriority));
    command.add(java());
    command.addAll(options(javaOpts));
    command.add("-Xlog:gc:file=" + dir.resolve("load-" + phase + "-gc.log") + ":time");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ServingLoad.class.getName());
    command.addAll(args);
    Files.deleteIfExists(Path.of(args.get(args.indexOf("--out") + 1)));
    Path log = dir.resolve("load-" + phase + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void alive(Process process, String what) {
    if (!process.isAlive()) {
      throw new IllegalStateException(what + " exited with " + process.exitValue());
    }
  }

  /** Stops a child: SIGTERM, then after 10 s SIGKILL. */
  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the demo wrote a readable endpoints.json (before its job starts). */
  private static void awaitEndpoints(Path file, FutureTask<?> run) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (true) {
      if (run.isDone()) {
        run.get();
        throw new IllegalStateException("the demo ended before it wrote " + file);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no " + file + " in 180 s");
      }
      if (Files.exists(file)) {
        try {
          if (JSON.readTree(file.toFile()).path("kafka").isTextual()) {
            return;
          }
        } catch (IOException e) {
          // being written
        }
      }
      Thread.sleep(20);
    }
  }

  /** The server's address from the first line of its output: "serving on http://HOST:PORT ...". */
  private static URI awaitServing(Process server, Path log, FutureTask<?> run) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    Pattern first = Pattern.compile("^serving on (\\S+)");
    while (true) {
      if (run.isDone()) {
        run.get();
        throw new IllegalStateException("the demo ended before the server started");
      }
      alive(server, "the server (see server.err)");
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the server did not say where it serves in 60 s");
      }
      List<String> lines = Files.readAllLines(log);
      if (!lines.isEmpty()) {
        Matcher m = first.matcher(lines.get(0));
        if (!m.find()) {
          throw new IllegalStateException("the server's first line: " + lines.get(0));
        }
        return URI.create(m.group(1));
      }
      Thread.sleep(20);
    }
  }

  /** Waits until the server answers an unknown user with 200: the fallback list exists. */
  private static void awaitLists(URI serve, HttpClient http, FutureTask<?> run, Process server)
      throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (true) {
      if (run.isDone()) {
        run.get();
        throw new IllegalStateException("the demo ended before the server answered");
      }
      alive(server, "the server (see server.err)");
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the server did not answer with a list in 180 s");
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(serve.resolve("/users/nobody/recommendations")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
  }

  /** Waits until the load process starts its measured phase (after its warm-up). */
  private static void awaitStarted(Path out, Process load, Process server, FutureTask<?> run)
      throws Exception {
    Path started = Path.of(out + ".started");
    long deadline = System.currentTimeMillis() + 120_000;
    while (!Files.exists(started)) {
      alive(load, "the load (see its log)");
      alive(server, "the server (see server.err)");
      if (run.isDone()) {
        run.get();
        throw new IllegalStateException("the demo ended before the load started");
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the load did not start in 120 s");
      }
      Thread.sleep(10);
    }
  }

  private static JsonNode awaitResult(Process load, Path out) throws Exception {
    if (!load.waitFor(60, TimeUnit.SECONDS)) {
      stop(load);
      throw new IllegalStateException("the load did not end within 60 s of its phase");
    }
    if (load.exitValue() != 0 || !Files.exists(out)) {
      throw new IllegalStateException(
          "the load exited with " + load.exitValue() + " (see its log)");
    }
    return JSON.readTree(out.toFile());
  }

  /**
   * The GC pauses (G1 or other, from -Xlog:gc files with the time decoration) of each process
   * within a phase's window: count, median, max and total in ms.
   */
  private static Map<String, Object> gcPauses(
      Path dir, String loadLog, Map<String, Object> window, long loadPid, long serverPid) {
    long from = (Long) window.get("fromEpochMillis");
    long to = (Long) window.get("toEpochMillis");
    Map<String, Object> byProcess = new LinkedHashMap<>();
    byProcess.put("demo", pauses(dir.resolve("demo-gc.log"), from, to));
    byProcess.put("server", pauses(dir.resolve("server-gc.log"), from, to));
    byProcess.put("load", pauses(dir.resolve(loadLog), from, to));
    return byProcess;
  }

  private static final Pattern PAUSE =
      Pattern.compile("^\\[([^\\]]+)\\].*\\bPause\\b.* ([0-9.]+)ms$");
  private static final DateTimeFormatter GC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private static String pauses(Path log, long from, long to) {
    if (!Files.exists(log)) {
      return "no GC log";
    }
    List<Double> millis = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log)) {
        Matcher m = PAUSE.matcher(line);
        if (m.find()) {
          long at = OffsetDateTime.parse(m.group(1), GC_TIME).toInstant().toEpochMilli();
          if (at >= from && at <= to) {
            millis.add(Double.parseDouble(m.group(2)));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unreadable GC log: " + e;
    }
    if (millis.isEmpty()) {
      return "0 pauses";
    }
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "%d pauses, median %.1f ms, max %.1f ms, %.0f ms in all",
        sorted.length,
        sorted[(sorted.length - 1) / 2],
        sorted[sorted.length - 1],
        Arrays.stream(sorted).sum());
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

    /** Samples acknowledged after the job's first {@link #STEADY_AFTER_MILLIS} of the replay. */
    final Latencies steady = new Latencies();

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
                    if (s.ackMillis() - startMillis >= STEADY_AFTER_MILLIS) {
                      steady.add((now - s.ackMillis()) * 1_000_000);
                    }
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
      s.put("afterFirst30s", steady.summary());
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
      System.out.printf(
          Locale.ROOT,
          "freshness after the replay's first %d s (the job warmed up), %d samples: p50 %.0f ms,"
              + " p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          STEADY_AFTER_MILLIS / 1000,
          steady.size(),
          steady.percentile(50),
          steady.percentile(95),
          steady.percentile(99),
          steady.percentile(100));
    }
  }

  /**
   * Each process's CPU over a phase (utime + stime from /proc/PID/stat) and the whole machine's
   * (/proc/stat), as shares of all cores; "demo" is this JVM (the job, the broker, the freshness
   * poller).
   */
  static final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
    private final long fromMillis = System.currentTimeMillis();
    private final long wallNanos = System.nanoTime();
    private final long[] machine = machineTicks();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> ticks = new LinkedHashMap<>();

    static ProcessCpu start(Process server, Process load) {
      ProcessCpu cpu = new ProcessCpu();
      cpu.pids.put("demo", ProcessHandle.current().pid());
      cpu.pids.put("server", server.pid());
      cpu.pids.put("load", load.pid());
      cpu.pids.forEach((name, pid) -> cpu.ticks.put(name, processTicks(pid)));
      return cpu;
    }

    Map<String, Object> stop() {
      double wallSeconds = (System.nanoTime() - wallNanos) / 1e9;
      int cores = Runtime.getRuntime().availableProcessors();
      long[] now = machineTicks();
      Map<String, Object> cpu = new LinkedHashMap<>();
      pids.forEach(
          (name, pid) -> {
            long before = ticks.get(name);
            long after = processTicks(pid);
            cpu.put(
                name,
                before < 0 || after < 0
                    ? "n/a"
                    : String.format(
                        Locale.ROOT,
                        "%.0f%%",
                        100 * (after - before) / TICKS_PER_SECOND / wallSeconds / cores));
          });
      cpu.put(
          "machine",
          machine == null || now == null
              ? "n/a"
              : String.format(
                  Locale.ROOT,
                  "%.0f%%",
                  100.0 * (now[0] - machine[0]) / Math.max(1, now[1] - machine[1])));
      cpu.put("loadAverage", loadAverage());
      cpu.put("seconds", wallSeconds);
      cpu.put("fromEpochMillis", fromMillis);
      cpu.put("toEpochMillis", System.currentTimeMillis());
      return cpu;
    }

    /** utime + stime of a process in clock ticks; -1 when unreadable. */
    private static long processTicks(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        return -1;
      }
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

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "n/a";
    }
  }
}
