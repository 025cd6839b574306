package io.personalize.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.avro.RecommendationList;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.Topics;
import io.personalize.online.LastStep;
import io.personalize.online.UserState;
import io.personalize.serving.query.QueryCommand;
import io.personalize.serving.query.StateLookup;
import io.personalize.serving.query.StateLookupException;
import io.personalize.serving.serve.ServeCommand;
import io.personalize.state.PersonalModelView;
import io.personalize.state.QueryableStateNames;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup client against a real MiniCluster: one TaskManager with two slots, RocksDB, queryable
 * state on fixed free ports, and a job named {@value QueryableStateNames#JOB_NAME} at parallelism 2
 * that publishes a {@link UserState} (from which the lookup derives a {@link UserProfile} and a
 * {@link PersonalModelView}) and (for all but u5) a {@link RecommendationView} for users u1..u5
 * under the job's queryable names, and only a list for c6 (a user with clicks and no rating: the
 * rating model keeps no state for them, the recommendations do). The job runs on an unbounded,
 * rate-limited source until the class cancels it.
 *
 * <p>The no-runtime property is checked by running {@link QueryCommand} in a separate JVM on
 * exactly the classpath {@code bin/personalize query} uses (the serving jar plus {@code
 * serving/target/client-classpath.txt}), with class loading logged: it must print the state and
 * load no class of {@code org.apache.flink.runtime} or {@code org.apache.flink.streaming}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StateLookupITCase {
  private static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "c6");
  private static final int[] PORTS = freePorts(3);
  private static final int PROXY_PORT = PORTS[0];
  private static final int SERVER_PORT = PORTS[1];
  private static final int REST_PORT = PORTS[2];

  /** Jar names that must not be on the query command's classpath. */
  private static final List<String> RUNTIME_JARS =
      List.of(
          "flink-runtime",
          "flink-streaming",
          "flink-clients",
          "flink-statebackend",
          "flink-queryable-state-runtime",
          "flink-rpc",
          "flink-datastream");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(
                  Configuration.fromMap(
                      Map.of(
                          "queryable-state.enable", "true",
                          "queryable-state.proxy.ports", String.valueOf(PROXY_PORT),
                          "queryable-state.server.ports", String.valueOf(SERVER_PORT),
                          "state.backend.type", "rocksdb",
                          "rest.bind-port", String.valueOf(REST_PORT),
                          "rest.port", String.valueOf(REST_PORT))))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** Counted down by the job when it has written a user's state: the test's condition. */
  private static final CountDownLatch USERS_WRITTEN = new CountDownLatch(USERS.size());

  private static JobClient job;
  private static long submittedNanos;

  @BeforeAll
  static void submitJob(@InjectMiniCluster MiniCluster cluster) throws Exception {
    StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, 2);
    DataGeneratorSource<String> users =
        new DataGeneratorSource<>(
            index -> USERS.get((int) (index % USERS.size())),
            Long.MAX_VALUE,
            RateLimiterStrategy.perSecond(50),
            Types.STRING);
    env.fromSource(users, WatermarkStrategy.noWatermarks(), "users")
        .keyBy(user -> user, Types.STRING)
        .process(new PublishState())
        .name("publish-state")
        .sinkTo(new DiscardingSink<>());
    job = env.executeAsync(QueryableStateNames.JOB_NAME);
    submittedNanos = System.nanoTime();
  }

  @AfterAll
  static void cancelJob() throws Exception {
    if (job != null) {
      job.cancel().get(30, TimeUnit.SECONDS);
      assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS))
          .isIn(JobStatus.CANCELLING, JobStatus.CANCELED);
    }
  }

  @Test
  @Order(1)
  void readsTheJobsStateRightAfterSubmissionAndNothingForAnUnknownUser() throws Exception {
    JobID id = job.getJobID();
    try (StateLookup lookup = new StateLookup("localhost", PROXY_PORT, Duration.ofSeconds(30))) {
      // The job was just submitted: wait until it has written every user, then the first lookup
      // retries until the state registers with the proxy.
      assertThat(USERS_WRITTEN.await(30, TimeUnit.SECONDS)).as("all users written").isTrue();
      for (String user : USERS) {
        if (user.equals("c6")) {
          assertThat(lookup.profile(id, user)).isEmpty();
          assertThat(lookup.model(id, user)).isEmpty();
          assertThat(lookup.recommendations(id, user)).contains(expectedList(user));
          continue;
        }
        assertThat(lookup.profile(id, user)).contains(expectedProfile(user));
        assertThat(lookup.model(id, user)).contains(expectedModel(user));
        if (user.equals("u5")) {
          assertThat(lookup.recommendations(id, user)).isEmpty();
        } else {
          assertThat(lookup.recommendations(id, user)).contains(expectedList(user));
        }
      }
      System.out.printf(
          "StateLookupITCase: all state readable %d ms after submission%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submittedNanos));

      assertThat(lookup.profile(id, "nobody")).isEmpty();
      assertThat(lookup.model(id, "nobody")).isEmpty();
      assertThat(lookup.recommendations(id, "nobody")).isEmpty();
    }
  }

  @Test
  @Order(2)
  void findsTheRunningJobByNameThroughTheRestApi() {
    assertThat(StateLookup.findRunningJob("localhost", REST_PORT, QueryableStateNames.JOB_NAME))
        .isEqualTo(job.getJobID());
  }

  @Test
  @Order(3)
  void failsClearlyAfterTheDeadlineForAJobThatDoesNotRun() {
    try (StateLookup lookup = new StateLookup("localhost", PROXY_PORT, Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> lookup.profile(new JobID(), "u1"))
          .isInstanceOf(StateLookupException.class)
          .satisfies(e -> System.out.println("StateLookupITCase: " + e.getMessage()))
          .hasMessageContaining("not available within 2 s");
    }
  }

  @Test
  @Order(4)
  void queryCommandRunsWithoutTheFlinkRuntime(@TempDir Path tmp) throws Exception {
    List<String> classpath = clientClasspath();
    assertThat(classpath)
        .as("query classpath")
        .noneMatch(
            entry ->
                RUNTIME_JARS.stream()
                    .anyMatch(Path.of(entry).getFileName().toString()::startsWith));

    // Readable lines, job found by name through the REST API, both addresses from an endpoints
    // file as the demo writes it.
    Path endpoints =
        Files.writeString(
            tmp.resolve("endpoints.json"),
            new ObjectMapper()
                .writeValueAsString(
                    Map.of(
                        "kafka", "127.0.0.1:9092",
                        "flinkRest", "http://127.0.0.1:" + REST_PORT,
                        "queryableStateProxy", "127.0.0.1:" + PROXY_PORT)));
    Path classLog = tmp.resolve("classes.log");
    Result readable =
        runQuery(classpath, classLog, "--user", "u3", "--endpoints", endpoints.toString());
    assertThat(readable.exitCode).as(readable.toString()).isZero();
    assertThat(readable.stdout)
        .containsExactly(
            "profile: " + expectedProfile("u3"),
            "personal model: " + expectedModel("u3"),
            "recommendations: " + expectedList("u3"));

    List<String> loaded = loadedClasses(classLog);
    assertThat(loaded).contains("org.apache.flink.queryablestate.client.QueryableStateClient");
    assertThat(loaded)
        .as("classes the query command loaded")
        .noneMatch(name -> name.startsWith("org.apache.flink.runtime."))
        .noneMatch(name -> name.startsWith("org.apache.flink.streaming."));

    // One JSON object, job given by id.
    Result json =
        runQuery(
            classpath,
            null,
            "--user",
            "u4",
            "--job",
            job.getJobID().toHexString(),
            "--proxy-port",
            String.valueOf(PROXY_PORT),
            "--json");
    assertThat(json.exitCode).as(json.toString()).isZero();
    assertThat(json.stdout).hasSize(1);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode object = mapper.readTree(json.stdout.get(0));
    assertThat(object.get("user").asText()).isEqualTo("u4");
    assertThat(object.get("job").asText()).isEqualTo(job.getJobID().toHexString());
    assertThat(mapper.treeToValue(object.get("profile"), UserProfile.class))
        .isEqualTo(expectedProfile("u4"));
    assertThat(mapper.treeToValue(object.get("model"), PersonalModelView.class))
        .isEqualTo(expectedModel("u4"));
    assertThat(mapper.treeToValue(object.get("recommendations"), RecommendationView.class))
        .isEqualTo(expectedList("u4"));

    // A user with a profile and no list (as in a job with recommendations off): "none".
    Result noList = queryById(classpath, "u5");
    assertThat(noList.exitCode).as(noList.toString()).isZero();
    assertThat(noList.stdout).contains("recommendations: none");

    // A user with a list and no profile (clicks only): the list, and "none" for the rest.
    Result listOnly = queryById(classpath, "c6");
    assertThat(listOnly.exitCode).as(listOnly.toString()).isZero();
    assertThat(listOnly.stdout)
        .containsExactly(
            "profile: none (the rating model keeps one from the user's first RATING event)",
            "personal model: none",
            "recommendations: " + expectedList("c6"));

    // A user the job has no state for.
    Result unknown = queryById(classpath, "nobody");
    assertThat(unknown.exitCode).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.stdout).isEmpty();
    assertThat(unknown.stderr)
        .containsExactly(
            "no state for user nobody (the job has not seen this user, or forgot them after"
                + " users.idle-expiry)");

    // A malformed id: an error, and no lookup.
    Result malformed = queryById(classpath, "nobody ");
    assertThat(malformed.exitCode).as(malformed.toString()).isEqualTo(2);
    assertThat(malformed.stdout).isEmpty();
    assertThat(malformed.stderr)
        .containsExactly(
            "query: malformed --user: user id has leading or trailing white space: 'nobody '");
  }

  /** Keeps each user's expected profile and personal model in queryable state. */
  static final class PublishState extends KeyedProcessFunction<String, String, String> {
    private transient ValueState<UserState> user;
    private transient ValueState<RecommendationView> list;

    @Override
    public void open(OpenContext openContext) {
      ValueStateDescriptor<UserState> userDescriptor =
          new ValueStateDescriptor<>("user-state", TypeInformation.of(UserState.class));
      userDescriptor.setQueryable(QueryableStateNames.USER_STATE);
      user = getRuntimeContext().getState(userDescriptor);
      ValueStateDescriptor<RecommendationView> listDescriptor =
          new ValueStateDescriptor<>(
              QueryableStateNames.RECOMMENDATIONS, TypeInformation.of(RecommendationView.class));
      listDescriptor.setQueryable(QueryableStateNames.RECOMMENDATIONS);
      list = getRuntimeContext().getState(listDescriptor);
    }

    @Override
    public void processElement(String id, Context context, Collector<String> out)
        throws IOException {
      if (list.value() == null && user.value() == null) {
        if (!id.startsWith("c")) {
          user.update(expectedState(id));
        }
        if (!id.equals("u5")) {
          list.update(expectedList(id));
        }
        USERS_WRITTEN.countDown();
      }
    }
  }

  /**
   * The state the job would keep for the user, from which the lookup derives {@link
   * #expectedProfile} and {@link #expectedModel}: one dense stored block [b_u, q_u, w_u] in floats
   * (these values are exact in floats), the user's candidate and group.
   */
  static UserState expectedState(String user) {
    int n = Integer.parseInt(user.substring(1));
    UserState s = new UserState();
    s.userId = user;
    s.events = 10L * n;
    s.lastEventTimeMillis = 1_700_000_000_000L + n;
    s.adaptiveBlocks = new float[][] {{0.125f * n, n, -n, 0.5f, 0.25f * n}};
    LastStep step = new LastStep();
    step.group = n;
    step.boundariesVersion = 3;
    step.checkpointVersion = 7;
    step.candidate = n % 3;
    step.block = 0;
    step.modelKind = "adaptive";
    step.factors = 3;
    step.featureDimension = 1;
    s.lastStep = step;
    return s;
  }

  static UserProfile expectedProfile(String user) {
    int n = Integer.parseInt(user.substring(1));
    UserProfile p = new UserProfile();
    p.userId = user;
    p.events = 10L * n;
    p.group = n;
    p.boundariesVersion = 3;
    p.checkpointVersion = 7;
    p.lastEventTimeMillis = 1_700_000_000_000L + n;
    p.candidate = n % 3;
    return p;
  }

  static RecommendationView expectedList(String user) {
    int n = Integer.parseInt(user.substring(1));
    RecommendationView v = new RecommendationView();
    v.userId = user;
    v.itemIds = new String[] {"i" + n, "i" + (n + 1)};
    v.scores = new double[] {0.5 * n, 0.25 * n};
    v.sources = new String[] {"walks", "popularity"};
    v.recommender = "walks+rank+mmr";
    v.generatedAtMillis = 1_700_000_000_000L + n;
    v.eventTimeMillis = 1_600_000_000_000L + n;
    v.userEvents = 10L * n;
    v.modelVersion = 7;
    v.graphVersion = 3;
    return v;
  }

  static PersonalModelView expectedModel(String user) {
    int n = Integer.parseInt(user.substring(1));
    PersonalModelView m = new PersonalModelView();
    m.userId = user;
    m.modelKind = "adaptive";
    m.checkpointVersion = 7;
    m.bias = 0.125 * n;
    m.factors = new double[] {n, -n, 0.5};
    m.featureWeights = new double[] {0.25 * n};
    return m;
  }

  /**
   * The classpath bin/personalize gives the query command: the serving jar (or classes) this test
   * uses, plus the client-classpath.txt the serving build writes beside it.
   */
  private static List<String> clientClasspath() throws IOException, URISyntaxException {
    Path connectors =
        Path.of(StateLookup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path file = connectors.getParent().resolve("client-classpath.txt");
    assertThat(file)
        .as("written by the serving module's package phase (mvn verify builds it)")
        .exists();
    List<String> classpath = new ArrayList<>();
    classpath.add(connectors.toString());
    classpath.addAll(Arrays.asList(Files.readString(file).trim().split(File.pathSeparator)));
    return classpath;
  }

  /**
   * {@code personalize serve} on the same classpath, as its own process: lists from a real broker,
   * profiles from the running job's queryable state, and no class of the Flink runtime loaded.
   */
  @Test
  @Order(5)
  void serveRunsWithoutTheFlinkRuntimeAndAnswersProfilesFromTheJob(@TempDir Path tmp)
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (Topics topics = new Topics(kafka.bootstrapServers())) {
        topics.create(1, Topics.COMPACTED, "recommendations", "items");
        topics.create(1, Topics.KEEP_FOREVER, "metrics");
      }
      Map<String, Object> props =
          Map.of(
              "bootstrap.servers", kafka.bootstrapServers(),
              "key.serializer", ByteArraySerializer.class.getName(),
              "value.serializer", ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
        byte[] value =
            AvroCodec.of(RecommendationList.class).encode(CoreRecords.toAvro(expectedList("u3")));
        producer.send(new ProducerRecord<>("recommendations", "u3".getBytes(UTF_8), value)).get();
      }
      Path classLog = tmp.resolve("serve-classes.log");
      Path out = tmp.resolve("serve-out.txt");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xlog:class+load=info:file=" + classLog);
      command.add("-cp");
      command.add(String.join(File.pathSeparator, clientClasspath()));
      command.add(ServeCommand.class.getName());
      command.addAll(
          List.of(
              "--port",
              "0",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--flink-rest",
              "http://127.0.0.1:" + REST_PORT,
              "--queryable-state-proxy",
              "127.0.0.1:" + PROXY_PORT));
      Process serve =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(tmp.resolve("serve-err.txt").toFile())
              .start();
      try {
        String address = awaitAddress(out, serve);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode list = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (list == null || list.path("fallback").asBoolean(true)) {
          assertThat(System.currentTimeMillis()).as("u3's list served").isLessThan(deadline);
          Thread.sleep(100);
          HttpResponse<String> r = get(http, address + "/users/u3/recommendations");
          list = r.statusCode() == 200 ? mapper.readTree(r.body()) : null;
        }
        assertThat(list.get("items").get(0).get("item").asText())
            .isEqualTo(expectedList("u3").itemIds[0]);

        HttpResponse<String> profile = get(http, address + "/users/u3");
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
        JsonNode answer = mapper.readTree(profile.body());
        assertThat(answer.get("job").asText()).isEqualTo(job.getJobID().toHexString());
        assertThat(answer.get("profile").get("events").asLong())
            .isEqualTo(expectedProfile("u3").events);
        assertThat(answer.get("model").get("bias").asDouble()).isEqualTo(expectedModel("u3").bias);
        HttpResponse<String> listOnly = get(http, address + "/users/c6");
        assertThat(listOnly.statusCode()).as(listOnly.body()).isEqualTo(200);
        JsonNode clicksOnly = mapper.readTree(listOnly.body());
        assertThat(clicksOnly.get("profile").isNull()).as(listOnly.body()).isTrue();
        assertThat(clicksOnly.get("list").get("itemIds").get(0).asText())
            .isEqualTo(expectedList("c6").itemIds[0]);
        assertThat(get(http, address + "/users/nobody").statusCode()).isEqualTo(404);
      } finally {
        serve.destroy();
        serve.waitFor(10, TimeUnit.SECONDS);
      }
      List<String> loaded = loadedClasses(classLog);
      assertThat(loaded).contains("io.undertow.Undertow");
      assertThat(loaded)
          .as("classes the serve command loaded")
          .noneMatch(name -> name.startsWith("org.apache.flink.runtime."))
          .noneMatch(name -> name.startsWith("org.apache.flink.streaming."));
    }
  }

  /** The address the serve process prints on its first line ("serving on http://..."). */
  private static String awaitAddress(Path out, Process serve) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      assertThat(serve.isAlive()).as("the serve process runs").isTrue();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (line.startsWith("serving on ")) {
          return line.substring("serving on ".length()).split(" ")[0];
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("serve printed no address in 60 s");
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private record Result(int exitCode, List<String> stdout, List<String> stderr) {}

  /** {@code query --user USER}, the job given by id and the proxy by port. */
  private static Result queryById(List<String> classpath, String user)
      throws IOException, InterruptedException {
    return runQuery(
        classpath,
        null,
        "--user",
        user,
        "--job",
        job.getJobID().toHexString(),
        "--proxy-port",
        String.valueOf(PROXY_PORT));
  }

  private static Result runQuery(List<String> classpath, Path classLog, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (classLog != null) {
      command.add("-Xlog:class+load=info:file=" + classLog);
    }
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(QueryCommand.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("query-out", ".txt");
    Path err = Files.createTempFile("query-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("query command did not finish in 60 s: " + command);
      }
      return new Result(
          process.exitValue(),
          Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readAllLines(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Class names from a -Xlog:class+load log ("[...][info][class,load] NAME source: ..."). */
  private static List<String> loadedClasses(Path classLog) throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
      int tag = line.indexOf("] ");
      int source = line.indexOf(" source: ");
      if (line.contains("[class,load]") && tag >= 0 && source > tag) {
        names.add(line.substring(line.lastIndexOf("] ", source) + 2, source).trim());
      }
    }
    return names;
  }

  private static int[] freePorts(int count) {
    Set<Integer> ports = new HashSet<>();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a probe socket
        }
      }
    }
    return ports.stream().mapToInt(Integer::intValue).toArray();
  }
}
