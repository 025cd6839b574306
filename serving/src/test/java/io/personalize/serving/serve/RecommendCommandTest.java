package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendCommandTest {
  /**
   * Regression: with another web server on the port (here, one answering an HTML 404 page), {@code
   * recommend} printed Jackson's "Unexpected character ('<' (code 60)): expected a valid value" and
   * where it was in the page.
   */
  @Test
  void anAnswerThatIsNotJsonSaysWhoAnswered() throws Exception {
    HttpServer other = answering(404, "text/html", "<!DOCTYPE HTML><html><body>404</body></html>");
    try {
      String server = "http://127.0.0.1:" + other.getAddress().getPort();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int code =
          RecommendCommand.run(
              new PrintWriter(out), new PrintWriter(err), "--user", "u1", "--server", server);

      assertThat(code).isEqualTo(2);
      assertThat(err.toString().trim())
          .isEqualTo(
              "recommend: "
                  + server
                  + " answered 404 with text/html, not JSON: is it bin/personalize serve?"
                  + " (--server URL, --endpoints FILE)");
      assertThat(out.toString()).isEmpty();
    } finally {
      other.stop(0);
    }
  }

  /**
   * Regression: a list without items (the server's answer below, seen by hand for a user with two
   * events after recommendations were turned on) printed its heading and nothing under it.
   */
  @Test
  void anEmptyListSaysItIsEmpty() throws Exception {
    HttpServer server =
        answering(
            200,
            "application/json",
            "{\"user\":\"qa-new\",\"fallback\":false,\"recommender\":\"walks+rank+mmr\","
                + "\"items\":[],\"modelVersion\":0,\"graphVersion\":0,"
                + "\"generatedAt\":\"2026-12-07T18:00:58.153Z\",\"ageMillis\":51034,"
                + "\"userEvents\":2,\"afterEventAt\":\"2026-12-07T17:50:01Z\"}");
    try {
      StringWriter out = new StringWriter();

      int code =
          RecommendCommand.run(
              new PrintWriter(out),
              new PrintWriter(new StringWriter()),
              "--user",
              "qa-new",
              "--server",
              "http://127.0.0.1:" + server.getAddress().getPort());

      assertThat(code).isZero();
      assertThat(out.toString().lines()).hasSize(2).last().asString().startsWith("  no items: ");
    } finally {
      server.stop(0);
    }
  }

  /** A web server on a free loopback port that answers every request the same. */
  private static HttpServer answering(int status, String contentType, String body)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", contentType);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  /**
   * Regression: an endpoints file that is not JSON printed Jackson's message over two lines,
   * without the file's name ({@code query} and {@code serve} named it).
   */
  @Test
  void anEndpointsFileThatIsNotJsonIsNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("endpoints.json"), "not json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        RecommendCommand.run(
            new PrintWriter(out), new PrintWriter(err), "--user", "u1", "--endpoints", "" + file);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("recommend: endpoints file " + file + " is not JSON: Unrecognized token 'not'")
        .doesNotContain("\n");
  }
}
