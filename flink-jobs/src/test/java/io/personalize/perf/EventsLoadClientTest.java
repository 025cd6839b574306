package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.personalize.perf.EventsLoadClient.Sample;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The POST /events load generator against a real HTTP server on loopback (the JDK's). */
class EventsLoadClientTest {
  @Test
  void sendsEachUserInTurnOnScheduleAndRecordsEveryAnswer(@TempDir Path dir) throws Exception {
    ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/events",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          int status = bodies.size() == 3 ? 503 : 202; // one refusal among the answers
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");

      List<Sample> samples = EventsLoadClient.send(url, 100, 12, 5, System.currentTimeMillis());
      Path file = dir.resolve("samples.txt");
      EventsLoadClient.write(samples, file);
      List<Sample> read = EventsLoadClient.read(file);

      assertThat(read).containsExactlyInAnyOrderElementsOf(samples).hasSize(12);
      assertThat(read).filteredOn(s -> s.status() == 202).hasSize(11);
      assertThat(read).filteredOn(s -> s.status() == 503).hasSize(1);
      assertThat(read)
          .as("request n is due n * 10 ms after the start, for user n mod 5")
          .allSatisfy(
              s -> {
                assertThat(s.dueMicros() % 10_000).isZero();
                assertThat(s.user()).isEqualTo((int) (s.dueMicros() / 10_000 % 5));
                assertThat(s.latencyMicros()).isPositive();
                assertThat(s.failure()).isEqualTo("-");
              });
      assertThat(bodies).hasSize(12);
      assertThat(bodies)
          .filteredOn(body -> body.contains("\"userId\":\"load-u4\""))
          .as("users 0..4 in turn: load-u4 for requests 4 and 9")
          .hasSize(2)
          .allMatch(body -> body.contains("\"eventType\":\"RATING\""));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRequestWithoutAnAnswerIsRecordedWithItsFailure() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/events", exchange -> exchange.close()); // hangs up, no status line
    server.start();
    try {
      List<Sample> samples =
          EventsLoadClient.send(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events"),
              100,
              2,
              1,
              0);

      assertThat(samples)
          .hasSize(2)
          .allSatisfy(
              s -> {
                assertThat(s.status()).isEqualTo(-1);
                assertThat(s.failure()).isEqualTo("IOException");
              });
    } finally {
      server.stop(0);
    }
  }
}
