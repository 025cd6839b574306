package io.personalize.serving.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.serving.config.ManifestVersion;
import io.personalize.serving.config.ParameterErrors;
import io.personalize.serving.config.SettingFlags;
import io.personalize.settings.KafkaClientSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalize serve}: the recommendation server as a process of its own, on a classpath
 * without the Flink runtime. Runs until stopped (Ctrl-C).
 */
@Command(
    name = "serve",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    description =
        "Serves every user's recommendations over HTTP from the job's compacted recommendations"
            + " topic (read from its beginning at start, then as it grows), with item titles from"
            + " the items topic; profiles come from the running job's queryable state. Binds"
            + " 127.0.0.1 unless --host says otherwise. Endpoints: GET"
            + " /users/{id}/recommendations?k=10, GET /users/{id}, POST /events (JSON events to"
            + " the interactions topic), GET /health, GET /metrics (Prometheus), and a status page"
            + " at /. Runs until stopped (Ctrl-C).")
public final class ServeCommand implements Callable<Integer> {
  private final SettingFlags settings = new SettingFlags();

  @Spec CommandSpec spec;

  @Option(
      names = "--endpoints",
      paramLabel = "FILE",
      description =
          "The endpoints.json the demo writes: take Kafka, the Flink REST API and the queryable"
              + " state proxy from it (flags and -D override it).")
  Path endpoints;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description =
          "A Flink config file (config.yaml syntax) with personalize.serve.* keys and Kafka client"
              + " settings (personalize.kafka.*): the place for a password.")
  Path configFile;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "Any personalize.serve.* setting, or a Kafka client setting of the server's consumers"
              + " as personalize.kafka.<setting>, as `run` takes it (e.g. -D"
              + " personalize.kafka.security.protocol=SASL_SSL).")
  Map<String, String> properties;

  public static void main(String[] args) {
    // Undertow logs through jboss-logging, which would pick java.util.logging: one binding.
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
    // Kafka's clients log their whole configuration at INFO, and a broker away as a warning a
    // second: only errors from them (the followers say once when a topic cannot be read).
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }
    CommandLine cli = commandLine();
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  public static CommandLine commandLine() {
    ServeCommand command = new ServeCommand();
    CommandLine cli = new CommandLine(command);
    command.settings.addTo(cli.getCommandSpec(), ServeOptions.ALL, ServeOptions.PREFIX);
    ParameterErrors.shortOnes(cli, "bin/personalize ");
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("serve: " + (e.getMessage() == null ? e : e.getMessage()));
          return 2;
        });
    return cli;
  }

  /** The settings: the endpoints file, then the config file, -D and flags over it. */
  Configuration configuration() {
    Configuration conf = new Configuration();
    if (endpoints != null) {
      conf.addAll(fromEndpoints(endpoints));
    }
    conf.addAll(settings.configuration(configFile, properties));
    return conf;
  }

  @Override
  public Integer call() throws Exception {
    ServeSettings serve = ServeSettings.from(configuration());
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (RecommendationServer server = RecommendationServer.start(serve)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  }));
      out.printf(
          "serving on %s (lists from topic %s at %s%s)%n"
              + "  try: curl '%s/users/1/recommendations?k=10'%n"
              + "  status page: %s/%n"
              + "stop with Ctrl-C%n",
          server.address(),
          serve.recommendationsTopic(),
          serve.bootstrapServers(),
          serve.kafkaClient().isEmpty()
              ? ""
              : ", Kafka client settings " + KafkaClientSettings.keysOnly(serve.kafkaClient()),
          server.address(),
          server.address());
      out.flush();
      stopped.await();
    }
    return 0;
  }

  /** Kafka and the job's addresses from a demo's endpoints.json, as settings. */
  static Configuration fromEndpoints(Path file) {
    io.personalize.serving.query.Endpoints job = io.personalize.serving.query.Endpoints.read(file);
    Configuration conf = new Configuration();
    conf.set(ServeOptions.FLINK_REST, "http://" + bracket(job.restHost()) + ":" + job.restPort());
    conf.set(ServeOptions.QUERYABLE_STATE_PROXY, bracket(job.proxyHost()) + ":" + job.proxyPort());
    JsonNode kafka = io.personalize.serving.query.Endpoints.document(file).get("kafka");
    if (kafka != null && kafka.isTextual() && !kafka.asText().isBlank()) {
      conf.set(ServeOptions.BOOTSTRAP_SERVERS, kafka.asText());
    }
    return conf;
  }

  private static String bracket(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
