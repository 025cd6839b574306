package io.personalize.connectors.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the schema registry is and how to talk to it (docs/formats.md, "Schema-registry Avro"). An
 * empty {@code url} means no registry: a registry-framed record is then a dead letter.
 *
 * @param url the registry's API root, e.g. {@code http://registry:8081} (Confluent) or {@code
 *     http://registry:8080/apis/ccompat/v7} (Apicurio); {@code /schemas/ids/{id}} is appended
 * @param username HTTP basic auth user; empty for none
 * @param password HTTP basic auth password; never printed ({@link #toString()} masks it)
 * @param cacheSize writer schemas kept by id (ids are immutable, so entries never go stale)
 * @param requestTimeout the longest one request may take, connecting included
 * @param maxWait how long records wait while the registry does not answer before they are dead
 *     letters ({@code REGISTRY_UNAVAILABLE})
 */
public record RegistrySettings(
    String url,
    String username,
    String password,
    int cacheSize,
    Duration requestTimeout,
    Duration maxWait)
    implements Serializable {

  public RegistrySettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(maxWait, "maxWait");
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be >= 1, was " + cacheSize);
    }
    String problem = urlProblem(url);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** No registry. */
  public static RegistrySettings off() {
    return new RegistrySettings("", "", "", 1, Duration.ofSeconds(1), Duration.ZERO);
  }

  /** Whether a registry is configured. */
  public boolean enabled() {
    return !url.isEmpty();
  }

  /**
   * Null when {@code url} is empty or an http(s) URL without credentials in it; otherwise what is
   * wrong. Credentials in the URL would end up in log lines, so they go in username and password.
   */
  public static String urlProblem(String url) {
    if (url.isEmpty()) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return "not a URL: " + e.getMessage();
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      return "not an http or https URL";
    }
    if (uri.getHost() == null) {
      return "no host in the URL";
    }
    if (uri.getRawUserInfo() != null) {
      return "credentials in the URL (give them as username and password)";
    }
    return null;
  }

  @Override
  public String toString() {
    return "RegistrySettings[url="
        + url
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "" : "******")
        + ", cacheSize="
        + cacheSize
        + ", requestTimeout="
        + requestTimeout
        + ", maxWait="
        + maxWait
        + "]";
  }
}
