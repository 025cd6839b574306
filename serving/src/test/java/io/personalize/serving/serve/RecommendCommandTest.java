package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
    HttpServer other =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext(
        "/",
        exchange -> {
          byte[] page =
              "<!DOCTYPE HTML><html><body>404</body></html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html");
          exchange.sendResponseHeaders(404, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    other.start();
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
