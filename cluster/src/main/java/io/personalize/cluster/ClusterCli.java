package io.personalize.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/cluster start|submit|status|stop}. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = ClusterCli.Version.class,
    description = {
      "A real Kafka broker and a standalone Flink cluster (a JobManager and TaskManagers, each its"
          + " own JVM) on this machine, bound to 127.0.0.1, started from the jars Maven downloaded."
    },
    subcommands = {
      ClusterCli.Start.class,
      ClusterCli.Submit.class,
      ClusterCli.Status.class,
      ClusterCli.Stop.class
    })
public final class ClusterCli {
  /** What {@code -V} prints: the version in the jar's manifest (subcommands inherit no version). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ClusterCli.class.getPackage().getImplementationVersion();
      return new String[] {"personalize " + (version == null ? "(not run from its jar)" : version)};
    }
  }

  static final Path DEFAULT_HOME = Path.of("out", "cluster");

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line {@code bin/cluster} runs. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ClusterCli());
    // A subcommand inherits no version: without this its -V printed nothing.
    cli.getSubcommands()
        .values()
        .forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    // A failure is a message for the operator, not a stack trace; the logs hold the details.
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("cluster: " + e.getMessage());
          return 1;
        });
    return cli;
  }

  /** The directory holding the cluster's configuration, data, logs and {@code cluster.json}. */
  static class Home {
    @Option(
        names = "--home",
        paramLabel = "DIR",
        description = "The cluster's directory (default: ${DEFAULT-VALUE}).")
    Path home = DEFAULT_HOME;

    LocalCluster attach() {
      return LocalCluster.attach(Layout.fromSystemProperty(), home)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no cluster was started in " + home + ": run `bin/cluster start`"));
    }

    /** The cluster, which must be up: its JobManager running. */
    LocalCluster running() {
      LocalCluster cluster = attach();
      if (cluster.state().processes(ClusterProcess.JOBMANAGER).stream()
          .noneMatch(ClusterProcess::isAlive)) {
        throw new IllegalStateException(
            "the cluster in "
                + home
                + " is not running (its JobManager has stopped): run `bin/cluster start`");
      }
      return cluster;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Starts the cluster.",
        "On a cluster of which part has stopped (a broker or a TaskManager killed or crashed),"
            + " starts that part again: the broker on its data, so no record is lost."
      })
  static final class Start implements Callable<Integer> {
    @CommandLine.Mixin Home home = new Home();

    @Option(
        names = "--kafka-port",
        description = "Kafka's port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int kafkaPort = ClusterSettings.DEFAULT_KAFKA_PORT;

    @Option(
        names = "--rest-port",
        description =
            "Flink's REST API and web UI port on 127.0.0.1, 0 for any free one (default:"
                + " ${DEFAULT-VALUE}).")
    int restPort = ClusterSettings.DEFAULT_REST_PORT;

    @Option(names = "--taskmanagers", description = "TaskManagers (default: ${DEFAULT-VALUE}).")
    int taskManagers = 2;

    @Option(names = "--slots", description = "Slots per TaskManager (default: ${DEFAULT-VALUE}).")
    int slots = 2;

    @Option(
        names = "--taskmanager-memory",
        description = "Each TaskManager's process size (default: ${DEFAULT-VALUE}).")
    String taskManagerMemory = "1536m";

    @Option(
        names = "-D",
        paramLabel = "KEY=VALUE",
        description =
            "Any Flink option for the cluster's config.yaml, e.g. -D heartbeat.timeout=50s.")
    Map<String, String> flinkOptions = Map.of();

    @Override
    public Integer call() {
      ClusterSettings settings =
          new ClusterSettings(
              home.home,
              kafkaPort,
              restPort,
              taskManagers,
              slots,
              taskManagerMemory,
              "1024m",
              flinkOptions,
              Map.of(),
              null);
      Optional<LocalCluster> existing = LocalCluster.attach(Layout.fromSystemProperty(), home.home);
      LocalCluster cluster;
      if (existing.isPresent() && existing.get().state().anyAlive()) {
        // Part of it stopped (a broker killed, a TaskManager out of memory): start that part.
        List<String> restarted = existing.get().restartStopped();
        if (restarted.isEmpty()) {
          throw new IllegalStateException(
              "the cluster in " + home.home + " is running (bin/cluster status)");
        }
        System.out.println("restarted what had stopped: " + String.join(", ", restarted));
        cluster = existing.get();
      } else {
        cluster = LocalCluster.start(Layout.fromSystemProperty(), settings, System.out);
      }
      System.out.println("kafka:      " + cluster.kafka());
      System.out.println("flink REST: " + cluster.flinkRestAddress());
      System.out.println("queryable state proxies: " + cluster.queryableStatePorts());
      System.out.println("next: bin/cluster submit; bin/cluster status; bin/cluster stop");
      return 0;
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Uploads the job jar through Flink's REST API and runs it.",
        "Arguments after -- go to the job (the flags of `bin/personalize run`);"
            + " --bootstrap-servers defaults to this cluster's."
      })
  static final class Submit implements Callable<Integer> {
    @CommandLine.Mixin Home home = new Home();

    @Option(
        names = "--parallelism",
        description =
            "Parallelism of the job's keyed operators and sources (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--savepoint", paramLabel = "PATH", description = "Start from this savepoint.")
    String savepoint;

    @Option(
        names = "--allow-non-restored-state",
        description =
            "With --savepoint: drop the savepoint's state of operators this job does not have"
                + " (after turning recommend.enabled or model.neighbours off) instead of refusing"
                + " it. That state is lost.")
    boolean allowNonRestoredState;

    @Option(
        names = "--another",
        description =
            "Run it beside the job already running, with topics and a consumer group of its own"
                + " (--topic-*, --consumer-group): on the same ones, both would apply every event.")
    boolean another;

    @Parameters(paramLabel = "JOB_ARGS", description = "Flags of the job.")
    List<String> jobArgs = new ArrayList<>();

    @Override
    public Integer call() {
      LocalCluster cluster = home.running();
      List<String> running = cluster.rest().activeJobs();
      if (!another && !running.isEmpty()) {
        throw new IllegalStateException(
            "job "
                + String.join(", ", running)
                + " is already running on this cluster. To upgrade or change it: `bin/cluster"
                + " stop --savepoint --job-only`, then `bin/cluster submit --savepoint PATH --"
                + " FLAGS`. For a second job with topics and a consumer group of its own:"
                + " --another.");
      }
      if (allowNonRestoredState && savepoint == null) {
        throw new IllegalArgumentException("--allow-non-restored-state goes with --savepoint");
      }
      String jobId;
      try {
        jobId = cluster.submit(jobArgs, parallelism, savepoint, allowNonRestoredState);
      } catch (IllegalStateException e) {
        if (e.getMessage() != null && e.getMessage().contains("allowNonRestoredState")) {
          // Flink names its own CLI's flag, which this command spells otherwise.
          throw new IllegalStateException(
              e.getMessage()
                  + "; `bin/cluster submit --savepoint PATH --allow-non-restored-state` drops"
                  + " that state (docs/operations.md, \"Upgrade through savepoints\")",
              e);
        }
        throw e;
      }
      System.out.println("job " + jobId + " running: " + cluster.flinkRestAddress());
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "The cluster's addresses, processes and running job.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Mixin Home home = new Home();

    @Option(names = "--json", description = "As JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      LocalCluster cluster = home.attach();
      ClusterState state = cluster.state();
      List<String> jobs = List.of();
      try {
        jobs = cluster.rest().activeJobs();
      } catch (RuntimeException e) {
        // the JobManager is down: no job to name
      }
      if (json) {
        ObjectNode out = ClusterState.JSON.createObjectNode();
        out.put("kafka", state.kafka());
        out.put("flinkRest", state.flinkRest());
        out.put("jobId", jobs.isEmpty() ? null : jobs.get(0));
        jobs.forEach(out.putArray("jobIds")::add);
        ArrayNode processes = out.putArray("processes");
        for (ClusterProcess process : state.processes()) {
          ObjectNode node = processes.addObject();
          node.put("role", process.role());
          node.put("pid", process.pid());
          node.put("alive", process.isAlive());
          if (process.queryableStatePort() != null) {
            node.put("queryableStatePort", process.queryableStatePort());
          }
        }
        System.out.println(ClusterState.JSON.writeValueAsString(out));
        return 0;
      }
      System.out.println("kafka:      " + state.kafka());
      System.out.println("flink REST: " + state.flinkRest());
      System.out.println(
          "job:        " + (jobs.isEmpty() ? "(none running)" : String.join(", ", jobs)));
      for (ClusterProcess process : state.processes()) {
        System.out.printf(
            "%-12s pid %-8d %s%n",
            process.role(), process.pid(), process.isAlive() ? "running" : "not running");
      }
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops every process of the cluster (SIGTERM, then SIGKILL after 30 s).")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Mixin Home home = new Home();

    @Option(
        names = "--savepoint",
        description = "First stop the running job with a savepoint (printed) in HOME/savepoints.")
    boolean savepoint;

    @Option(
        names = "--job-only",
        description = {
          "With --savepoint: stop only the job and keep the cluster up, to submit a new version"
              + " from the savepoint (the next `start` begins with an empty broker)."
        })
    boolean jobOnly;

    @Override
    public Integer call() {
      if (jobOnly && !savepoint) {
        throw new IllegalArgumentException("--job-only goes with --savepoint");
      }
      LocalCluster cluster = savepoint ? home.running() : home.attach();
      if (savepoint) {
        Optional<String> location = cluster.stopJobWithSavepoint();
        System.out.println(location.map(l -> "savepoint: " + l).orElse("no job was running"));
      }
      if (jobOnly) {
        return 0;
      }
      cluster.stop();
      System.out.println("stopped");
      return 0;
    }
  }
}
