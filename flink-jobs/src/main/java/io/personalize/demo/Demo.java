package io.personalize.demo;

import static io.personalize.job.config.PersonalizeOptions.BOOTSTRAP_SERVERS;
import static io.personalize.job.config.PersonalizeOptions.START_FROM;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_INTERACTIONS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_ITEMS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_METRICS;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.avro.MetricSnapshot;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.ItemInfo;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.kafka.ReplayObserver;
import io.personalize.eval.Chart;
import io.personalize.eval.LiveLine;
import io.personalize.eval.Report;
import io.personalize.eval.Summary;
import io.personalize.job.JobRunner;
import io.personalize.job.PipelineSettings;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.model.Mode;
import io.personalize.online.UserState;
import io.personalize.online.UserViews;
import io.personalize.serving.query.StateLookup;
import io.personalize.serving.serve.RecommendationServer;
import io.personalize.serving.serve.ServeOptions;
import io.personalize.serving.serve.ServeSettings;
import io.personalize.state.PersonalModelView;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * The whole engine on one machine: an in-process Kafka broker, the data replayed into it, the job
 * on a local Flink with RocksDB and queryable state, the per-group prequential table read back from
 * the metrics topic while it runs, a user looked up through queryable state, and summary.json in
 * the evaluator's format at the end. Everything listens on loopback; the addresses are printed and
 * written to {@code DIR/endpoints.json}.
 */
public final class Demo {
  /** The ports the demo prefers: those {@code personalize query} tries without options. */
  static final int REST_PORT = 8081;

  static final int QUERY_PROXY_PORT = 9069;

  /** The port the demo's recommendation server prefers: {@code personalize recommend}'s default. */
  static final int SERVE_PORT = 8090;

  private final Configuration settings;
  private final PrintStream out;
  private final long timeoutMillis;
  private final boolean keepRunning;
  private double replayRate;
  private boolean startServer = true;
  private boolean groupsExplained;
  private ReplayObserver replayObserver;
  private AfterRun beforeTeardown;

  /**
   * @param settings the job's settings (defaults for what it leaves unset) and any Flink options
   * @param keepRunning after the replay, keep the job and the broker up until the process is
   *     stopped, so {@code personalize query} can look users up
   */
  public Demo(Configuration settings, PrintStream out, long timeoutMillis, boolean keepRunning) {
    this.settings = settings;
    this.out = out;
    this.timeoutMillis = timeoutMillis;
    this.keepRunning = keepRunning;
  }

  /**
   * Replays the events at {@code eventsPerSecond} while the job runs, instead of all of them into
   * Kafka before it starts (0, the default): the job and the server start first, then the replay
   * goes on in the background, so the job processes live arrivals rather than a backlog. The
   * timeout is counted from the replay's scheduled end.
   */
  public Demo replayRate(double eventsPerSecond) {
    if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException("the replay rate must be >= 0, got " + eventsPerSecond);
    }
    this.replayRate = eventsPerSecond;
    return this;
  }

  /**
   * Does not start the in-process recommendation server: endpoints.json then has no {@code serve},
   * and the server runs as a process of its own ({@code personalize serve --endpoints
   * DIR/endpoints.json}), as in production.
   */
  public Demo withoutServer() {
    this.startServer = false;
    return this;
  }

  /** Tells {@code observer} of each replayed event as the broker acknowledges it. */
  public Demo observeReplay(ReplayObserver observer) {
    this.replayObserver = observer;
    return this;
  }

  /** Something to run once every event is scored, with the job, broker and server still up. */
  @FunctionalInterface
  public interface AfterRun {
    void run(Endpoints endpoints) throws Exception;
  }

  /**
   * Runs {@code hook} after the summary, before {@code --keep-running} waits and before everything
   * stops: the job is then idle and the broker and the server still up (the serving benchmark
   * measures the idle server there).
   */
  public Demo beforeTeardown(AfterRun hook) {
    this.beforeTeardown = hook;
    return this;
  }

  /** What a demo run measured and looked up. */
  public record Result(
      Summary summary,
      String user,
      Optional<UserProfile> profile,
      Optional<PersonalModelView> model,
      Optional<RecommendationView> recommendations,
      Endpoints endpoints) {}

  /**
   * Where the demo's services listen: written to {@code DIR/endpoints.json}; {@code serve} is null
   * (and left out of the file) when the demo starts no recommendation server.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Endpoints(
      String kafka, String flinkRest, String queryableStateProxy, String serve) {
    /** Writes {@code DIR/endpoints.json}, the file {@code query} and {@code serve} read. */
    public Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("endpoints.json");
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
      return file;
    }
  }

  /** Runs the demo on {@code dataset}; the summary is also written to {@code dir}. */
  public Result run(Dataset dataset, Path dir) throws Exception {
    long start = System.nanoTime();
    Files.createDirectories(dir);
    out.println("starting an in-process Kafka broker...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Configuration conf = new Configuration(settings);
      conf.set(BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      conf.set(START_FROM, PersonalizeOptions.StartFrom.EARLIEST);
      // The data set's own scale (ml-latest-small's half stars start at 0.5) unless given: with
      // the default 1 to 5, its ratings below 1 would be dead letters the demo waits for.
      boolean rated = dataset.interactions().stream().anyMatch(i -> i.kind().isRating());
      if (rated && !conf.contains(PersonalizeOptions.RATING_MIN)) {
        conf.set(PersonalizeOptions.RATING_MIN, dataset.scale().min());
      }
      if (rated && !conf.contains(PersonalizeOptions.RATING_MAX)) {
        conf.set(PersonalizeOptions.RATING_MAX, dataset.scale().max());
      }
      JobConfig job = JobConfig.from(conf);
      boolean recommend = job.get(RecommendationOptions.ENABLED);
      if (!conf.contains(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL)) {
        // The demo reads operator counters over REST; Flink's default caches them for 10 s.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, java.time.Duration.ofMillis(500));
      }
      JobRunner.createTopics(job);
      long events = dataset.interactions().size();
      // The rating models score ratings only: a click stream has none to wait for.
      long ratings = dataset.interactions().stream().filter(i -> i.kind().isRating()).count();
      if (replayRate == 0) {
        replay(dataset, job);
      }

      int restPort = portFor(conf, RestOptions.PORT.key(), REST_PORT);
      int proxyPort = portFor(conf, "queryable-state.proxy.ports", QUERY_PROXY_PORT);
      conf.setString(RestOptions.PORT.key(), String.valueOf(restPort));
      conf.setString("queryable-state.proxy.ports", String.valueOf(proxyPort));
      conf.setString("queryable-state.server.ports", String.valueOf(freePort()));
      if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
        // Under DIR and emptied at each start: a demo always starts fresh, and repeated demos do
        // not pile up retained checkpoints.
        Path checkpoints = dir.resolve("checkpoints");
        FileUtils.deleteDirectory(checkpoints.toFile());
        conf.set(
            CheckpointingOptions.CHECKPOINTS_DIRECTORY,
            checkpoints.toAbsolutePath().toUri().toString());
      }
      RecommendationServer server =
          recommend && startServer
              ? RecommendationServer.start(serveSettings(conf, job, restPort, proxyPort))
              : null;
      Endpoints endpoints =
          new Endpoints(
              kafka.bootstrapServers(),
              "http://127.0.0.1:" + restPort,
              "127.0.0.1:" + proxyPort,
              server == null ? null : server.address().toString());
      out.println("wrote " + endpoints.write(dir));
      StreamExecutionEnvironment env = PipelineSettings.environment(conf);
      out.printf(
          "starting the job on a local Flink (parallelism %d, RocksDB)%n"
              + "  Kafka:                 %s%n"
              + "  Flink REST API and UI: %s%n"
              + "  queryable state proxy: %s%n"
              + "  recommendations:       %s%n",
          job.parallelism(),
          endpoints.kafka(),
          endpoints.flinkRest(),
          endpoints.queryableStateProxy(),
          server == null
              ? recommend
                  ? "not started here (run: bin/personalize serve --endpoints "
                      + dir.resolve("endpoints.json")
                      + ")"
                  : "off (recommend.enabled is false)"
              : endpoints.serve() + "/ (status page; GET /users/{id}/recommendations)");
      long jobStart = System.nanoTime();
      JobClient client = JobRunner.start(env, job);
      FutureTask<Long> pacedReplay = null;
      try (MetricsFollower metrics =
          new MetricsFollower(job.bootstrapServers(), job.get(TOPIC_METRICS))) {
        long users = dataset.interactions().stream().map(Interaction::userId).distinct().count();
        // Every event of a user with an earlier event is checked against the user's list.
        long listChecks = recommend ? events - users : 0;
        if (replayRate > 0) {
          new JobWatch(client, endpoints.flinkRest(), out).untilEveryTaskRuns(timeoutMillis);
          pacedReplay = new FutureTask<>(() -> replay(dataset, job));
          Thread replayThread = new Thread(pacedReplay, "demo-replay");
          replayThread.setDaemon(true);
          replayThread.start();
        }
        follow(
            metrics,
            events,
            ratings,
            listChecks,
            job.listSettings().kind().label(),
            client,
            job,
            pacedReplay);
        OperatorCounters counters = new OperatorCounters(restPort, client.getJobID());
        double jobSeconds = (System.nanoTime() - jobStart) / 1e9;
        long lists = recommend ? counters.sum(".lists-computed") : 0;
        writeThroughput(dir, events, jobSeconds, job, lists);
        String user = busiestUser(dataset);
        Optional<UserProfile> profile;
        Optional<PersonalModelView> model;
        Optional<RecommendationView> list = Optional.empty();
        try (StateLookup lookup = new StateLookup("127.0.0.1", proxyPort)) {
          Optional<UserState> state = lookup.userState(client.getJobID(), user);
          profile = state.map(UserViews::profile);
          model = state.map(UserViews::model);
          if (job.recommends()) {
            list = lookup.recommendations(client.getJobID(), user);
          }
        }
        out.println();
        out.println("queryable state of the most active user:");
        if (ratings == 0) {
          out.println(
              "  no profile or personal model: those learn from ratings, and there are none");
        } else {
          out.println("  " + profile.map(Object::toString).orElse("no profile for user " + user));
          out.println("  " + model.map(Object::toString).orElse("no model for user " + user));
        }
        if (job.recommends()) {
          printList(list, user, dataset);
        }
        Summary summary =
            SnapshotSummary.of(
                metrics,
                dataset.name(),
                job.model().kind().name().toLowerCase(Locale.ROOT),
                (int) events,
                (int) users,
                (int) dataset.interactions().stream().map(Interaction::itemId).distinct().count(),
                job.model().groups(),
                (System.nanoTime() - start) / 1e9,
                settings(job),
                recommend ? job.listSettings().kind().label() : null);
        out.println();
        Report.printTables(summary, out);
        printUsersCountedAgain(summary, users);
        if (ratings > 0) {
          printShadowShare(job);
        }
        out.println("wrote " + Report.writeJson(summary, dir));
        out.println("wrote " + Chart.writePng(summary, dir));
        if (server != null) {
          out.printf(
              "%nserved: curl '%s/users/%s/recommendations?k=10'%n", endpoints.serve(), user);
        }
        if (beforeTeardown != null) {
          beforeTeardown.run(endpoints);
        }
        if (keepRunning) {
          boolean defaultPorts =
              restPort == REST_PORT
                  && proxyPort == QUERY_PROXY_PORT
                  && (server == null || server.address().getPort() == SERVE_PORT);
          String where = defaultPorts ? "" : " --endpoints " + dir.resolve("endpoints.json");
          out.printf(
              "%nthe job keeps running; look a user up from another terminal with%n"
                  + "  bin/personalize query --user %s%s%n"
                  + (server == null ? "" : "  bin/personalize recommend --user %1$s%2$s%n")
                  + (server == null ? "" : "  or open %3$s/ in a browser%n")
                  + "stop with Ctrl-C%n",
              user,
              where,
              endpoints.serve());
          // Ctrl-C ended it without a word: say what ended with it, and what is kept.
          Thread onStop =
              ShutdownHooks.add(
                  "demo-stopped",
                  () ->
                      out.printf(
                          "%nstopped: the job, the in-process broker%s ended with this process;"
                              + " %s keeps the summary, the chart and endpoints.json%n",
                          server == null ? "" : " and the recommendation server", dir));
          try {
            new JobWatch(client, endpoints.flinkRest(), out).untilTerminated();
          } finally {
            ShutdownHooks.remove(onStop);
          }
        }
        return new Result(summary, user, profile, model, list, endpoints);
      } finally {
        if (pacedReplay != null) {
          pacedReplay.cancel(true);
        }
        if (JobWatch.ended(client).isEmpty()) {
          client.cancel().get();
        }
        if (server != null) {
          server.close();
        }
      }
    }
  }

  /**
   * The demo's recommendation server: the job's topics on the demo's broker, the job's REST and
   * proxy ports, port 8090 when free (else a free one) unless {@code personalize.serve.port} is
   * set.
   */
  private static ServeSettings serveSettings(
      Configuration conf, JobConfig job, int restPort, int proxyPort) {
    Configuration serve = new Configuration(conf);
    serve.set(ServeOptions.BOOTSTRAP_SERVERS, job.bootstrapServers());
    serve.set(
        ServeOptions.TOPIC_RECOMMENDATIONS, job.get(PersonalizeOptions.TOPIC_RECOMMENDATIONS));
    serve.set(ServeOptions.TOPIC_ITEMS, job.get(TOPIC_ITEMS));
    serve.set(ServeOptions.TOPIC_METRICS, job.get(TOPIC_METRICS));
    serve.set(ServeOptions.FLINK_REST, "http://127.0.0.1:" + restPort);
    serve.set(ServeOptions.QUERYABLE_STATE_PROXY, "127.0.0.1:" + proxyPort);
    serve.setString(
        ServeOptions.PORT.key(),
        String.valueOf(portFor(conf, ServeOptions.PORT.key(), SERVE_PORT)));
    return ServeSettings.from(serve);
  }

  private long replay(Dataset dataset, JobConfig job) {
    try (InteractionProducer producer = new InteractionProducer(job.bootstrapServers())) {
      if (!dataset.items().isEmpty()) {
        producer.sendItems(dataset.items(), job.get(TOPIC_ITEMS));
      }
      long total = dataset.interactions().size();
      LiveLine line = LiveLine.onStdout(out);
      long sent =
          producer.sendInteractions(
              dataset,
              job.get(TOPIC_INTERACTIONS),
              replayRate,
              10_000,
              (done, all) -> {
                if (replayRate > 0) {
                  out.printf(
                      "%nreplayed %,d / %,d events of %s at %,.0f events/s%n",
                      done, all, dataset.name(), replayRate);
                } else {
                  line.update(
                      done == all,
                      () ->
                          String.format(
                              "replaying %s into Kafka: %,d / %,d", dataset.name(), done, all));
                }
              },
              replayObserver);
      if (replayRate > 0) {
        out.println();
      } else {
        line.end();
      }
      if (sent != total) {
        throw new IllegalStateException("sent " + sent + " of " + total + " events");
      }
      return sent;
    }
  }

  /**
   * Prints the table every few seconds until every mode has scored every rating and every list
   * check has been counted: the modes are scored by different operators and their snapshots arrive
   * one by one, so waiting for one mode alone would read the others a report early. A click stream
   * has no rating: only its lists are followed.
   */
  private void follow(
      MetricsFollower metrics,
      long events,
      long ratings,
      long listChecks,
      String recommender,
      JobClient client,
      JobConfig job,
      Future<Long> pacedReplay)
      throws Exception {
    long replayMillis = replayRate > 0 ? (long) (events * 1000 / replayRate) : 0;
    long deadline = System.currentTimeMillis() + replayMillis + timeoutMillis;
    long lastPrint = 0;
    long lastProgress = 0;
    long lastMoved = System.currentTimeMillis();
    // listChecks counts every event of a user with an earlier one, but a user back after
    // users.idle-expiry starts without a list: once everything is scored and the checks have
    // stayed put for a few metric snapshots, they are all there.
    long settleMillis = Math.max(15_000, 3 * job.millis(PersonalizeOptions.METRICS_INTERVAL));
    while (true) {
      long scored = metrics.scoredByEvery(job.scoredModes());
      MetricSnapshot lists = metrics.latest(recommender, 0);
      long checked = lists == null ? 0 : lists.getEvents();
      if (scored + checked > lastProgress) {
        // A busy machine makes the job slow, not stuck: give up only when nothing moves.
        lastProgress = scored + checked;
        lastMoved = System.currentTimeMillis();
        deadline = Math.max(deadline, System.currentTimeMillis() + timeoutMillis);
      }
      boolean settled =
          scored >= ratings
              && checked > 0
              && (pacedReplay == null || pacedReplay.isDone())
              && System.currentTimeMillis() - lastMoved > settleMillis;
      boolean done = scored >= ratings && (checked >= listChecks || settled);
      if (System.currentTimeMillis() - lastPrint > 5_000 || done) {
        lastPrint = System.currentTimeMillis();
        if (ratings > 0) {
          printProgress(metrics, scored, ratings, job);
        }
        if (lists != null && lists.getHitRate() != null) {
          out.printf(
              "lists (%s): HR@%d %.4f, MRR@%d %.4f over %,d events checked%n",
              recommender, lists.getK(), lists.getHitRate(), lists.getK(), lists.getMrr(), checked);
        }
      }
      if (done) {
        if (checked < listChecks) {
          out.printf(
              "(%,d fewer events checked against the lists than %,d estimated: users back after"
                  + " users.idle-expiry start without a list)%n",
              listChecks - checked, listChecks);
        }
        return;
      }
      if (pacedReplay != null && pacedReplay.isDone()) {
        pacedReplay.get(); // throws if the replay failed
      }
      if (client.getJobStatus().get().isGloballyTerminalState()) {
        throw new IllegalStateException("the job stopped: " + client.getJobStatus().get());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            String.format(
                "timed out: nothing moved for %d s, with %,d of %,d ratings scored and %,d of %,d"
                    + " events checked against the lists",
                timeoutMillis / 1000, scored, ratings, checked, listChecks));
      }
      metrics.awaitSnapshot(java.time.Duration.ofSeconds(1));
    }
  }

  private void printProgress(MetricsFollower metrics, long scored, long events, JobConfig job) {
    int groups = job.model().groups();
    if (Mode.STREAM.stream().allMatch(mode -> metrics.latest(mode.label(), 0) == null)) {
      // The job is starting, or has not reported yet: a table without rows says nothing.
      out.printf("%nscored %,d / %,d events; no figures from the job yet%n", scored, events);
      return;
    }
    out.printf(
        "%nscored %,d / %,d events (%.0f%%); prequential RMSE by group:%n",
        scored, events, 100.0 * scored / events);
    out.printf("%-9s", "mode");
    for (int g = 1; g <= groups; g++) {
      out.printf(" %7s", "g" + g);
    }
    out.printf(" %7s%n", "all");
    for (Mode mode : Mode.STREAM) {
      if (metrics.latest(mode.label(), 0) == null) {
        continue;
      }
      out.printf("%-9s", mode.label());
      for (int g = 1; g <= groups; g++) {
        MetricSnapshot s = metrics.latest(mode.label(), g);
        out.printf(
            " %7s", s == null || s.getRmse() == null ? "-" : String.format("%.4f", s.getRmse()));
      }
      out.printf(" %7.4f%n", metrics.latest(mode.label(), 0).getRmse());
    }
    printShadowShare(job);
    if (!groupsExplained) {
      // A replay in time order keeps few users in the lowest groups: a first look at g1 0.25 and
      // g2 "-" halfway through ml-100k read as a fault.
      out.println(
          "(each user in the group its events so far put it in, as the job groups them now: a group"
              + " of few users moves a lot, and one without scored users shows -)");
      groupsExplained = true;
    }
  }

  /** Says over which users the shadow modes' figures are, when they score a share of them. */
  private void printShadowShare(JobConfig job) {
    if (!job.shadowModes().isEmpty() && job.shadowShare() < 1) {
      out.printf(
          "(local and mtl over the %.0f%% of the users they score, shadow-share; global and"
              + " adaptive over every user)%n",
          100 * job.shadowShare());
    }
  }

  /**
   * Events per second from job submission until the last event was scored (and, with {@code
   * recommend.enabled}, taken by the recommendation operator), including the job's start (a few
   * seconds) and up to one metrics interval of reporting delay: a lower bound on the steady-state
   * rate.
   */
  private void writeThroughput(Path dir, long events, double seconds, JobConfig job, long lists)
      throws IOException {
    double rate = events / seconds;
    boolean recommend = job.get(RecommendationOptions.ENABLED);
    out.printf(
        "%nthroughput: %,d events in %.1f s = %,.0f events/s (parallelism %d, RocksDB, recommend %s,"
            + " job start included%s)%n",
        events,
        seconds,
        rate,
        job.parallelism(),
        recommend ? "on" : "off",
        replayRate > 0 ? String.format(", replay paced at %,.0f events/s", replayRate) : "");
    if (recommend) {
      out.printf("lists computed: %,d = %,.0f lists/s%n", lists, lists / seconds);
    }
    Map<String, Object> throughput = new LinkedHashMap<>();
    throughput.put("events", events);
    throughput.put("seconds", seconds);
    throughput.put("eventsPerSecond", rate);
    throughput.put("parallelism", job.parallelism());
    throughput.put("stateBackend", "rocksdb");
    throughput.put("shadowModes", job.get(PersonalizeOptions.SHADOW_MODES));
    throughput.put("shadowShare", job.shadowShare());
    throughput.put("recommend", recommend);
    throughput.put("listsComputed", lists);
    throughput.put("listsPerSecond", lists / seconds);
    throughput.put("cores", Runtime.getRuntime().availableProcessors());
    throughput.put("replayEventsPerSecond", replayRate);
    Path file = dir.resolve("throughput.json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), throughput);
    out.println("wrote " + file);
  }

  /**
   * The metrics keep a user until {@code users.idle-expiry} (or past {@code max-users}); one scored
   * again after that counts once more in the tables' users, which can then exceed the data's.
   */
  private void printUsersCountedAgain(Summary summary, long users) {
    // The tables' "all" row: the first mode's users.
    long counted =
        summary.modes().values().stream().findFirst().map(m -> m.overall().users()).orElse(0L);
    if (counted > users) {
      out.printf(
          "(%,d users in the tables for %,d in the data: a user scored again after"
              + " users.idle-expiry counts once more)%n",
          counted, users);
    }
  }

  /** The user's list as the job keeps it, with the items' titles where the data set has them. */
  private void printList(Optional<RecommendationView> list, String user, Dataset dataset) {
    if (list.isEmpty()) {
      out.println("  no recommendations for user " + user);
      return;
    }
    RecommendationView view = list.get();
    out.printf(
        "  recommendations (%s, model version %d, graph version %d):%n",
        view.recommender, view.modelVersion, view.graphVersion);
    for (int n = 0; n < view.size(); n++) {
      ItemInfo item = dataset.items().get(view.itemIds[n]);
      String title = item == null ? "" : item.title();
      out.printf(
          "  %3d. %-10s %-45s %.3f  %s%n",
          n + 1, view.itemIds[n], title, view.scores[n], view.sources[n]);
    }
  }

  private static String busiestUser(Dataset dataset) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Interaction i : dataset.interactions()) {
      counts.merge(i.userId(), 1L, Long::sum);
    }
    return counts.entrySet().stream()
        .max(Comparator.comparingLong(Map.Entry::getValue))
        .orElseThrow()
        .getKey();
  }

  private static Map<String, Object> settings(JobConfig job) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("parallelism", job.parallelism());
    settings.put("modelUpdatesEveryEvents", job.get(PersonalizeOptions.MODEL_UPDATES_EVERY_EVENTS));
    settings.put("modelUpdatesEvery", job.get(PersonalizeOptions.MODEL_UPDATES_EVERY).toString());
    settings.put("regroupEveryEvents", job.model().regroupEvery());
    settings.put("factors", job.model().factors());
    settings.put("globalSteps", job.model().globalSteps());
    settings.put(
        "adaptiveCandidates",
        job.model().adaptiveCandidates().stream().map(Object::toString).toList());
    settings.put("stateBackend", "rocksdb");
    return settings;
  }

  /** The configured port of {@code key}, else {@code preferred} when free, else a free port. */
  private static int portFor(Configuration conf, String key, int preferred) {
    String configured = conf.getString(key, null);
    if (configured != null) {
      try {
        return Integer.parseInt(configured.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be one port for the demo: " + configured);
      }
    }
    return isFree(preferred) ? preferred : freePort();
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port", e);
    }
  }
}
