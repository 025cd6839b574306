package io.personalize.serving.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

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
            "(default: localhost)",
            "(default: 9069)",
            "(default: 8081)",
            "(default: 30)",
            "--json",
            "Exit codes: 0 found, 1 no state for the user, 2 error.");
  }

  @Test
  void aMissingUserIsAnErrorInOneLine() {
    assertThat(run()).isEqualTo(QueryCommand.ERROR);
    assertThat(err.toString().strip())
        .isEqualTo("query: Missing required option: '--user=ID' (see --help)");
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
            "query: cannot reach the Flink REST API at http://localhost:"
                + port
                + ": connection refused");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anUnreachableProxyIsAnErrorInOneLineWithoutWaiting() throws IOException {
    int port = closedPort();
    long start = System.nanoTime();
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
        .startsWith("query: cannot connect to the queryable state proxy at localhost:" + port)
        .doesNotContain("\n");
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
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
}
