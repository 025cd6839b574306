package io.personalize.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ClusterCliTest {
  /**
   * Regression: {@code submit}, or {@code stop --savepoint}, on a cluster that was stopped (its
   * cluster.json left behind) said "cluster: java.net.ConnectException" and nothing else.
   */
  @ParameterizedTest
  @ValueSource(strings = {"submit", "stop --savepoint --job-only", "stop --savepoint"})
  void aStoppedClusterSaysToStartIt(String command, @TempDir Path home) throws Exception {
    Process exited = new ProcessBuilder("true").start();
    assertThat(exited.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long dead = exited.pid();
    new ClusterState(
            "127.0.0.1:1",
            "http://127.0.0.1:1",
            List.of(
                new ClusterProcess(ClusterProcess.KAFKA, dead, null),
                new ClusterProcess(ClusterProcess.JOBMANAGER, dead, null)))
        .write(home);
    String root = System.getProperty(Layout.ROOT_PROPERTY);
    System.setProperty(Layout.ROOT_PROPERTY, Path.of("..").toAbsolutePath().toString());
    StringWriter err = new StringWriter();
    int exit;
    try {
      CommandLine cli = ClusterCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
      args.addAll(List.of("--home", home.toString()));
      exit = cli.execute(args.toArray(new String[0]));
    } finally {
      if (root == null) {
        System.clearProperty(Layout.ROOT_PROPERTY);
      } else {
        System.setProperty(Layout.ROOT_PROPERTY, root);
      }
    }

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip())
        .isEqualTo(
            "cluster: the cluster in "
                + home
                + " is not running (its JobManager has stopped): run `bin/cluster start`");
  }

  /** {@code bin/cluster -V} and each subcommand's printed nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"", "start", "submit", "status", "stop"})
  void everyCommandPrintsItsVersion(String command) {
    CommandLine cli = ClusterCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    if (!command.isEmpty()) {
      cli.getSubcommands().get(command).setOut(new PrintWriter(out, true));
    }
    int exit = command.isEmpty() ? cli.execute("-V") : cli.execute(command, "-V");
    assertThat(exit).isZero();
    assertThat(out.toString()).startsWith("personalize ").hasLineCount(1);
  }

  /**
   * Regression: {@code bin/cluster start --taskmanager-memory foo} started the broker and the
   * JobManager, then failed with 40 lines of Flink's stack trace (and stopped them again).
   */
  @org.junit.jupiter.api.Test
  void aMemorySizeThatIsNoneIsRefusedBeforeAnythingStarts(@TempDir Path home) {
    CommandLine cli = ClusterCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute("start", "--taskmanager-memory", "foo", "--home", home.toString());

    assertThat(exit).isNotZero();
    assertThat(err.toString().strip())
        .isEqualTo("cluster: --taskmanager-memory 'foo' is not a memory size such as 1536m or 2g");
    assertThat(ClusterState.read(home)).as("nothing started").isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aFailedProgramsOutputKeepsItsMessagesWithoutTheirFrames() {
    String flink =
        String.join(
            "\n",
            "Exception in thread \"main\" IllegalConfigurationException: TaskManager memory"
                + " configuration failed",
            "\tat org.apache.flink.runtime.TaskExecutorProcessUtils.processSpecFromConfig(X.java:1)",
            "Caused by: IllegalConfigurationException: Cannot read memory size",
            "\tat org.apache.flink.runtime.ProcessMemoryUtils.getMemorySizeFromConfig(Y.java:2)",
            "\t... 8 more");
    assertThat(JavaProcesses.withoutStackFrames(flink))
        .isEqualTo(
            "Exception in thread \"main\" IllegalConfigurationException: TaskManager memory"
                + " configuration failed\n"
                + "Caused by: IllegalConfigurationException: Cannot read memory size");
  }
}
