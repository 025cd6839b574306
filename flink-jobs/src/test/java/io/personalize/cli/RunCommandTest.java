package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.job.JobRunner;
import io.personalize.job.config.JobConfig;
import io.personalize.testing.SharedDataSets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.QueryableStateOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code personalize run}: the job's settings reach the job through the same path on every entry
 * point, and the item-file path ({@code --items-file}): file to metadata to raw records.
 */
class RunCommandTest {
  private static RunCommand parse(String... args) {
    CommandLine cli = PersonalizeCli.commandLine();
    String[] all = new String[args.length + 1];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    cli.parseArgs(all);
    return cli.getSubcommands().get("run").getCommand();
  }

  /** {@code personalize run args} in this JVM: its exit code, standard error and output. */
  private record Ran(int exit, String err, String out) {}

  /** Where a run that names no --out writes: never the module's own out/run. */
  @TempDir static Path defaultOut;

  private static Ran execute(String... args) {
    if (java.util.Arrays.stream(args).noneMatch(arg -> arg.startsWith("--out"))) {
      String[] withOut = java.util.Arrays.copyOf(args, args.length + 2);
      withOut[args.length] = "--out";
      withOut[args.length + 1] = defaultOut.resolve("run").toString();
      args = withOut;
    }
    CommandLine cli = PersonalizeCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try {
      System.setOut(new PrintStream(out, true));
      String[] all = new String[args.length + 1];
      all[0] = "run";
      System.arraycopy(args, 0, all, 1, args.length);
      int exit = cli.execute(all);
      return new Ran(exit, err.toString(), out.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  /**
   * Regression: with no broker at the address, {@code run} waited a minute in silence and then
   * printed a stack trace ("cannot create topics [interactions]: TimeoutException").
   */
  @Test
  void anUnreachableBrokerExitsWith2AndOneLine(@TempDir Path dir) throws Exception {
    String bootstrap = "localhost:" + ProduceCommandTest.closedPort();

    Ran run =
        execute(
            "--bootstrap-servers",
            bootstrap,
            "-D",
            "personalize.kafka.default.api.timeout.ms=2000",
            "-D",
            "personalize.kafka.request.timeout.ms=2000",
            "-D",
            "execution.checkpointing.dir=" + dir.toUri(),
            "--no-resume");

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("personalize: no Kafka broker answered at " + bootstrap + " within 2 s")
        .doesNotContain("\tat ");
    assertThat(run.out()).contains("connecting to Kafka at " + bootstrap);
  }

  /**
   * A mistyped flag printed the error, then the whole usage: some 300 lines, the error at the top
   * out of sight. Now the error, picocli's suggestions and where the usage is.
   */
  @Test
  void aMistypedFlagIsTheErrorAndASuggestionNotTheWholeUsage() {
    Ran run = execute("--bootstrap-server", "localhost:9092");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("personalize run: Unknown options: '--bootstrap-server'")
        .contains("--bootstrap-servers")
        .endsWith("(see bin/personalize run --help)" + System.lineSeparator());
    assertThat(run.err().lines()).hasSizeLessThan(8);
  }

  /**
   * Regression: with Flink's REST port taken (bin/cluster's JobManager runs on 8081 too), {@code
   * run} printed a stack trace ("Could not start rest endpoint on any port in port range 8081").
   */
  @Test
  void aLocalPortInUseExitsWith2AndSaysWhichSetting(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Ran run =
          execute(
              "--bootstrap-servers",
              "127.0.0.1:1",
              "--create-topics=false",
              "-D",
              "rest.port=" + port,
              "-D",
              "execution.checkpointing.dir=" + dir.toUri(),
              "--no-resume");

      assertThat(run.exit()).as(run.err()).isEqualTo(2);
      assertThat(run.err())
          .startsWith("personalize: port " + port + " on 127.0.0.1 (rest.port) is in use")
          .doesNotContain("\tat ");
    }
  }

  /**
   * Regression: {@code run} used a bare execution environment, so the production entry point ran
   * without checkpoints, RocksDB or the freshness settings, and with Kryo allowed.
   */
  @Test
  void runBuildsTheJobWithThePipelineSettings(@TempDir Path dir) {
    RunCommand run =
        parse(
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--parallelism",
            "3",
            "--model-factors",
            "16",
            "-D",
            "execution.checkpointing.dir=" + dir.toUri(),
            "--create-topics=false", // no broker here; RunRestartITCase creates them through one
            "--no-resume");
    StreamExecutionEnvironment env = run.prepare(new PrintStream(new ByteArrayOutputStream()));
    ReadableConfig conf = env.getConfiguration();

    assertThat(env.getCheckpointConfig().isCheckpointingEnabled()).isTrue();
    assertThat(env.getCheckpointInterval()).isEqualTo(30_000);
    assertThat(env.getBufferTimeout()).isEqualTo(10);
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(dir.toUri().toString());
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION).name())
        .isEqualTo("RETAIN_ON_CANCELLATION");
    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);
    assertThat(conf.toMap().get("taskmanager.network.memory.buffers-per-channel")).isEqualTo("2");
    assertThat(conf.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE).getBytes()).isEqualTo(8 * 1024);
    assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(conf.get(QueryableStateOptions.ENABLE_QUERYABLE_STATE_PROXY_SERVER)).isTrue();
    assertThat(env.getParallelism()).isEqualTo(3);
    // The settings reach the job: the flag's value is what the operators are built with.
    assertThat(JobConfig.from(conf).model().factors()).isEqualTo(16);
    // The job is defined: every stateful operator is in the plan with its stable uid.
    String plan = env.getExecutionPlan();
    for (String name :
        new String[] {
          "Validate interactions",
          "Global model (SGD, gradient checkpoints)",
          "Group coordinator",
          "Personal models (adaptive, per user)",
          "Prequential metrics"
        }) {
      assertThat(plan).contains(name);
    }
  }

  @Test
  void aSettingGivenTwiceTakesTheFlagOverMinusDAndTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        "personalize.model.factors: 8\npersonalize.model.groups: 5\npersonalize.model.seed: 7\n");
    RunCommand run =
        parse(
            "--config-file",
            file.toString(),
            "-D",
            "personalize.model.groups=6",
            "-D",
            "personalize.model.seed=9",
            "--model-seed",
            "11",
            "--no-resume");
    JobConfig config =
        JobConfig.from(run.configuration(new PrintStream(new ByteArrayOutputStream())));
    assertThat(config.model().factors()).isEqualTo(8);
    assertThat(config.model().groups()).isEqualTo(6);
    assertThat(config.model().seed()).isEqualTo(11);
  }

  @Test
  void anInvalidSettingStopsTheCommandNamingTheKeyAndTheRule() {
    StringWriter err = new StringWriter();
    CommandLine cli = PersonalizeCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("run", "--model-factors", "0", "--dry-run", "--no-resume");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("personalize.model.factors must be 1..1024, was 0");

    err.getBuffer().setLength(0);
    code = cli.execute("run", "--metrics-interval", "soon", "--dry-run", "--no-resume");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("personalize.metrics.interval");
  }

  @Test
  void kafkaClientSettingsReachTheJobWithoutTheirPrefixAndTheJobsOwnAreRefused() {
    RunCommand run =
        parse(
            "-D",
            "personalize.kafka.security.protocol=SASL_PLAINTEXT",
            "-D",
            "personalize.kafka.sasl.mechanism=PLAIN",
            "--no-resume");
    JobConfig config =
        JobConfig.from(run.configuration(new PrintStream(new ByteArrayOutputStream())));
    assertThat(config.kafkaClientProperties())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN"));
    assertThat(
            config
                .with(io.personalize.job.config.PersonalizeOptions.PARALLELISM, 3)
                .kafkaClientProperties())
        .as("kept when a setting changes")
        .hasSize(2);

    StringWriter err = new StringWriter();
    CommandLine cli = PersonalizeCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute("run", "-D", "personalize.kafka.group.id=other", "--dry-run", "--no-resume");
    assertThat(code).isNotZero();
    assertThat(err.toString())
        .contains("personalize.kafka.group.id cannot be set: the job's group is --consumer-group");
  }

  @Test
  void aDryRunPrintsTheSettingsWithKafkaPasswordsHidden() {
    String secret = "pw-" + java.util.UUID.randomUUID();
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      code =
          PersonalizeCli.commandLine()
              .execute(
                  "run",
                  "-D",
                  "personalize.kafka.sasl.jaas.config=x.PlainLoginModule required username=\"u\""
                      + " password=\""
                      + secret
                      + "\";",
                  "-D",
                  "personalize.kafka.ssl.truststore.password=" + secret,
                  "--dry-run",
                  "--no-resume",
                  "--create-topics",
                  "false");
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(printed)
        .contains("personalize.kafka.ssl.truststore.password")
        .contains("personalize.kafka.sasl.jaas.config")
        .doesNotContain(secret);
  }

  @Test
  void aNewLocalRunResumesFromTheNewestCompletedCheckpoint(@TempDir Path dir) throws Exception {
    Path old = Files.createDirectories(dir.resolve("job-a").resolve("chk-3"));
    Files.writeString(old.resolve("_metadata"), "x");
    Files.setLastModifiedTime(
        old.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(1_000));
    Path newer = Files.createDirectories(dir.resolve("job-b").resolve("chk-7"));
    Files.writeString(newer.resolve("_metadata"), "x");
    Files.createDirectories(dir.resolve("job-b").resolve("chk-8")); // incomplete: no _metadata
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunCommand run = parse("-D", "execution.checkpointing.dir=" + dir.toUri());
    ReadableConfig conf = run.configuration(new PrintStream(out, true));
    assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(newer.toUri().toString());
    assertThat(out.toString()).contains("resuming from " + newer);

    RunCommand fresh = parse("-D", "execution.checkpointing.dir=" + dir.toUri(), "--no-resume");
    assertThat(fresh.configuration(new PrintStream(out)).get(StateRecoveryOptions.SAVEPOINT_PATH))
        .isNull();
  }

  @Test
  void itemFileBecomesTheRecordsTheItemsTopicWouldCarry(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,10,4.0,100\n");
    Files.writeString(
        dir.resolve("movies.csv"),
        "movieId,title,genres\n10,\"Heat, The (1995)\",Action|Crime\n11,Babe (1995),Children\n");

    List<ItemMetadata> items = RunCommand.fileItems(dir.resolve("ratings.csv"));
    assertThat(items).hasSize(2);
    ItemMetadata heat =
        items.stream().filter(i -> i.getItemId().equals("10")).findFirst().orElseThrow();
    assertThat(heat.getGenres()).containsExactly("Action", "Crime");
    assertThat(heat.getYear()).isEqualTo(1995);

    List<RawRecord> records = JobRunner.itemRecords(items);
    AvroCodec<ItemMetadata> codec = AvroCodec.of(ItemMetadata.class);
    assertThat(records).extracting(r -> codec.decode(r.value)).containsExactlyElementsOf(items);
    assertThat(records).extracting(r -> r.offset).containsExactly(0L, 1L);
  }

  @Test
  void movieLensItemFileHasEveryItem() {
    Path data = SharedDataSets.require("ml-100k");
    List<ItemMetadata> items = RunCommand.fileItems(data);
    assertThat(items).hasSize(1682);
    ItemMetadata toyStory =
        items.stream().filter(i -> i.getItemId().equals("1")).findFirst().orElseThrow();
    assertThat(toyStory.getGenres()).containsExactlyInAnyOrder("Animation", "Children's", "Comedy");
  }
}
