package io.personalize.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.job.JobRunner;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.perf.EventsLoadClient.Sample;
import io.personalize.serving.query.StateLookup;
import io.personalize.serving.serve.RecommendationServer;
import io.personalize.serving.serve.ServeOptions;
import io.personalize.serving.serve.ServeSettings;
import io.personalize.state.UserProfile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code POST /events} under load, with the job running behind it and the serving process restarted
 * halfway: single events at a fixed rate (open loop: each request's latency counts from when it was
 * due, so a stall shows), then every user's applied events (queryable state) compared with the
 * events the server answered 202 for. This JVM holds the broker and the job; the load comes from a
 * process of its own ({@link EventsLoadClient}), and the server runs in one too unless asked
 * otherwise. The first seconds warm the JVMs up (the job, the broker, the server and the load
 * compile their hot paths at once): their requests are sent and checked like the rest, and their
 * latencies are reported apart. Prints latency percentiles and the comparison, and writes them to
 * {@code DIR/events-load.json}, the load's own samples to {@code DIR/samples.txt}
 * (docs/performance.md, "POST /events under load").
 *
 * <p>Run: {@code bin/benchmark events [rate] [seconds] [users] [dir] [warm-up seconds]
 * [process|in-jvm]}, defaults 200 a second for 60 s over 100 users into out/events-load, after 15 s
 * of warm-up, the server in a process of its own as deployed ({@code in-jvm}: in this JVM, beside
 * the job). Job settings as system properties ({@code -Dpersonalize.recommend.enabled=false}); the
 * server's and the load's JVM options as {@code -Dserver.java.opts="-Xmx1g ..."} and {@code
 * -Dclient.java.opts="..."} (default {@value #DEFAULT_CLIENT_JAVA_OPTIONS}).
 */
public final class EventsLoad {
  private static final String TOPIC = "load-interactions";

  /** Time for the load generator's JVM to start before its first request is due. */
  private static final long CLIENT_START_MILLIS = 5_000;

  /** The load generator's JVM options (-Dclient.java.opts overrides them). */
  private static final String DEFAULT_CLIENT_JAVA_OPTIONS = "-Xmx256m";

  private EventsLoad() {}

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
    int total = (int) (rate * (warmUp + seconds));
    long startMillis = System.currentTimeMillis() + CLIENT_START_MILLIS;
    Path samplesFile = dir.resolve("samples.txt");
    Files.deleteIfExists(samplesFile);
    Process client = startClient(events, rate, total, users, startMillis, samplesFile, dir);
    long restartAt = startMillis + TimeUnit.SECONDS.toMillis(warmUp) + seconds * 500L;
    TimeUnit.MILLISECONDS.sleep(Math.max(0, restartAt - System.currentTimeMillis()));
    long restartFrom = System.currentTimeMillis();
    server[0].stop().run();
    server[0] = startServer(serve, ownProcess, dir.resolve("server-2.log"));
    long restartTo = System.currentTimeMillis();
    System.out.printf("restarted the server in %d ms%n", restartTo - restartFrom);
    long clientDeadline = restartAt + TimeUnit.SECONDS.toMillis(seconds + 60L);
    if (!client.waitFor(
        Math.max(0, clientDeadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
      client.destroyForcibly();
      throw new IllegalStateException("the load generator did not finish: see client.log");
    }
    if (client.exitValue() != 0) {
      throw new IllegalStateException(
          "the load generator exited with " + client.exitValue() + ": see client.log");
    }
    server[0].stop().run();

    List<Sample> all = EventsLoadClient.read(samplesFile);
    Map<Integer, Integer> accepted = new TreeMap<>();
    all.stream()
        .filter(s -> s.status() == 202)
        .forEach(s -> accepted.merge(s.user(), 1, Integer::sum));
    long acceptedTotal = accepted.values().stream().mapToLong(Integer::longValue).sum();
    long[] applied = applied(cluster, id, users, accepted);
    ObjectNode report = new ObjectMapper().createObjectNode();
    report.put("rate", rate);
    report.put("server", ownProcess ? "process" : "in-jvm");
    report.put("client", "process, " + clientJavaOptions());
    report.putPOJO("jobSettings", jobSettings().toMap());
    report.put("warmUpSeconds", warmUp);
    report.put("seconds", seconds);
    report.put("users", users);
    report.put("requests", total);
    report.put("answered", all.size());
    report.put("accepted", acceptedTotal);
    report.put("restartMillis", restartTo - restartFrom);
    report.put("applied", applied[0]);
    report.put("usersWithFewer", applied[1]);
    report.put("usersWithMore", applied[2]);
    long measuredFrom = TimeUnit.SECONDS.toMicros(warmUp);
    long quietFrom = TimeUnit.MILLISECONDS.toMicros(restartFrom - startMillis - 1_000);
    long quietTo = TimeUnit.MILLISECONDS.toMicros(restartTo - startMillis + 1_000);
    report.set("warmUp", latencies(all, s -> s.dueMicros() < measuredFrom));
    report.set("measured", latencies(all, s -> s.dueMicros() >= measuredFrom));
    report.set(
        "awayFromRestart",
        latencies(
            all,
            s ->
                s.dueMicros() >= measuredFrom
                    && (s.dueMicros() < quietFrom || s.dueMicros() > quietTo)));
    Map<Integer, Long> statuses = new TreeMap<>();
    all.forEach(s -> statuses.merge(s.status(), 1L, Long::sum));
    ObjectNode byStatus = report.putObject("statuses");
    statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count));
    Map<String, Long> failures = new TreeMap<>();
    all.stream()
        .filter(s -> s.status() < 0)
        .forEach(s -> failures.merge(s.failure(), 1L, Long::sum));
    ObjectNode byFailure = report.putObject("failures");
    failures.forEach(byFailure::put);
    Path file = dir.resolve("events-load.json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    System.out.println(
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println("wrote " + file);
  }

  private static String clientJavaOptions() {
    return System.getProperty("client.java.opts", DEFAULT_CLIENT_JAVA_OPTIONS);
  }

  /** The load generator's JVM ({@link EventsLoadClient}), this JVM's class path. */
  private static Process startClient(
      URI events, double rate, int total, int users, long startMillis, Path samples, Path dir)
      throws java.io.IOException {
    List<String> command =
        ServerProcess.javaCommand(clientJavaOptions(), EventsLoadClient.class.getName());
    command.add(events.toString());
    command.add(Double.toString(rate));
    command.add(Integer.toString(total));
    command.add(Integer.toString(users));
    command.add(Long.toString(startMillis));
    command.add(samples.toString());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("client.log").toFile())
        .start();
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
      BenchCluster cluster, JobID id, int users, Map<Integer, Integer> accepted)
      throws InterruptedException {
    long[] result = new long[3];
    try (StateLookup lookup = new StateLookup("127.0.0.1", cluster.proxyPort())) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      for (int u = 0; u < users; u++) {
        String user = EventsLoadClient.userId(u);
        int expected = accepted.getOrDefault(u, 0);
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
    long[] micros =
        samples.stream()
            .filter(s -> s.status() == 202)
            .filter(keep)
            .mapToLong(Sample::latencyMicros)
            .sorted()
            .toArray();
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("count", micros.length);
    String[] labels = {"p50Ms", "p90Ms", "p99Ms", "p99.9Ms", "maxMs"};
    double[] quantiles = {0.5, 0.9, 0.99, 0.999, 1.0};
    for (int q = 0; q < quantiles.length; q++) {
      int rank = (int) Math.min(micros.length - 1, Math.ceil(quantiles[q] * micros.length) - 1);
      node.put(labels[q], micros.length == 0 ? Double.NaN : micros[rank] / 1e3);
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
