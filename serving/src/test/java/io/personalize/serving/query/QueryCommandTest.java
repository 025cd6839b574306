package io.personalize.serving.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command's options and error paths; a lookup against a running job: StateLookupITCase. */
class QueryCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return QueryCommand.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void helpListsEveryOptionWithDefaults() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--user=ID",
            "--job=JOBID",
            "--proxy-host",
            "--endpoints=FILE",
            "(default: 127.0.0.1)",
            "(default: 9069)",
            "(default: 8081)",
            "(default: 30)",
            "--json",
            "Exit codes: 0 found, 1 no state for the user, 2 error (a malformed --user too).");
  }

  @Test
  void aMissingUserIsAnErrorAndWhereTheUsageIs() {
    assertThat(run()).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "query: Missing required option: '--user=ID'\n(see bin/personalize query --help)");
  }

  @Test
  void aMalformedJobIdIsAnErrorInOneLine() {
    assertThat(run("--user", "u1", "--job", "not-hex")).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo("query: --job is not a job id (32 hex digits): not-hex");
  }

  @Test
  void anUnreachableRestApiIsAnErrorInOneLine() throws IOException {
    int port = closedPort();
    assertThat(run("--user", "u1", "--rest-port", String.valueOf(port)))
        .isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "query: cannot reach the Flink REST API at http://127.0.0.1:"
                + port
                + ": connection refused (is the job running? a demo writes the addresses it got to"
                + " endpoints.json in its --out directory, for --endpoints)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anUnreachableProxyIsAnErrorInOneLineWithoutWaiting() throws IOException {
    int port = closedPort();
    int code =
        run(
            "--user",
            "u1",
            "--job",
            "0123456789abcdef0123456789abcdef",
            "--proxy-port",
            String.valueOf(port));
    assertThat(code).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .startsWith("query: cannot connect to the queryable state proxy at 127.0.0.1:" + port)
        .doesNotContain("\n");
  }

  @Test
  void aNonPositiveTimeoutIsAnError() {
    assertThat(
            run(
                "--user",
                "u1",
                "--job",
                "0123456789abcdef0123456789abcdef",
                "--timeout-seconds",
                "0"))
        .isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip()).isEqualTo("query: --timeout-seconds must be positive: 0");
  }

  static Stream<Arguments> malformedUserIds() {
    return Stream.of(
        Arguments.of("", "user id is missing or blank"),
        Arguments.of("   ", "user id is missing or blank"),
        Arguments.of("u".repeat(257), "user id is 257 characters long, more than 256"),
        Arguments.of("u\u0001x", "user id contains a control character at position 1"),
        Arguments.of("u1\n", "user id contains a control character at position 2"),
        Arguments.of(" u1", "user id has leading or trailing white space: ' u1'"),
        Arguments.of("u1\t", "user id contains a control character at position 2"),
        Arguments.of("u1 ", "user id has leading or trailing white space: 'u1 '"));
  }

  /**
   * Regression: a malformed id was looked up like any other and answered "no state". It is an error
   * now, saying why, before anything is asked of the REST API or the proxy: both point at a socket
   * that must see no connection.
   */
  @ParameterizedTest
  @MethodSource("malformedUserIds")
  void aMalformedUserIdIsAnErrorWithoutAnyLookup(String user, String why) throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      listener.configureBlocking(false);
      String port = String.valueOf(listener.socket().getLocalPort());
      for (String[] job : new String[][] {{}, {"--job", "0123456789abcdef0123456789abcdef"}}) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String[] args = {
          "--user", user, "--rest-port", port, "--proxy-port", port, "--timeout-seconds", "1"
        };
        int code = run(Stream.concat(Stream.of(args), Stream.of(job)).toArray(String[]::new));
        assertThat(err.toString().strip())
            .as("stderr for user id '%s'", user)
            .isEqualTo("query: malformed --user: " + why);
        assertThat(code).isEqualTo(QueryCommand.ERROR);
        assertThat(out.toString()).isEmpty();
        assertThat(listener.accept()).as("a connection to the REST API or the proxy").isNull();
      }
    }
  }

  private static Path endpointsFile(Path dir, int restPort, int proxyPort) throws IOException {
    return Files.writeString(
        dir.resolve("endpoints.json"),
        String.format(
            "{%n  \"kafka\" : \"127.0.0.1:9092\",%n  \"flinkRest\" : \"http://127.0.0.1:%d\",%n"
                + "  \"queryableStateProxy\" : \"127.0.0.1:%d\"%n}%n",
            restPort, proxyPort));
  }

  @Test
  void theEndpointsFileNamesTheRestApi(@TempDir Path dir) throws IOException {
    int restPort = closedPort();
    Path file = endpointsFile(dir, restPort, closedPort());
    assertThat(run("--user", "u1", "--endpoints", file.toString())).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "query: cannot reach the Flink REST API at http://127.0.0.1:"
                + restPort
                + ": connection refused (is the job running? a demo writes the addresses it got to"
                + " endpoints.json in its --out directory, for --endpoints)");
  }

  @Test
  void theEndpointsFileNamesTheProxy(@TempDir Path dir) throws IOException {
    int proxyPort = closedPort();
    Path file = endpointsFile(dir, closedPort(), proxyPort);
    int code =
        run(
            "--user",
            "u1",
            "--job",
            "0123456789abcdef0123456789abcdef",
            "--endpoints",
            file.toString());
    assertThat(code).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .startsWith("query: cannot connect to the queryable state proxy at 127.0.0.1:" + proxyPort);
  }

  @Test
  void optionsOverrideTheEndpointsFile(@TempDir Path dir) throws IOException {
    int restPort = closedPort();
    Path file = endpointsFile(dir, closedPort(), closedPort());
    int code =
        run(
            "--user",
            "u1",
            "--endpoints",
            file.toString(),
            "--rest-host",
            "localhost",
            "--rest-port",
            String.valueOf(restPort));
    assertThat(code).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "query: cannot reach the Flink REST API at http://localhost:"
                + restPort
                + ": connection refused (is the job running? a demo writes the addresses it got to"
                + " endpoints.json in its --out directory, for --endpoints)");
  }

  @Test
  void aMissingEndpointsFileIsAnErrorInOneLine(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere/endpoints.json");
    assertThat(run("--user", "u1", "--endpoints", missing.toString()))
        .isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "query: endpoints file "
                + missing
                + " does not exist (the demo writes DIR/endpoints.json)");
  }

  @Test
  void anEndpointsFileWithoutTheProxyIsAnErrorInOneLine(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("endpoints.json"), "{\"flinkRest\": \"http://127.0.0.1:8081\"}");
    assertThat(run("--user", "u1", "--endpoints", file.toString())).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo("query: endpoints file " + file + " has no 'queryableStateProxy'");
  }
}
