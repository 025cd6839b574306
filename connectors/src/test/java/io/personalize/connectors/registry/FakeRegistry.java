package io.personalize.connectors.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The one endpoint of a Confluent-compatible registry that the decoder uses, {@code GET
 * /schemas/ids/{id}}, in this JVM on 127.0.0.1, answering 503 while {@link #down} and 401 without
 * the right basic-auth credentials when they are set.
 */
final class FakeRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<Integer, String> answers = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  volatile boolean down;
  volatile String credentials;

  FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/schemas/ids/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Registers {@code schema} under {@code id}. */
  void put(int id, Schema schema) {
    answers.put(id, "{\"schema\": " + quote(schema.toString()) + ", \"references\": []}");
  }

  /** Makes {@code id} answer this JSON body. */
  void putAnswer(int id, String json) {
    answers.put(id, json);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    String expected =
        credentials == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    if (down) {
      respond(exchange, 503, "{\"error_code\": 50003, \"message\": \"down for the test\"}");
    } else if (expected != null
        && !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, "{\"error_code\": 401, \"message\": \"Unauthorized\"}");
    } else {
      String answer = answers.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
      if (answer == null) {
        respond(exchange, 404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}");
      } else {
        respond(exchange, 200, answer);
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
