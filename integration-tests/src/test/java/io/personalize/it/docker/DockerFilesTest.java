package io.personalize.it.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.it.docker.Dockerfile.Instruction;
import io.personalize.it.docker.Dockerfile.Stage;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.state.QueryableStateNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * docker/ checked by parsing, since Docker cannot run on the build machines: the Dockerfile with
 * {@link Dockerfile}, compose.yaml with Jackson's YAML parser, .env line by line, and every version
 * against the root pom.xml. {@link DockerChecksTest} shows each check failing on a broken input.
 */
class DockerFilesTest {
  private static final Path ROOT = repositoryRoot();
  private static final Path DOCKER = ROOT.resolve("docker");
  private static final Dockerfile DOCKERFILE = Dockerfile.read(DOCKER.resolve("Dockerfile"));
  private static final JsonNode COMPOSE = DockerChecks.readYaml(DOCKER.resolve("compose.yaml"));
  private static final Map<String, String> ENV = DockerChecks.readEnv(DOCKER.resolve(".env"));
  private static final String PROM_FACTORY =
      "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

  /** The repository root: the first directory upward holding docker/compose.yaml and a pom. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("docker/compose.yaml"))
          && Files.exists(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docker/compose.yaml above " + Path.of("").toAbsolutePath());
  }

  // ---- Dockerfile ----------------------------------------------------------------------------

  @Test
  void dockerfileParsesWithKnownInstructionsAndUniqueStageNames() {
    // Dockerfile.parse refuses unknown instructions; here: the stages the compose file builds.
    List<String> names =
        DOCKERFILE.stages.stream().map(s -> s.name().orElse("#" + s.index())).toList();
    assertThat(names)
        .doesNotHaveDuplicates()
        .containsExactly("build", "serving", "producer", "job");
  }

  @Test
  void everyCopyFromNamesAnEarlierStage() {
    assertThat(DockerChecks.copyFromProblems(DOCKERFILE)).isEmpty();
  }

  @Test
  void everyCopySourceFromTheContextExistsAndIsNotIgnored() {
    assertThat(DockerChecks.contextSourceProblems(DOCKERFILE, ROOT)).isEmpty();
  }

  /**
   * What later stages copy out of the build stage is what its Maven run makes: a module's own jar
   * (artifactId-version[-classifier].jar, from the poms) or its runtime dependencies in
   * target/dependency (dependency:copy-dependencies), of a module the build stage copied in.
   */
  @Test
  void everyCopyFromTheBuildStageIsProducedByIt() throws Exception {
    Stage build = DOCKERFILE.stage("build").orElseThrow();
    String run = String.join(" ", build.all("RUN").stream().map(Instruction::text).toList());
    assertThat(run).contains("mvn ").contains(" package").contains("dependency:copy-dependencies");
    List<String> copiedIn =
        build.all("COPY").stream().map(c -> c.args().get(0).replaceAll("/+$", "")).toList();
    String version = pomValue(ROOT.resolve("pom.xml"), "version");
    Pattern target = Pattern.compile(Pattern.quote(build.workdir()) + "/([^/]+)/target/(.+)");
    List<String> checked = new ArrayList<>();
    for (Stage stage : DOCKERFILE.stages) {
      for (Instruction copy : stage.all("COPY")) {
        if (!"build".equals(copy.flags().get("from"))) {
          continue;
        }
        String source = stage.expand(copy.args().get(0));
        Matcher m = target.matcher(source);
        assertThat(m.matches())
            .as("line %d: %s is a module's target/", copy.line(), source)
            .isTrue();
        String module = m.group(1);
        assertThat(copiedIn)
            .as("line %d: module %s is copied into the build", copy.line(), module)
            .contains(module);
        String artifactId = pomValue(ROOT.resolve(module).resolve("pom.xml"), "artifactId");
        String file = m.group(2);
        if (file.startsWith("dependency/")) {
          String dependency = file.substring("dependency/".length());
          if (!dependency.isEmpty()) {
            String artifact = dependency.replaceAll("-\\*\\.jar$", "");
            assertThat(Files.readString(ROOT.resolve(module).resolve("pom.xml")))
                .as("line %d: %s declares %s", copy.line(), module, artifact)
                .contains("<artifactId>" + artifact + "</artifactId>");
          }
        } else {
          assertThat(file)
              .as("line %d: a jar the %s build makes", copy.line(), module)
              .matches(Pattern.quote(artifactId + "-" + version) + "(-[a-z]+)?\\.jar");
        }
        checked.add(source);
      }
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void lastStageIsTheFlinkImageWithTheJobInUsrlibAndTheQueryableStateRuntimeInLib()
      throws Exception {
    Stage job = DOCKERFILE.last();
    assertThat(job.name()).contains("job");
    assertThat(job.instructions().get(0).args().get(0)).isEqualTo("${FLINK_IMAGE}");
    Map<String, String> destinations = new LinkedHashMap<>();
    for (Instruction copy : job.all("COPY")) {
      destinations.put(job.expand(copy.args().get(0)), copy.args().get(1));
    }
    String version = pomValue(ROOT.resolve("pom.xml"), "version");
    assertThat(destinations)
        .containsEntry(
            "/build/flink-jobs/target/dependency/flink-queryable-state-runtime-*.jar",
            "/opt/flink/lib/")
        .containsEntry(
            "/build/flink-jobs/target/personalize-flink-jobs-" + version + "-job.jar",
            "/opt/flink/usrlib/personalize-job.jar")
        .containsEntry("docker/submit-job.sh", "/opt/personalize/submit-job.sh");
    // The submitting script runs that jar, and finds the job by the name clients use.
    String script = Files.readString(DOCKER.resolve("submit-job.sh"));
    assertThat(script).contains("jar=/opt/flink/usrlib/personalize-job.jar");
    assertThat(script).contains("name=" + QueryableStateNames.JOB_NAME + "\n");
    assertThat(ROOT.resolve("docker/submit-job.sh").toFile().canExecute()).isTrue();
  }

  @Test
  void argDefaultsAgreeWithEnv() {
    assertThat(DockerChecks.argDefaultProblems(DOCKERFILE, ENV)).isEmpty();
    assertThat(DOCKERFILE.globalArgs).containsKeys("MAVEN_IMAGE", "JRE_IMAGE", "FLINK_IMAGE");
  }

  /** Flink 2.3.x and Kafka 4.2.x everywhere: .env's tags and the root pom's properties. */
  @Test
  void versionsAgreeWithThePom() {
    Path pom = ROOT.resolve("pom.xml");
    String flink = pomValue(pom, "properties/flink.version");
    String kafka = pomValue(pom, "properties/kafka.version");
    String project = pomValue(pom, "version");
    assertThat(flink).startsWith("2.3.");
    assertThat(kafka).startsWith("4.2.");
    assertThat(ENV.get("FLINK_IMAGE")).isEqualTo("flink:" + flink + "-java17");
    assertThat(ENV.get("KAFKA_IMAGE")).isEqualTo("apache/kafka:" + kafka);
    assertThat(ENV.get("MAVEN_IMAGE")).contains("temurin-17");
    assertThat(ENV.get("JRE_IMAGE")).startsWith("eclipse-temurin:17-");
    assertThat(ENV.get("PERSONALIZE_VERSION")).isEqualTo(project);
    for (String image :
        List.of(
            "PERSONALIZE_JOB_IMAGE", "PERSONALIZE_SERVING_IMAGE", "PERSONALIZE_PRODUCER_IMAGE")) {
      assertThat(ENV.get(image)).as(image).endsWith(":" + project);
    }
  }

  // ---- compose -------------------------------------------------------------------------------

  @Test
  void everyImageComesFromEnvAndProjectImagesAreBuilt() {
    assertThat(DockerChecks.imageProblems(COMPOSE, ENV)).isEmpty();
    Map<String, JsonNode> services = DockerChecks.services(COMPOSE);
    services.forEach(
        (name, service) -> {
          String image = service.path("image").asText();
          if (!image.startsWith("${PERSONALIZE_")) {
            assertThat(service.has("build")).as(name + " builds no official image").isFalse();
            return;
          }
          // Compose builds a project image where a service has `build`, and skips pulling it for
          // the services that share it (the TaskManagers, submit-job).
          assertThat(
                  services.values().stream()
                      .filter(s -> s.path("image").asText().equals(image) && s.has("build")))
              .as(name + ": some service builds " + image)
              .hasSize(1);
          JsonNode build = service.path("build");
          if (!build.isMissingNode()) {
            assertThat(DOCKER.resolve(build.path("context").asText()).normalize()).isEqualTo(ROOT);
            assertThat(build.path("dockerfile").asText()).isEqualTo("docker/Dockerfile");
            assertThat(DOCKERFILE.stage(build.path("target").asText()))
                .as(name + " target")
                .isPresent();
            List<String> args = new ArrayList<>();
            build.path("args").fieldNames().forEachRemaining(args::add);
            List<String> declared = new ArrayList<>(DOCKERFILE.globalArgs.keySet());
            DOCKERFILE.stages.forEach(s -> declared.addAll(s.args().keySet()));
            assertThat(args)
                .as(name + ": every ARG comes from .env")
                .containsAll(declared.stream().distinct().toList());
          }
        });
  }

  @Test
  void everySubstitutionNamesAnEnvVariable() {
    assertThat(DockerChecks.interpolationProblems(COMPOSE, ENV)).isEmpty();
  }

  @Test
  void everyDependsOnNamesAService() {
    assertThat(DockerChecks.dependsOnProblems(COMPOSE)).isEmpty();
  }

  @Test
  void everyPublishedPortBindsLoopback() {
    assertThat(DockerChecks.portProblems(COMPOSE)).isEmpty();
    assertThat(COMPOSE.path("services").path("serving").path("ports").toString())
        .contains("127.0.0.1:8090:8090");
    assertThat(COMPOSE.path("services").path("jobmanager").path("ports").toString())
        .contains("127.0.0.1:8081:8081");
  }

  @Test
  void noSecretsAndNoHostPaths() {
    assertThat(DockerChecks.secretProblems(COMPOSE, "compose.yaml")).isEmpty();
    assertThat(DockerChecks.secretProblems(ENV, ".env")).isEmpty();
    // The Dockerfile's ARG defaults and ENV values would be baked into the images.
    Map<String, String> baked = new LinkedHashMap<>(DOCKERFILE.globalArgs);
    for (Stage stage : DOCKERFILE.stages) {
      stage.args().forEach(baked::put);
      for (Instruction env : stage.all("ENV")) {
        for (String arg : env.args()) {
          int eq = arg.indexOf('=');
          baked.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
        }
      }
    }
    baked.values().removeIf(Objects::isNull);
    assertThat(DockerChecks.secretProblems(baked, "Dockerfile")).isEmpty();
  }

  @Test
  void aJobManagerAndTwoTaskManagers() {
    Map<String, JsonNode> services = DockerChecks.services(COMPOSE);
    List<String> jobManagers = withCommand(services, "jobmanager");
    List<String> taskManagers = withCommand(services, "taskmanager");
    assertThat(jobManagers).containsExactly("jobmanager");
    assertThat(taskManagers).containsExactly("taskmanager-1", "taskmanager-2");
    String rpc = services.get("jobmanager").path("hostname").asText();
    for (String name : Stream.concat(jobManagers.stream(), taskManagers.stream()).toList()) {
      Map<String, String> properties = DockerChecks.flinkProperties(services.get(name));
      assertThat(properties).as(name).containsEntry("jobmanager.rpc.address", rpc);
      assertThat(properties)
          .as(name)
          .containsEntry("execution.checkpointing.dir", "file:///opt/flink/checkpoints");
      assertThat(services.get(name).path("volumes").toString())
          .contains("checkpoints:/opt/flink/checkpoints");
    }
    for (String name : taskManagers) {
      JsonNode service = services.get(name);
      // The address a TaskManager registers is where the proxies reach its state server.
      assertThat(DockerChecks.flinkProperties(service))
          .containsEntry("taskmanager.host", service.path("hostname").asText())
          .containsEntry("taskmanager.host", name);
    }
    assertThat(DockerChecks.flinkProperties(services.get("taskmanager-1")).keySet())
        .isEqualTo(DockerChecks.flinkProperties(services.get("taskmanager-2")).keySet());
  }

  @Test
  void queryableStateAndPrometheusReportersAreConfigured() {
    Map<String, JsonNode> services = DockerChecks.services(COMPOSE);
    for (String name : withCommand(services, "taskmanager")) {
      assertThat(DockerChecks.flinkProperties(services.get(name)))
          .as(name)
          .containsEntry("queryable-state.enable", "true")
          .containsEntry("queryable-state.proxy.ports", "9069")
          .containsEntry("queryable-state.server.ports", "9067");
    }
    for (String name : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
      assertThat(DockerChecks.flinkProperties(services.get(name)))
          .as(name)
          .containsEntry("metrics.reporter.prom.factory.class", PROM_FACTORY)
          .containsEntry("metrics.reporter.prom.port", "9249");
      assertThat(services.get(name).path("ports").toString()).as(name).contains(":9249\"");
    }
    // The server asks a TaskManager's proxy, and binds every interface of its container.
    List<String> serve = texts(services.get("serving").path("command"));
    assertThat(String.join(" ", serve))
        .contains("--host 0.0.0.0")
        .contains("--queryable-state-proxy taskmanager-1:9069")
        .contains("--flink-rest http://jobmanager:8081")
        .contains("--bootstrap-servers kafka:9092");
  }

  @Test
  void kafkaIsOneKraftNodeWithReplicationFactorOne() {
    JsonNode kafka = COMPOSE.path("services").path("kafka");
    JsonNode env = kafka.path("environment");
    assertThat(List.of(env.path("KAFKA_PROCESS_ROLES").asText().split(",")))
        .containsExactlyInAnyOrder("broker", "controller");
    String nodeId = env.path("KAFKA_NODE_ID").asText();
    String host = kafka.path("hostname").asText();
    assertThat(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
        .isEqualTo(nodeId + "@" + host + ":9093");
    assertThat(env.path("KAFKA_LISTENERS").asText()).contains("CONTROLLER://:9093");
    assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("PLAINTEXT://kafka:9092");
    List<String> keys = new ArrayList<>();
    env.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).noneMatch(k -> k.contains("ZOOKEEPER"));
    assertThat(keys.stream().filter(k -> k.endsWith("REPLICATION_FACTOR") || k.endsWith("MIN_ISR")))
        .isNotEmpty()
        .allSatisfy(k -> assertThat(env.path(k).asText()).as(k).isEqualTo("1"));
  }

  /**
   * The topics kafka-init makes are the job's (PersonalizeOptions' defaults), as
   * JobRunner.createTopics makes them: replayed ones kept forever, the lists compacted.
   */
  @Test
  void kafkaInitCreatesTheJobsTopics() {
    String script = texts(COMPOSE.path("services").path("kafka-init").path("command")).get(2);
    assertThat(script).contains("forever=\"--config retention.ms=-1 --config retention.bytes=-1\"");
    assertThat(script)
        .contains(
            "--topic "
                + PersonalizeOptions.TOPIC_INTERACTIONS.defaultValue()
                + " --partitions 2 $$forever")
        .contains(
            "--topic "
                + PersonalizeOptions.TOPIC_RECOMMENDATIONS.defaultValue()
                + " --partitions 2 --config cleanup.policy=compact");
    Matcher loop =
        Pattern.compile(
                "for topic in ([a-z -]+); do\\s+\\$\\$create --topic \\$\\$topic --partitions 1 \\$\\$forever")
            .matcher(script);
    assertThat(loop.find()).as("the loop over the replayed single-partition topics").isTrue();
    assertThat(List.of(loop.group(1).split(" ")))
        .containsExactlyInAnyOrder(
            PersonalizeOptions.TOPIC_ITEMS.defaultValue(),
            PersonalizeOptions.TOPIC_MODEL_UPDATES.defaultValue(),
            PersonalizeOptions.TOPIC_METRICS.defaultValue(),
            PersonalizeOptions.TOPIC_DEAD_LETTERS.defaultValue());
    assertThat(String.join(" ", texts(COMPOSE.path("services").path("submit-job").path("command"))))
        .contains("--bootstrap-servers kafka:9092 --parallelism 2");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static List<String> withCommand(Map<String, JsonNode> services, String command) {
    return services.entrySet().stream()
        .filter(e -> e.getValue().path("command").asText().equals(command))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * A value of a pom by a path of child elements below project, e.g. "properties/flink.version".
   */
  static String pomValue(Path pom, String path) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
      Element element = doc.getDocumentElement();
      for (String name : path.split("/")) {
        Optional<Element> child = Optional.empty();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element e && e.getTagName().equals(name)) {
            child = Optional.of(e);
            break;
          }
        }
        element = child.orElseThrow(() -> new IllegalStateException(pom + " has no " + path));
      }
      return element.getTextContent().strip();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + path + " of " + pom, e);
    }
  }
}
