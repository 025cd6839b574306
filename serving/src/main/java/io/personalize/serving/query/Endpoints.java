package io.personalize.serving.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a running job answers queries, as the demo writes it to {@code DIR/endpoints.json}: {@code
 * {"kafka": "host:port", "flinkRest": "http://host:port", "queryableStateProxy": "host:port"}}.
 * Only the Flink REST API (to find the job) and the queryable state proxy are read.
 *
 * @param restHost the Flink REST API's host, without brackets for an IPv6 literal
 * @param proxyHost the queryable state proxy's host, without brackets for an IPv6 literal
 */
public record Endpoints(String restHost, int restPort, String proxyHost, int proxyPort) {
  static final String FLINK_REST = "flinkRest";
  static final String QUERYABLE_STATE_PROXY = "queryableStateProxy";

  /**
   * Reads an endpoints file.
   *
   * @throws IllegalArgumentException saying what is wrong when the file cannot be read, is not
   *     JSON, or lacks an address or has a malformed one
   */
  public static Endpoints read(Path file) {
    JsonNode root = document(file);
    return of(
        text(root, FLINK_REST, file.toString()),
        text(root, QUERYABLE_STATE_PROXY, file.toString()),
        "endpoints file " + file);
  }

  /**
   * An endpoints file as a JSON object, for what else it holds (Kafka's address, the server's).
   *
   * @throws IllegalArgumentException naming the file when it does not exist, cannot be read, is not
   *     JSON or not a JSON object
   */
  public static JsonNode document(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "endpoints file " + file + " does not exist (the demo writes DIR/endpoints.json)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read endpoints file " + file + ": " + e, e);
    }
    return object(json, file.toString());
  }

  /** Parses the content of an endpoints file; {@code source} names it in messages. */
  static Endpoints parse(String json, String source) {
    JsonNode root = object(json, source);
    return of(
        text(root, FLINK_REST, source),
        text(root, QUERYABLE_STATE_PROXY, source),
        "endpoints file " + source);
  }

  private static JsonNode object(String json, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "endpoints file " + source + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "endpoints file "
              + source
              + " is not a JSON object with '"
              + FLINK_REST
              + "' and '"
              + QUERYABLE_STATE_PROXY
              + "'");
    }
    return root;
  }

  /**
   * The endpoints of a Flink REST address ({@code http://host:port}) and a queryable state proxy
   * ({@code host:port}); {@code source} names where they came from in messages.
   *
   * @throws IllegalArgumentException when either is malformed
   */
  public static Endpoints of(String rest, String proxy, String source) {
    URI restUri;
    try {
      restUri = new URI(rest);
    } catch (URISyntaxException e) {
      restUri = null;
    }
    if (restUri == null
        || !"http".equalsIgnoreCase(restUri.getScheme())
        || restUri.getHost() == null
        || !validPort(restUri.getPort())) {
      throw new IllegalArgumentException(
          String.format("'%s' in %s is not http://host:port: '%s'", FLINK_REST, source, rest));
    }

    int colon = proxy.lastIndexOf(':');
    String proxyHost = colon > 0 ? unbracket(proxy.substring(0, colon)) : "";
    int proxyPort = colon > 0 ? port(proxy.substring(colon + 1)) : -1;
    if (proxyHost.isEmpty() || !validPort(proxyPort)) {
      throw new IllegalArgumentException(
          String.format("'%s' in %s is not host:port: '%s'", QUERYABLE_STATE_PROXY, source, proxy));
    }
    return new Endpoints(unbracket(restUri.getHost()), restUri.getPort(), proxyHost, proxyPort);
  }

  private static String text(JsonNode root, String key, String source) {
    JsonNode value = root.get(key);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("endpoints file " + source + " has no '" + key + "'");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(
          "'" + key + "' in endpoints file " + source + " is not an address: " + value);
    }
    return value.asText().strip();
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int port(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean validPort(int port) {
    return port > 0 && port <= 65535;
  }
}
