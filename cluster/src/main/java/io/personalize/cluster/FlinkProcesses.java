package io.personalize.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standalone Flink session cluster without the Flink distribution: the JobManager and each
 * TaskManager are JVMs started the way Flink's own scripts start them (the same entry points, the
 * memory flags from {@code BashJavaUtils}), with {@code HOME/flink/conf/config.yaml}.
 */
final class FlinkProcesses {
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  /** What Flink's default configuration passes to every Flink JVM on Java 17. */
  private static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private FlinkProcesses() {}

  /** The cluster's Flink configuration; {@code settings.flinkOptions()} override any of it. */
  static Map<String, String> configuration(ClusterSettings settings, Path home, int restPort) {
    Map<String, String> conf = new LinkedHashMap<>();
    // Every listening socket on loopback.
    conf.put("jobmanager.rpc.address", Ports.LOOPBACK);
    conf.put("jobmanager.rpc.port", Integer.toString(Ports.free()));
    conf.put("jobmanager.bind-host", Ports.LOOPBACK);
    conf.put("taskmanager.host", Ports.LOOPBACK);
    conf.put("taskmanager.bind-host", Ports.LOOPBACK);
    conf.put("rest.address", Ports.LOOPBACK);
    conf.put("rest.bind-address", Ports.LOOPBACK);
    conf.put("rest.port", Integer.toString(restPort));
    conf.put("jobmanager.memory.process.size", settings.jobManagerMemory());
    conf.put("taskmanager.memory.process.size", settings.taskManagerMemory());
    conf.put("taskmanager.numberOfTaskSlots", Integer.toString(settings.slotsPerTaskManager()));
    conf.put("parallelism.default", "1");
    conf.put("queryable-state.enable", "true");
    // Spread a job's slots over the TaskManagers: each then runs part of the job (a TaskManager's
    // queryable-state proxy only answers for jobs it runs tasks of), and losing one is a real
    // failure rather than the loss of an idle process.
    conf.put("taskmanager.load-balance.mode", "SLOTS");
    conf.put("execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
    conf.put(
        "execution.checkpointing.savepoint-dir", home.resolve("savepoints").toUri().toString());
    conf.put("io.tmp.dirs", home.resolve("tmp").toString());
    // The job's small network buffers (see PipelineSettings.LOCAL_CLUSTER): replicas stay fresh.
    conf.put("taskmanager.memory.segment-size", "8kb");
    conf.put("taskmanager.network.memory.buffers-per-channel", "2");
    conf.put("taskmanager.network.memory.floating-buffers-per-gate", "2");
    // A TaskManager killed without a goodbye is declared lost after two failed heartbeat calls
    // (2 s apart) rather than after Flink's default 50 s timeout.
    conf.put("heartbeat.interval", "2 s");
    conf.put("heartbeat.timeout", "20 s");
    // Avro from the cluster's classpath, not from each job jar: Flink 2 deserializes a submitted
    // job's operators on the JobManager's pooled threads, where Avro leaves thread-locals holding
    // its classes; with the job jar's Avro they keep every submission's class loader alive.
    conf.put("classloader.parent-first-patterns.additional", "org.apache.avro.");
    conf.putAll(settings.flinkOptions());
    return conf;
  }

  static Path writeConfiguration(Path home, Map<String, String> conf) {
    Path dir = home.resolve("flink").resolve("conf");
    try {
      Files.createDirectories(dir);
      Files.createDirectories(home.resolve("tmp"));
      StringBuilder yaml = new StringBuilder("# Written by bin/cluster start.\n");
      conf.forEach((key, value) -> yaml.append(key).append(": ").append(quote(value)).append('\n'));
      Files.writeString(dir.resolve("config.yaml"), yaml);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long startJobManager(Layout layout, Path confDir, Path log4j, Path log) {
    return start(
        layout,
        confDir,
        "GET_JM_RESOURCE_PARAMS",
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
        List.of(),
        log4j,
        log);
  }

  /** A TaskManager with its own queryable-state ports, so a client can be pointed at either. */
  static long startTaskManager(Layout layout, Path confDir, int proxyPort, Path log4j, Path log) {
    return start(
        layout,
        confDir,
        "GET_TM_RESOURCE_PARAMS",
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
        List.of(
            "-D",
            "queryable-state.proxy.ports=" + proxyPort,
            "-D",
            "queryable-state.server.ports=" + Ports.free()),
        log4j,
        log);
  }

  private static long start(
      Layout layout,
      Path confDir,
      String resourceCommand,
      String mainClass,
      List<String> extraArgs,
      Path log4j,
      Path log) {
    String classpath = layout.flinkClasspath();
    List<String> results = resourceParameters(classpath, confDir, resourceCommand);
    List<String> jvmArgs = new ArrayList<>(Arrays.asList(results.get(0).trim().split("\\s+")));
    jvmArgs.addAll(JAVA_17_OPENS);
    jvmArgs.add("-Dlog4j.configurationFile=" + log4j);
    jvmArgs.add("-Dlog.file=" + log);
    List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
    args.addAll(Arrays.asList(results.get(1).trim().split("\\s+")));
    args.addAll(extraArgs);
    return JavaProcesses.start(JavaProcesses.command(jvmArgs, classpath, mainClass, args), log);
  }

  /**
   * The JVM flags and the dynamic memory settings Flink's scripts compute with {@code
   * BashJavaUtils} (two result lines).
   */
  private static List<String> resourceParameters(String classpath, Path confDir, String command) {
    String output =
        JavaProcesses.run(
            JavaProcesses.command(
                List.of("-Xmx128m"),
                classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                List.of(command, "--configDir", confDir.toString())),
            Duration.ofMinutes(1));
    List<String> results =
        output
            .lines()
            .filter(line -> line.startsWith(RESULT_PREFIX))
            .map(line -> line.substring(RESULT_PREFIX.length()))
            .toList();
    if (results.size() != 2) {
      throw new IllegalStateException("unexpected BashJavaUtils output:\n" + output);
    }
    return results;
  }

  /** A YAML single-quoted scalar: no value can break the file's structure. */
  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
