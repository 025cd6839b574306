package io.personalize.serving.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the endpoints.json the demo writes. */
class EndpointsTest {

  @Test
  void readsTheRestApiAndTheProxyFromTheDemosFile(@TempDir Path dir) throws IOException {
    // As the demo writes it: Jackson's pretty printer, all three addresses.
    Path file =
        Files.writeString(
            dir.resolve("endpoints.json"),
            """
            {
              "kafka" : "127.0.0.1:41779",
              "flinkRest" : "http://127.0.0.1:8082",
              "queryableStateProxy" : "127.0.0.1:9070"
            }
            """);
    assertThat(Endpoints.read(file)).isEqualTo(new Endpoints("127.0.0.1", 8082, "127.0.0.1", 9070));
  }

  @Test
  void acceptsHostNamesAndIpv6Literals() {
    assertThat(
            Endpoints.parse(
                "{\"flinkRest\": \"http://[::1]:8081/\", \"queryableStateProxy\": \"[::1]:9069\"}",
                "f"))
        .isEqualTo(new Endpoints("::1", 8081, "::1", 9069));
    assertThat(
            Endpoints.parse(
                "{\"flinkRest\": \"http://flink.example:18081\","
                    + " \"queryableStateProxy\": \" tm.example:19069 \"}",
                "f"))
        .isEqualTo(new Endpoints("flink.example", 18081, "tm.example", 19069));
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) {
    Path missing = dir.resolve("endpoints.json");
    assertThatThrownBy(() -> Endpoints.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "endpoints file " + missing + " does not exist (the demo writes DIR/endpoints.json)");
  }

  @Test
  void aDirectoryIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> Endpoints.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read endpoints file " + dir + ": ");
  }

  @Test
  void missingKeysAreClearErrors() {
    assertThatThrownBy(
            () -> Endpoints.parse("{\"queryableStateProxy\": \"127.0.0.1:9069\"}", "e.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoints file e.json has no 'flinkRest'");
    assertThatThrownBy(
            () -> Endpoints.parse("{\"flinkRest\": \"http://127.0.0.1:8081\"}", "e.json"))
        .hasMessage("endpoints file e.json has no 'queryableStateProxy'");
    assertThatThrownBy(
            () ->
                Endpoints.parse(
                    "{\"flinkRest\": null, \"queryableStateProxy\": \"127.0.0.1:9069\"}", "e.json"))
        .hasMessage("endpoints file e.json has no 'flinkRest'");
  }

  @Test
  void malformedContentIsAClearError() {
    assertThatThrownBy(() -> Endpoints.parse("{\"flinkRest\": ", "e.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("endpoints file e.json is not JSON: ");
    assertThatThrownBy(() -> Endpoints.parse("", "e.json"))
        .hasMessageStartingWith("endpoints file e.json is not a JSON object");
    assertThatThrownBy(() -> Endpoints.parse("[1, 2]", "e.json"))
        .hasMessageStartingWith("endpoints file e.json is not a JSON object");
    assertThatThrownBy(
            () ->
                Endpoints.parse(
                    "{\"flinkRest\": 8081, \"queryableStateProxy\": \"127.0.0.1:9069\"}", "e.json"))
        .hasMessage("'flinkRest' in endpoints file e.json is not an address: 8081");
  }

  @Test
  void malformedAddressesAreClearErrors() {
    for (String rest :
        new String[] {"127.0.0.1:8081", "http://127.0.0.1", "ftp://h:1", "http://h:0"}) {
      assertThatThrownBy(
              () ->
                  Endpoints.parse(
                      "{\"flinkRest\": \"" + rest + "\", \"queryableStateProxy\": \"h:9069\"}",
                      "e.json"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "'flinkRest' in endpoints file e.json is not http://host:port: '" + rest + "'");
    }
    for (String proxy : new String[] {"9069", ":9069", "h:", "h:x", "h:70000"}) {
      assertThatThrownBy(
              () ->
                  Endpoints.parse(
                      "{\"flinkRest\": \"http://h:8081\", \"queryableStateProxy\": \""
                          + proxy
                          + "\"}",
                      "e.json"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "'queryableStateProxy' in endpoints file e.json is not host:port: '" + proxy + "'");
    }
  }
}
