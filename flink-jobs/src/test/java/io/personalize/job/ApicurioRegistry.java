package io.personalize.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A real schema registry as a process of its own: Apicurio Registry (the Quarkus runner jar that
 * Maven unpacks into target/apicurio before the integration tests), in-memory storage, on a free
 * loopback port. It serves the Confluent-compatible API under {@link #confluentApi()}.
 */
final class ApicurioRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final int port;

  private final long started;

  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Process process;

  /** Starts the registry process; {@link #awaitReady} waits until it answers. */
  ApicurioRegistry() throws IOException {
    String jar = System.getProperty("apicurio.runner");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "no Apicurio runner jar (system property apicurio.runner, set by the flink-jobs pom"
              + " for failsafe): "
              + jar);
    }
    port = KafkaJob.freePort();
    log = Files.createTempFile("apicurio", ".log");
    started = System.nanoTime();
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-jar",
                jar)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /** Waits until the registry answers; returns how long it took since its process started. */
  long awaitReady() throws IOException, InterruptedException {
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() - started > START_TIMEOUT.toNanos()) {
        String output = Files.readString(log);
        close();
        throw new IllegalStateException(
            "Apicurio Registry did not start on port "
                + port
                + ": "
                + output.substring(Math.max(0, output.length() - 3000)));
      }
      Thread.sleep(250);
    }
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }

  /** The Confluent-compatible API root: the decoder's personalize.schema-registry.url. */
  String confluentApi() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  /** Registers {@code schema} as a new version of {@code subject}; returns its schema id. */
  int register(String subject, Schema schema) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(confluentApi() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "registering " + subject + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).path("id").asInt();
  }

  private boolean answers() throws InterruptedException {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(confluentApi() + "/subjects"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the registry process (its in-memory schemas are gone with it). */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
