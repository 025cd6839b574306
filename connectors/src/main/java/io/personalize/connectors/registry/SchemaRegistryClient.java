package io.personalize.connectors.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.format.DecodingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;

/**
 * Fetches writer schemas by id from a Confluent-compatible registry ({@code GET
 * {url}/schemas/ids/{id}}, answering {@code {"schema": "<schema json>"}}), and keeps them: an id
 * never changes meaning, so a schema is fetched once per JVM. One client per settings per JVM
 * ({@link #shared}), so the tasks of a TaskManager share the cache and the connections.
 *
 * <p>One call makes at most one request; waiting for a registry that is down is the caller's
 * decision ({@link RegistryAvro}). Thread-safe.
 */
final class SchemaRegistryClient {
  private static final Map<RegistrySettings, SchemaRegistryClient> SHARED =
      new ConcurrentHashMap<>();
  private static final JsonFactory JSON = new JsonFactory();

  /** Confluent's error code for "schema not found". */
  private static final int SCHEMA_NOT_FOUND = 40403;

  private final RegistrySettings settings;
  private final HttpClient http;
  private final BoundedCache<Integer, Schema> schemas;
  private final AtomicLong requests = new AtomicLong();

  SchemaRegistryClient(RegistrySettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    this.schemas = new BoundedCache<>(settings.cacheSize());
  }

  /** The client of these settings in this JVM. */
  static SchemaRegistryClient shared(RegistrySettings settings) {
    return SHARED.computeIfAbsent(settings, SchemaRegistryClient::new);
  }

  /** HTTP requests made so far (a cached schema makes none). */
  long requests() {
    return requests.get();
  }

  /** The writer schema of {@code id} if this JVM has fetched it; null otherwise. */
  Schema cached(int id) {
    return schemas.get(id);
  }

  /**
   * The writer schema of {@code id}.
   *
   * @throws DecodingException {@link DeadLetterReason#UNKNOWN_SCHEMA_ID} when the registry does not
   *     have the id; {@link DeadLetterReason#WRONG_SCHEMA} when what it has is not an Avro schema
   * @throws RegistryUnavailableException when the registry gave no usable answer
   * @throws InterruptedException when the thread was interrupted while waiting for the answer
   */
  Schema schema(int id) throws RegistryUnavailableException, InterruptedException {
    Schema cached = cached(id);
    if (cached != null) {
      return cached;
    }
    Schema schema = fetch(id);
    schemas.put(id, schema);
    return schema;
  }

  private Schema fetch(int id) throws RegistryUnavailableException, InterruptedException {
    URI uri = URI.create(stripSlash(settings.url()) + "/schemas/ids/" + id);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.requestTimeout())
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json")
            .GET();
    if (!settings.username().isEmpty()) {
      String credentials = settings.username() + ":" + settings.password();
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<byte[]> response;
    requests.incrementAndGet();
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "no answer from " + uri + ": " + e.getClass().getSimpleName() + messageOf(e), e);
    }
    Answer answer = Answer.parse(response.body());
    int status = response.statusCode();
    if (status == 404 && Integer.valueOf(SCHEMA_NOT_FOUND).equals(answer.errorCode)) {
      throw new DecodingException(
          DeadLetterReason.UNKNOWN_SCHEMA_ID,
          "schema id " + id + " is not in the schema registry (" + answer.message + ")",
          null);
    }
    if (status != 200) {
      throw new RegistryUnavailableException(
          "HTTP "
              + status
              + " from "
              + uri
              + (answer.message == null ? "" : ": " + answer.message)
              + (status == 404
                  ? " (without error_code 40403: is the URL the registry's API?)"
                  : ""),
          null);
    }
    if (answer.schemaType != null && !answer.schemaType.equals("AVRO")) {
      throw new DecodingException(
          DeadLetterReason.WRONG_SCHEMA,
          "schema id " + id + " is a " + answer.schemaType + " schema, not Avro",
          null);
    }
    if (answer.schema == null) {
      throw new RegistryUnavailableException(
          "the answer from " + uri + " has no \"schema\" (" + answer.problem + ")", null);
    }
    try {
      return new Schema.Parser().parse(answer.schema);
    } catch (RuntimeException e) { // SchemaParseException, or an NPE for an unknown type name
      throw new DecodingException(
          DeadLetterReason.WRONG_SCHEMA,
          "schema id " + id + " is not an Avro schema this reader can parse: " + e.getMessage(),
          e);
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String messageOf(Throwable e) {
    return e.getMessage() == null ? "" : " " + e.getMessage();
  }

  /** The fields of a registry answer this client uses; null when absent. */
  private record Answer(
      String schema, String schemaType, Integer errorCode, String message, String problem) {
    static Answer parse(byte[] body) {
      String schema = null;
      String schemaType = null;
      Integer errorCode = null;
      String message = null;
      try (JsonParser parser = JSON.createParser(body)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return new Answer(null, null, null, null, "not a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          switch (field) {
            case "schema" -> schema = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            case "schemaType" ->
                schemaType = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            case "error_code" ->
                errorCode = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : null;
            case "message" -> message = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            default -> parser.skipChildren();
          }
        }
      } catch (IOException e) {
        return new Answer(schema, schemaType, errorCode, message, "not JSON: " + e.getMessage());
      }
      return new Answer(schema, schemaType, errorCode, message, "no such field");
    }
  }
}
