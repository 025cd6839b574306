package io.personalize.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.job.JobRunner;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.serving.query.StateLookup;
import io.personalize.serving.serve.RecommendationServer;
import io.personalize.serving.serve.ServeOptions;
import io.personalize.serving.serve.ServeSettings;
import io.personalize.state.UserProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code POST /events} under load, with the job running behind it and the serving process restarted
 * halfway: single events at a fixed rate (open loop: each request's latency counts from when it was
 * due, so a stall shows), then every user's applied events (queryable state) compared with the
 * events the server answered 202 for. The first seconds warm the JVM up (the job, the broker and
 * the server compile their hot paths at once): their requests are sent and checked like the rest,
 * and their latencies are reported apart. Prints latency percentiles and the comparison, and writes
 * them to {@code DIR/events-load.json} (docs/performance.md, "POST /events").
 *
 * <p>Run: {@code java -cp "flink-jobs/target/classes:$(cat
 * flink-jobs/target/cli-classpath.txt):$(cat flink-jobs/target/provided-classpath.txt)"
 * io.personalize.perf.EventsLoad [rate] [seconds] [users] [dir] [warm-up seconds]
 * [process|in-jvm]}, defaults 200 a second for 60 s over 100 users into out/events-load, after 15 s
 * of warm-up, the server in a process of its own as deployed ({@code in-jvm}: in this JVM, beside
 * the job). Job settings as system properties ({@code -Dpersonalize.recommend.enabled=false}); the
 * server process's JVM options as {@code -Dserver.java.opts="-Xmx1g ..."}.
 */
public final class EventsLoad {
  private static final String TOPIC = "load-interactions";

  private EventsLoad() {}

  /** One answered or failed request: when it was due, how long it took, its status (-1: none). */
  private record Sample(long dueNanos, long nanos, int status) {}

  public static void main(String[] args) throws Exception {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int users = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Path dir = Path.of(args.length > 3 ? args[3] : "out/events-load");
    int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 15;
    boolean ownProcess = args.length <= 5 || parseServerMode(args[5]);
    Files.createDirectories(dir);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      Configuration jobSettings = jobSettings();
      try (BenchCluster cluster = new BenchCluster(Bench.clusterSettings(jobSettings, dir), 1)) {
        Configuration conf =
            Bench.jobConfiguration(
                jobSettings,
                bootstrap,
                1,
                jobSettings.get(RecommendationOptions.ENABLED),
                "load-",
                TOPIC);
        JobConfig job = JobConfig.from(conf);
        JobRunner.createTopics(job);
        StreamExecutionEnvironment env = cluster.environment(conf);
        JobRunner.define(env, job, List.of());
        JobID id = cluster.start(env, 120_000);
        try {
          run(
              rate,
              warmUp,
              seconds,
              users,
              dir,
              ownProcess,
              serveSettings(bootstrap, job),
              cluster,
              id);
        } finally {
          cluster.cancel(id);
        }
      }
    }
  }

  private static void run(
      double rate,
      int warmUp,
      int seconds,
      int users,
      Path dir,
      boolean ownProcess,
      Configuration serve,
      BenchCluster cluster,
      JobID id)
      throws Exception {
    Server[] server = {startServer(serve, ownProcess, dir.resolve("server-1.log"))};
    URI events = server[0].address().resolve("/events");
    serve.set(ServeOptions.PORT, server[0].address().getPort()); // the restart takes the same port
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    AtomicLong sent = new AtomicLong();
    long periodNanos = (long) (1e9 / rate);
    long total = (long) (rate * (warmUp + seconds));
    long start = System.nanoTime();
    long measuredFrom = start + TimeUnit.SECONDS.toNanos(warmUp);
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    ticks.scheduleAtFixedRate(
        () -> {
          long n = sent.getAndIncrement();
          if (n >= total) {
            return;
          }
          long due = start + n * periodNanos;
          String user = "load-u" + (n % users);
          String body =
              String.format(
                  Locale.ROOT,
                  "{\"userId\":\"%s\",\"itemId\":\"i%d\",\"eventType\":\"RATING\",\"value\":%d,"
                      + "\"eventTimeMillis\":%d}",
                  user,
                  n % 997,
                  1 + n % 5,
                  System.currentTimeMillis());
          http.sendAsync(
                  HttpRequest.newBuilder(events)
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(10))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, failure) -> {
                    int status = failure == null ? response.statusCode() : -1;
                    if (failure != null) {
                      Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                      failures
                          .computeIfAbsent(
                              cause.getClass().getSimpleName(), c -> new AtomicInteger())
                          .incrementAndGet();
                    }
                    samples.add(new Sample(due, System.nanoTime() - due, status));
                    if (status == 202) {
                      accepted.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
                    }
                  });
        },
        0,
        periodNanos,
        TimeUnit.NANOSECONDS);
    TimeUnit.SECONDS.sleep(warmUp + seconds / 2);
    long restartFrom = System.nanoTime();
    server[0].stop().run();
    server[0] = startServer(serve, ownProcess, dir.resolve("server-2.log"));
    long restartTo = System.nanoTime();
    System.out.printf(
        "restarted the server in %d ms%n", TimeUnit.NANOSECONDS.toMillis(restartTo - restartFrom));
    while (sent.get() < total) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    ticks.shutdown();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (samples.size() < total && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    server[0].stop().run();

    long acceptedTotal = accepted.values().stream().mapToLong(AtomicInteger::get).sum();
    long[] applied = applied(cluster, id, users, accepted);
    ObjectNode report = new ObjectMapper().createObjectNode();
    report.put("rate", rate);
    report.put("server", ownProcess ? "process" : "in-jvm");
    report.putPOJO("jobSettings", jobSettings().toMap());
    report.put("warmUpSeconds", warmUp);
    report.put("seconds", seconds);
    report.put("users", users);
    report.put("requests", total);
    report.put("answered", samples.size());
    report.put("accepted", acceptedTotal);
    report.put("restartMillis", TimeUnit.NANOSECONDS.toMillis(restartTo - restartFrom));
    report.put("applied", applied[0]);
    report.put("usersWithFewer", applied[1]);
    report.put("usersWithMore", applied[2]);
    List<Sample> all = new ArrayList<>(samples);
    long quietFrom = restartFrom - TimeUnit.SECONDS.toNanos(1);
    long quietTo = restartTo + TimeUnit.SECONDS.toNanos(1);
    report.set("warmUp", latencies(all, s -> s.dueNanos() < measuredFrom));
    report.set("measured", latencies(all, s -> s.dueNanos() >= measuredFrom));
    report.set(
        "awayFromRestart",
        latencies(
            all,
            s ->
                s.dueNanos() >= measuredFrom
                    && (s.dueNanos() < quietFrom || s.dueNanos() > quietTo)));
    Map<Integer, Long> statuses = new java.util.TreeMap<>();
    all.forEach(s -> statuses.merge(s.status(), 1L, Long::sum));
    ObjectNode byStatus = report.putObject("statuses");
    statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count));
    ObjectNode byFailure = report.putObject("failures");
    failures.forEach((failure, count) -> byFailure.put(failure, count.get()));
    Path file = dir.resolve("events-load.json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    System.out.println(
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println("wrote " + file);
  }

  /**
   * The job's settings: its defaults, and any {@code -Dpersonalize.*} system property over them.
   */
  private static Configuration jobSettings() {
    Configuration settings = new Configuration();
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            key -> {
              if (key.startsWith("personalize.")) {
                settings.setString(key, System.getProperty(key));
              }
            });
    return settings;
  }

  private static boolean parseServerMode(String mode) {
    return switch (mode) {
      case "process" -> true;
      case "in-jvm" -> false;
      default ->
          throw new IllegalArgumentException("the server mode is process or in-jvm, not " + mode);
    };
  }

  /** The server under load, wherever it runs: where it serves, and how it stops. */
  private record Server(URI address, Runnable stop) {}

  private static Server startServer(Configuration serve, boolean ownProcess, Path log)
      throws java.io.IOException {
    if (ownProcess) {
      ServerProcess process =
          ServerProcess.start(serve, System.getProperty("server.java.opts", ""), log);
      return new Server(process.address(), process::close);
    }
    RecommendationServer server = RecommendationServer.start(ServeSettings.from(serve));
    return new Server(server.address(), server::close);
  }

  /** Applied events summed over users, and the users with fewer and with more than accepted. */
  private static long[] applied(
      BenchCluster cluster, JobID id, int users, Map<String, AtomicInteger> accepted)
      throws InterruptedException {
    long[] result = new long[3];
    try (StateLookup lookup = new StateLookup("127.0.0.1", cluster.proxyPort())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      for (int u = 0; u < users; u++) {
        String user = "load-u" + u;
        int expected = accepted.getOrDefault(user, new AtomicInteger()).get();
        long events = 0;
        while (true) {
          Optional<UserProfile> profile = lookup.profile(id, user);
          events = profile.map(p -> p.events).orElse(0L);
          if (events >= expected || System.nanoTime() > deadline) {
            break;
          }
          TimeUnit.MILLISECONDS.sleep(200);
        }
        result[0] += events;
        result[1] += events < expected ? 1 : 0;
        result[2] += events > expected ? 1 : 0;
      }
    }
    return result;
  }

  private static ObjectNode latencies(
      List<Sample> samples, java.util.function.Predicate<Sample> keep) {
    long[] nanos =
        samples.stream()
            .filter(s -> s.status() == 202)
            .filter(keep)
            .mapToLong(Sample::nanos)
            .sorted()
            .toArray();
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("count", nanos.length);
    String[] labels = {"p50Ms", "p90Ms", "p99Ms", "p99.9Ms", "maxMs"};
    double[] quantiles = {0.5, 0.9, 0.99, 0.999, 1.0};
    for (int q = 0; q < quantiles.length; q++) {
      int rank = (int) Math.min(nanos.length - 1, Math.ceil(quantiles[q] * nanos.length) - 1);
      node.put(labels[q], nanos.length == 0 ? Double.NaN : nanos[rank] / 1e6);
    }
    return node;
  }

  private static Configuration serveSettings(String bootstrap, JobConfig job) {
    Configuration conf = new Configuration();
    conf.set(ServeOptions.PORT, 0);
    conf.set(ServeOptions.BOOTSTRAP_SERVERS, bootstrap);
    conf.set(ServeOptions.TOPIC_INTERACTIONS, TOPIC);
    conf.set(ServeOptions.TOPIC_RECOMMENDATIONS, job.get(PersonalizeOptions.TOPIC_RECOMMENDATIONS));
    conf.set(ServeOptions.TOPIC_ITEMS, job.get(PersonalizeOptions.TOPIC_ITEMS));
    conf.set(ServeOptions.TOPIC_METRICS, job.get(PersonalizeOptions.TOPIC_METRICS));
    conf.set(ServeOptions.FLINK_REST, "http://127.0.0.1:1");
    conf.set(ServeOptions.QUERYABLE_STATE_PROXY, "127.0.0.1:1");
    return conf;
  }
}
