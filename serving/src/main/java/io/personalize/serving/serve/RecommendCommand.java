package io.personalize.serving.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.serving.config.ManifestVersion;
import io.personalize.serving.config.ParameterErrors;
import io.personalize.serving.query.Endpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalize recommend --user ID}: a user's recommendations as the server answers them, as
 * a table or (with {@code --json}) the server's JSON as is.
 *
 * <p>Exit codes: 0 the user's own list, 1 the fallback (the engine has no list for the user), 2 an
 * error (the server unreachable, or the request refused, e.g. a malformed id).
 */
@Command(
    name = "recommend",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    description = "Prints a user's recommendations, asked of a running `personalize serve`.",
    footer = {"", "Exit codes: 0 the user's list, 1 the fallback list, 2 error."})
public final class RecommendCommand implements Callable<Integer> {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8090";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Option(names = "--user", required = true, paramLabel = "ID", description = "The user's id.")
  String user;

  @Option(
      names = "--k",
      paramLabel = "N",
      description = "Items to show (default: the server's, 10).")
  Integer k;

  @Option(names = "--json", description = "Print the server's JSON answer as is.")
  boolean json;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The server (default: 'serve' of --endpoints, else " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--endpoints",
      paramLabel = "FILE",
      description = "The endpoints.json the demo writes: take the server's address from it.")
  Path endpoints;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RecommendCommand());
    cli.setOut(out);
    cli.setErr(err);
    ParameterErrors.shortOnes(cli, "bin/personalize ");
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("recommend: " + (e.getMessage() == null ? e : e.getMessage()));
          return 2;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() throws Exception {
    URI uri =
        URI.create(
            base() + "/users/" + encode(user) + "/recommendations" + (k == null ? "" : "?k=" + k));
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new IllegalStateException(
          "no server at " + base() + " (start one with bin/personalize serve)", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot ask " + base() + ": " + e, e);
    }
    JsonNode answer;
    try {
      answer = new ObjectMapper().readTree(response.body());
    } catch (JsonProcessingException e) {
      // Another web server on the port, or a proxy's error page.
      throw new IllegalStateException(
          base()
              + " answered "
              + response.statusCode()
              + " with "
              + response.headers().firstValue("Content-Type").orElse("no content type")
              + ", not JSON: is it bin/personalize serve? (--server URL, --endpoints FILE)",
          e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "the server answered "
              + response.statusCode()
              + ": "
              + (answer != null && answer.has("error")
                  ? answer.get("error").asText()
                  : response.body()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(response.body());
    } else {
      print(answer, out);
    }
    return answer.path("fallback").asBoolean() ? 1 : 0;
  }

  private static void print(JsonNode answer, PrintWriter out) {
    if (answer.path("fallback").asBoolean()) {
      out.println("user " + answer.path("user").asText() + ": " + answer.path("reason").asText());
    }
    out.printf(
        "%s for user %s (model version %d, graph version %d, computed %s, %.1f s ago)%n",
        answer.path("recommender").asText(),
        answer.path("user").asText(),
        answer.path("modelVersion").asLong(),
        answer.path("graphVersion").asLong(),
        answer.path("generatedAt").asText(),
        answer.path("ageMillis").asLong() / 1000.0);
    if (answer.path("items").isEmpty()) {
      out.println(
          "  no items: the engine had no candidate for this user when the list was made (too"
              + " little data around the user's items yet, or every item it knows already seen);"
              + " the list fills as events arrive");
    }
    int rank = 1;
    for (JsonNode item : answer.path("items")) {
      out.printf(
          "%3d. %-12s %-50s %8.4f  %s%n",
          rank++,
          item.path("item").asText(),
          item.path("title").isNull() ? "" : item.path("title").asText(),
          item.path("score").asDouble(),
          item.path("source").asText());
    }
  }

  private String base() throws IOException {
    String url = server;
    if (url == null && endpoints != null) {
      JsonNode serve = Endpoints.document(endpoints).get("serve");
      if (serve == null || !serve.isTextual()) {
        throw new IllegalArgumentException(
            "endpoints file "
                + endpoints
                + " has no 'serve' (no recommendation server was started with it: a demo with"
                + " --no-serve or recommend.enabled false, or bin/cluster's, which starts none);"
                + " give --server URL");
      }
      url = serve.asText();
    }
    url = url == null ? DEFAULT_SERVER : url;
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A path segment with every byte but the unreserved ones percent-encoded. */
  static String encode(String segment) {
    StringBuilder s = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        s.append(c);
      } else {
        s.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return s.toString();
  }
}
