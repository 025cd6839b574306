package io.personalize.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kafka broker, a Flink JobManager and TaskManagers, each its own process on loopback, found
 * again through {@code HOME/cluster.json}: what {@code bin/cluster} starts and the end-to-end tests
 * run the job jar on. Processes outlive the JVM that started them; {@link #stop} ends them.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Layout layout;
  private final Path home;
  private final Map<String, String> brokerLogin;
  private ClusterState state;

  private LocalCluster(
      Layout layout, Path home, ClusterState state, Map<String, String> brokerLogin) {
    this.layout = layout;
    this.home = home;
    this.state = state;
    this.brokerLogin = brokerLogin;
  }

  /** The cluster recorded in {@code home}, if one was started there. */
  public static Optional<LocalCluster> attach(Layout layout, Path home) {
    return ClusterState.read(home).map(state -> new LocalCluster(layout, home, state, Map.of()));
  }

  /**
   * Starts Kafka, then the JobManager, then the TaskManagers, and returns when the broker answers
   * and every TaskManager has registered. Refuses to start over a cluster still running in the same
   * home.
   */
  public static LocalCluster start(Layout layout, ClusterSettings settings, PrintStream progress) {
    Path home = settings.home().toAbsolutePath();
    Optional<ClusterState> previous = ClusterState.read(home);
    if (previous.isPresent() && previous.get().anyAlive()) {
      throw new IllegalStateException(
          "a cluster started in " + home + " is still running: `bin/cluster stop` it first");
    }
    int kafkaPort = Ports.choose(settings.kafkaPort(), "Kafka");
    int restPort = Ports.choose(settings.restPort(), "Flink REST");
    Path logs = home.resolve("logs");
    List<ClusterProcess> processes = new ArrayList<>();
    try {
      Files.createDirectories(logs);
      Path log4j = copyLogConfiguration(home);
      String kafka = Ports.LOOPBACK + ":" + kafkaPort;
      progress.println("starting Kafka on " + kafka);
      Path properties =
          KafkaBroker.configure(
              layout, home, kafkaPort, settings.kafkaUsers(), settings.kafkaTls(), log4j);
      long kafkaPid = KafkaBroker.start(layout, properties, log4j, logs.resolve("kafka.log"));
      processes.add(new ClusterProcess(ClusterProcess.KAFKA, kafkaPid, null));

      String rest = "http://" + Ports.LOOPBACK + ":" + restPort;
      Path conf =
          FlinkProcesses.writeConfiguration(
              home, FlinkProcesses.configuration(settings, home, restPort));
      progress.println("starting the Flink JobManager (REST and web UI on " + rest + ")");
      long jobManager =
          FlinkProcesses.startJobManager(layout, conf, log4j, logs.resolve("jobmanager.log"));
      processes.add(new ClusterProcess(ClusterProcess.JOBMANAGER, jobManager, null));
      for (int i = 0; i < settings.taskManagers(); i++) {
        int proxyPort = Ports.free();
        progress.println(
            "starting Flink TaskManager " + (i + 1) + " (queryable state " + proxyPort + ")");
        long taskManager =
            FlinkProcesses.startTaskManager(
                layout, conf, proxyPort, log4j, logs.resolve("taskmanager-" + (i + 1) + ".log"));
        processes.add(new ClusterProcess(ClusterProcess.TASKMANAGER, taskManager, proxyPort));
      }
      // The launcher's own readiness checks log in as the first user (secrets stay in memory).
      Map<String, String> login =
          settings.kafkaUsers().entrySet().stream()
              .findFirst()
              .map(
                  user ->
                      KafkaBroker.clientProperties(
                          user.getKey(), user.getValue(), settings.kafkaTls()))
              .orElse(Map.of());
      LocalCluster cluster =
          new LocalCluster(layout, home, new ClusterState(kafka, rest, processes), login);
      cluster.state.write(home);
      KafkaBroker.awaitReady(kafka, login, kafkaPid);
      cluster.awaitTaskManagers(settings.taskManagers());
      progress.println("cluster up; logs in " + logs);
      return cluster;
    } catch (IOException e) {
      stopAll(processes);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      stopAll(processes);
      throw e;
    }
  }

  public String kafka() {
    return state.kafka();
  }

  public String flinkRestAddress() {
    return state.flinkRest();
  }

  /**
   * The Kafka client settings that log in as {@code user} with {@code password} to a broker started
   * {@link ClusterSettings#withKafkaUsers with users}.
   */
  public static Map<String, String> kafkaClientProperties(String user, String password) {
    return KafkaBroker.clientProperties(user, password, null);
  }

  /**
   * The Kafka client settings that log in as {@code user} with {@code password} over TLS to a
   * broker started {@link ClusterSettings#withKafkaTls with tls}, trusting its certificate.
   */
  public static Map<String, String> kafkaClientProperties(
      String user, String password, KafkaTls tls) {
    return KafkaBroker.clientProperties(user, password, tls);
  }

  public FlinkRest rest() {
    return new FlinkRest(state.flinkRest());
  }

  public Path home() {
    return home;
  }

  public ClusterState state() {
    return state;
  }

  /** The queryable-state proxy ports of the TaskManagers still running. */
  public List<Integer> queryableStatePorts() {
    return state.processes(ClusterProcess.TASKMANAGER).stream()
        .filter(ClusterProcess::isAlive)
        .map(ClusterProcess::queryableStatePort)
        .toList();
  }

  /**
   * Uploads the job jar and runs it: {@code --bootstrap-servers} names this cluster's broker and
   * {@code --parallelism} is {@code parallelism} unless {@code jobArgs} say otherwise. Returns the
   * job id once every task runs. {@code allowNonRestoredState}: see {@link FlinkRest#runJar}.
   */
  public String submit(
      List<String> jobArgs, int parallelism, String savepoint, boolean allowNonRestoredState) {
    List<String> args = new ArrayList<>(jobArgs);
    if (!args.contains("--bootstrap-servers")) {
      args.addAll(List.of("--bootstrap-servers", kafka()));
    }
    // The job sets its operators' parallelism from its own setting, not from the submission.
    if (!args.contains("--parallelism")) {
      args.addAll(List.of("--parallelism", Integer.toString(parallelism)));
    }
    FlinkRest rest = rest();
    String jarId = rest.uploadJar(layout.jobJar());
    String jobId = rest.runJar(jarId, args, parallelism, savepoint, allowNonRestoredState);
    rest.awaitFullyRunning(jobId, START_TIMEOUT);
    return jobId;
  }

  /** {@code kill -9} of the {@code index}-th TaskManager (from 0); returns its process id. */
  public long killTaskManager(int index) {
    ClusterProcess taskManager = state.processes(ClusterProcess.TASKMANAGER).get(index);
    JavaProcesses.kill(taskManager.pid());
    return taskManager.pid();
  }

  /**
   * Starts the {@code index}-th TaskManager again (after {@link #killTaskManager}), on a new
   * queryable-state port, and waits until it has registered.
   */
  private void restartTaskManager(int index) {
    ClusterProcess old = state.processes(ClusterProcess.TASKMANAGER).get(index);
    JavaProcesses.kill(old.pid());
    int taskManagers = state.processes(ClusterProcess.TASKMANAGER).size();
    // Until the JobManager has noticed the old one is gone, its count would include it.
    FlinkRest rest = rest();
    Polling.await(
        () -> rest.taskManagers() < taskManagers,
        START_TIMEOUT,
        () -> "the JobManager still lists the killed TaskManager");
    int proxyPort = Ports.free();
    long pid =
        FlinkProcesses.startTaskManager(
            layout,
            home.resolve("flink").resolve("conf"),
            proxyPort,
            home.resolve("log4j2.properties"),
            home.resolve("logs").resolve("taskmanager-" + (index + 1) + ".log"));
    state = state.replace(old, new ClusterProcess(ClusterProcess.TASKMANAGER, pid, proxyPort));
    state.write(home);
    awaitTaskManagers(taskManagers);
  }

  /**
   * Starts again the processes that have stopped (a broker or a TaskManager killed, crashed or out
   * of memory) while the JobManager runs: the broker on its data, each TaskManager on a new
   * queryable-state port. Returns their names, in the order they were started.
   *
   * @throws IllegalStateException when the JobManager has stopped: the cluster's REST API and job
   *     state went with it, so only a new cluster helps
   */
  public List<String> restartStopped() {
    if (!state.processes(ClusterProcess.JOBMANAGER).get(0).isAlive()) {
      throw new IllegalStateException(
          "the JobManager of the cluster in "
              + home
              + " has stopped, so the cluster cannot be mended: `bin/cluster stop`, then `bin/cluster"
              + " start` (a new cluster: its broker begins empty; a savepoint restores the job's"
              + " state)");
    }
    List<String> restarted = new ArrayList<>();
    if (!state.processes(ClusterProcess.KAFKA).get(0).isAlive()) {
      restartKafka();
      restarted.add("kafka (on its data)");
    }
    List<ClusterProcess> taskManagers = state.processes(ClusterProcess.TASKMANAGER);
    for (int index = 0; index < taskManagers.size(); index++) {
      if (!taskManagers.get(index).isAlive()) {
        restartTaskManager(index);
        restarted.add("taskmanager " + (index + 1));
      }
    }
    return restarted;
  }

  /** Stops the broker (SIGTERM, as an operator would) and starts it again on the same data. */
  public void restartKafka() {
    ClusterProcess broker = state.processes(ClusterProcess.KAFKA).get(0);
    JavaProcesses.stop(broker.pid(), STOP_GRACE);
    Path log4j = home.resolve("log4j2.properties");
    long pid =
        KafkaBroker.start(
            layout,
            home.resolve("kafka").resolve("server.properties"),
            log4j,
            home.resolve("logs").resolve("kafka.log"));
    state = state.replace(broker, broker.withPid(pid));
    state.write(home);
    KafkaBroker.awaitReady(kafka(), brokerLogin, pid);
  }

  /** Stops the running job, if any, with a savepoint; returns the savepoint's location. */
  public Optional<String> stopJobWithSavepoint() {
    FlinkRest rest = rest();
    Optional<String> job = rest.activeJob();
    return job.map(
        id ->
            rest.stopWithSavepoint(
                id, home.resolve("savepoints").toUri().toString(), Duration.ofMinutes(5)));
  }

  /** Ends every process: TaskManagers first, then the JobManager, then Kafka. */
  public void stop() {
    List<ClusterProcess> order = new ArrayList<>(state.processes());
    java.util.Collections.reverse(order);
    stopAll(order);
  }

  @Override
  public void close() {
    stop();
  }

  private void awaitTaskManagers(int expected) {
    FlinkRest rest = rest();
    Polling.await(
        () -> {
          for (ClusterProcess process : state.processes()) {
            if (!process.isAlive()) {
              throw new Polling.Fatal(
                  "the "
                      + process.role()
                      + " (pid "
                      + process.pid()
                      + ") exited: see "
                      + home.resolve("logs"));
            }
          }
          return rest.taskManagers() == expected;
        },
        START_TIMEOUT,
        () -> expected + " TaskManagers did not register: see " + home.resolve("logs"));
  }

  private static void stopAll(List<ClusterProcess> processes) {
    for (ClusterProcess process : processes) {
      JavaProcesses.stop(process.pid(), STOP_GRACE);
    }
  }

  private static Path copyLogConfiguration(Path home) throws IOException {
    Path file = home.resolve("log4j2.properties");
    try (InputStream in = LocalCluster.class.getResourceAsStream("/cluster-log4j2.properties")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
