package io.personalize.serving.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.online.UserState;
import io.personalize.online.UserViews;
import io.personalize.state.PersonalModelView;
import io.personalize.state.QueryableStateNames;
import io.personalize.state.RecommendationView;
import io.personalize.state.UserProfile;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.queryablestate.client.QueryableStateClient;

/**
 * Reads a user's state from the running job through Flink's queryable state proxy.
 *
 * <p>Runs without the Flink runtime on the classpath: it needs flink-core, the queryable state
 * client and the runtime-free state types of {@code io.personalize.state} and {@code UserState}
 * (core, no Flink import). The descriptors mirror the job's: keyed by user id ({@code String}),
 * {@link QueryableStateNames#USER_STATE} (from which the profile and the personal model are
 * derived, {@link UserViews}) and {@link QueryableStateNames#RECOMMENDATIONS}, POJO serializers
 * from {@code TypeInformation.of(...)}.
 *
 * <p>Right after the job starts the proxy answers "not yet" ({@code UnknownKvStateLocation} and
 * similar) until the state registers; a lookup retries those with backoff until its deadline. The
 * server's errors reach the client as text ("Failed request N. Caused by: ..."), so they are told
 * apart by the exception names in the cause chain's messages.
 */
public final class StateLookup implements AutoCloseable {
  /** How long a lookup waits for the state to register by default. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private static final Duration REST_TIMEOUT = Duration.ofSeconds(10);
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Exceptions that mean "the key is not in the state": the user has no state. */
  private static final List<String> MISSING_KEY = List.of("UnknownKeyOrNamespaceException");

  /** Exceptions that mean "the state is not registered (yet)": retried until the deadline. */
  private static final List<String> NOT_YET =
      List.of(
          "UnknownKvStateLocation",
          "UnknownKvStateIdException",
          "UnknownKvStateKeyGroupLocationException",
          "UnknownLocationException");

  /** What a failed request means. */
  enum Failure {
    MISSING_KEY,
    NOT_YET,
    FATAL
  }

  private final String proxy;
  private final Duration deadline;
  private final QueryableStateClient client;

  /** A lookup through the proxy at the given address, waiting up to 30 s for the state. */
  public StateLookup(String proxyHost, int proxyPort) {
    this(proxyHost, proxyPort, DEFAULT_DEADLINE);
  }

  /**
   * A lookup through the proxy at the given address.
   *
   * @param deadline how long one lookup waits for the state to be registered before failing
   */
  public StateLookup(String proxyHost, int proxyPort, Duration deadline) {
    Objects.requireNonNull(proxyHost, "proxyHost");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    this.proxy = proxyHost + ":" + proxyPort;
    this.deadline = deadline;
    try {
      this.client = new QueryableStateClient(proxyHost, proxyPort);
    } catch (UnknownHostException e) {
      throw new StateLookupException("unknown queryable state proxy host: " + proxyHost, e);
    }
    // The 2.3 client starts without one and then fails on POJO types (null SerializerConfig). A
    // default config gives the serializers the job uses (POJO, no registered types).
    client.setExecutionConfig(new ExecutionConfig());
  }

  /**
   * The user's model state as the job keeps it, or empty when the job holds no state for the user:
   * one lookup for both the profile and the personal model ({@link UserViews}).
   */
  public Optional<UserState> userState(JobID job, String userId) {
    return lookup(job, userId, userStateDescriptor());
  }

  /** The user's profile, or empty when the job holds no state for the user. */
  public Optional<UserProfile> profile(JobID job, String userId) {
    return userState(job, userId).map(UserViews::profile);
  }

  /**
   * The user's personal model, or empty when the job holds no state for the user (or state from
   * before 2026-12-05 the user has had no event since, {@link UserViews#model}).
   */
  public Optional<PersonalModelView> model(JobID job, String userId) {
    return userState(job, userId).map(UserViews::model);
  }

  /**
   * The user's current list of recommendations, or empty when the job holds none for the user (it
   * runs with recommendations off, or has not seen the user).
   */
  public Optional<RecommendationView> recommendations(JobID job, String userId) {
    return lookup(job, userId, recommendationsDescriptor());
  }

  /** The job's user state: same queryable name and type information as the job's descriptor. */
  static ValueStateDescriptor<UserState> userStateDescriptor() {
    return new ValueStateDescriptor<>(
        QueryableStateNames.USER_STATE, TypeInformation.of(UserState.class));
  }

  /** The job's list state: same name and type information as the job's descriptor. */
  static ValueStateDescriptor<RecommendationView> recommendationsDescriptor() {
    return new ValueStateDescriptor<>(
        QueryableStateNames.RECOMMENDATIONS, TypeInformation.of(RecommendationView.class));
  }

  private <T> Optional<T> lookup(JobID job, String userId, ValueStateDescriptor<T> descriptor) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(userId, "userId");
    String name = descriptor.getName();
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    long backoff = FIRST_BACKOFF_MILLIS;
    while (true) {
      Throwable failure;
      try {
        long remaining = Math.max(end - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        ValueState<T> state =
            client
                .getKvState(job, name, userId, Types.STRING, descriptor)
                .get(remaining, TimeUnit.NANOSECONDS);
        return Optional.ofNullable(state.value());
      } catch (ExecutionException | CompletionException e) {
        failure = e.getCause() == null ? e : e.getCause();
      } catch (TimeoutException e) {
        throw new StateLookupException(
            String.format(
                "no answer from the queryable state proxy at %s within %d s", proxy, seconds()),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StateLookupException("interrupted while looking up state '" + name + "'", e);
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      switch (classify(failure)) {
        case MISSING_KEY:
          return Optional.empty();
        case FATAL:
          throw new StateLookupException(fatalMessage(failure, name, job), failure);
        case NOT_YET:
        default:
          break;
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > end) {
        throw new StateLookupException(
            String.format(
                "state '%s' of job %s is not available within %d s (is the job running, with"
                    + " queryable state enabled on its TaskManagers?); last answer: %s",
                name, job, seconds(), reason(failure)),
            failure);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StateLookupException("interrupted while looking up state '" + name + "'", e);
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  private String fatalMessage(Throwable failure, String name, JobID job) {
    if (find(failure, ConnectException.class) != null) {
      return "cannot connect to the queryable state proxy at "
          + proxy
          + " (is queryable-state.enable set, and the port in queryable-state.proxy.ports?): "
          + reason(failure);
    }
    return String.format("lookup of state '%s' of job %s failed: %s", name, job, reason(failure));
  }

  private long seconds() {
    return Math.max(1, deadline.toSeconds());
  }

  /** What a failed request means, from the exception names anywhere in its cause chain. */
  static Failure classify(Throwable failure) {
    List<String> texts = new ArrayList<>();
    for (Throwable t : chain(failure)) {
      texts.add(t.getClass().getName() + ": " + t.getMessage());
    }
    if (texts.stream().anyMatch(text -> MISSING_KEY.stream().anyMatch(text::contains))) {
      return Failure.MISSING_KEY;
    }
    if (texts.stream().anyMatch(text -> NOT_YET.stream().anyMatch(text::contains))) {
      return Failure.NOT_YET;
    }
    return Failure.FATAL;
  }

  /**
   * A one-line reason: the innermost cause, or, for errors the server sent back as text, the last
   * "Caused by:" in it.
   */
  static String reason(Throwable failure) {
    List<Throwable> chain = chain(failure);
    Throwable root = chain.get(chain.size() - 1);
    String text = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    int causedBy = text.lastIndexOf("Caused by: ");
    if (causedBy >= 0) {
      text = text.substring(causedBy + "Caused by: ".length());
      int eol = text.indexOf('\n');
      text = eol >= 0 ? text.substring(0, eol) : text;
    } else if (root.getMessage() != null && !(root instanceof RuntimeException)) {
      text = root.getClass().getSimpleName() + ": " + text;
    }
    // "org.apache.flink.runtime.query.UnknownKvStateLocation: ..." -> "UnknownKvStateLocation: ..."
    return text.replaceAll("\\s+", " ")
        .trim()
        .replaceFirst("^(?:[a-z_][\\w$]*\\.)+([A-Z][\\w$]*:)", "$1");
  }

  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static <E extends Throwable> E find(Throwable failure, Class<E> type) {
    for (Throwable t : chain(failure)) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * The id of the single RUNNING job named {@code jobName}, from the Flink REST API's {@code
   * /jobs/overview}.
   *
   * @throws StateLookupException when the API cannot be reached, or no or several such jobs run
   */
  public static JobID findRunningJob(String restHost, int restPort, String jobName) {
    String host =
        restHost.contains(":") && !restHost.startsWith("[") ? "[" + restHost + "]" : restHost;
    String base = "http://" + host + ":" + restPort;
    URI uri = URI.create(base + "/jobs/overview");
    HttpClient http = HttpClient.newBuilder().connectTimeout(REST_TIMEOUT).build();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REST_TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      String why =
          find(e, ConnectException.class) != null
              ? "connection refused (is the job running? a demo writes the addresses it got to"
                  + " endpoints.json in its --out directory, for --endpoints)"
              : reason(e);
      throw new StateLookupException("cannot reach the Flink REST API at " + base + ": " + why, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateLookupException("interrupted while asking " + uri + " for jobs", e);
    }
    if (response.statusCode() != 200) {
      throw new StateLookupException(
          "GET " + uri + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    try {
      return runningJob(response.body(), jobName);
    } catch (StateLookupException e) {
      throw new StateLookupException(e.getMessage() + " at " + base, e.getCause());
    }
  }

  /** The id of the single RUNNING job named {@code jobName} in a {@code /jobs/overview} answer. */
  static JobID runningJob(String overviewJson, String jobName) {
    JsonNode jobs;
    try {
      jobs = JSON.readTree(overviewJson).path("jobs");
    } catch (JsonProcessingException e) {
      throw new StateLookupException("unreadable answer from /jobs/overview: " + reason(e), e);
    }
    if (!jobs.isArray()) {
      throw new StateLookupException("unexpected answer from /jobs/overview: no 'jobs' array");
    }
    List<String> running = new ArrayList<>();
    List<String> notRunning = new ArrayList<>();
    for (JsonNode job : jobs) {
      if (!jobName.equals(job.path("name").asText())) {
        continue;
      }
      String id = job.path("jid").asText();
      String state = job.path("state").asText();
      if ("RUNNING".equals(state)) {
        running.add(id);
      } else {
        notRunning.add(id + " " + state);
      }
    }
    if (running.size() > 1) {
      throw new StateLookupException(
          running.size()
              + " RUNNING jobs named '"
              + jobName
              + "' ("
              + String.join(", ", running)
              + "): pass the job id");
    }
    if (running.isEmpty()) {
      throw new StateLookupException(
          "no RUNNING job named '"
              + jobName
              + "'"
              + (notRunning.isEmpty() ? "" : " (seen: " + String.join(", ", notRunning) + ")"));
    }
    try {
      return JobID.fromHexString(running.get(0));
    } catch (IllegalArgumentException e) {
      throw new StateLookupException("unexpected job id '" + running.get(0) + "'", e);
    }
  }

  @Override
  public void close() {
    client.shutdownAndWait();
  }
}
