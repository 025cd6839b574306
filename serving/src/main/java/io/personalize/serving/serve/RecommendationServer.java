package io.personalize.serving.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recommendation server: every published list in memory, read from the job's topics, answered
 * over HTTP by Undertow. A list request is answered on the I/O thread from memory (no lock, no
 * I/O); a profile request waits for the job's queryable state on a small worker pool. Bad input is
 * a 400 with the reason, an unknown path a 404, another method than GET a 405; a 500 means a bug
 * and is logged.
 *
 * <p>Endpoints: {@code /users/{id}/recommendations?k=N}, {@code /users/{id}}, {@code /health},
 * {@code /metrics}, the status page at {@code /} and its data at {@code /api/status} and {@code
 * /api/quality}; and {@code POST /events} ({@link EventIntake}), answered on a worker pool of its
 * own since it waits for Kafka. docs/serving.md describes the answers.
 */
public final class RecommendationServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendationServer.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Requests of POST /events in progress at once. Each waits for Kafka's acknowledgement, so this
   * bounds how many events the producer can batch together: at 16 the server topped out near 200
   * events a second on the 2-core machine, the threads all waiting on acknowledgements.
   */
  private static final int INTAKE_THREADS = 128;

  private static final Map<String, String> PAGE_FILES =
      Map.of(
          "", "index.html",
          "status.js", "status.js",
          "status.css", "status.css");

  private final ServeSettings settings;
  private final ListStore lists = new ListStore();
  private final ItemCatalog items = new ItemCatalog();
  private final QualityHistory quality = new QualityHistory();
  private final TopicFollower listFollower;
  private final List<TopicFollower> followers;
  private final ServingMetrics metrics;
  private final ProfileLookup profiles;
  private final ExecutorService lookups;
  private final EventIntake intake;
  private final ExecutorService intakeWorkers;
  private final Map<String, byte[]> page;
  private final Instant startedAt = Instant.now();
  private final GracefulShutdownHandler inFlight;
  private final Undertow undertow;
  private final URI address;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private RecommendationServer(ServeSettings settings) {
    this.settings = settings;
    this.page = loadPage();
    String kafka = settings.bootstrapServers();
    Map<String, String> client = settings.kafkaClient();
    listFollower = new TopicFollower(kafka, client, settings.recommendationsTopic(), lists::accept);
    followers =
        List.of(
            listFollower,
            new TopicFollower(kafka, client, settings.itemsTopic(), items::accept),
            new TopicFollower(kafka, client, settings.metricsTopic(), quality::accept));
    metrics = new ServingMetrics(lists, items, followers);
    profiles = new ProfileLookup(settings.job(), settings.lookupTimeout());
    lookups =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "profile-lookup");
              t.setDaemon(true);
              return t;
            });
    intake = settings.events().enabled() ? new EventIntake(kafka, client, settings.events()) : null;
    if (intake != null) {
      intake.connect();
    }
    intakeWorkers =
        Executors.newFixedThreadPool(
            INTAKE_THREADS,
            r -> {
              Thread t = new Thread(r, "event-intake");
              t.setDaemon(true);
              return t;
            });
    undertow =
        Undertow.builder()
            .addHttpListener(settings.port(), settings.host())
            // Paths are decoded here, strictly, so a bad escape is a 400 with a reason.
            .setServerOption(UndertowOptions.DECODE_URL, false)
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(4)
            .setHandler(inFlight = Handlers.gracefulShutdown(this::handle))
            .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + rootMessage(e), e);
    }
    InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    String host = bound.getAddress().getHostAddress();
    address =
        URI.create(
            "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
    followers.forEach(TopicFollower::start);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** Starts the server: it answers at once, from the lists read so far. */
  public static RecommendationServer start(ServeSettings settings) {
    return new RecommendationServer(settings);
  }

  /** Where it listens, e.g. {@code http://127.0.0.1:8090}. */
  public URI address() {
    return address;
  }

  /** Users with a list. */
  public int lists() {
    return lists.size();
  }

  /** True once the recommendations topic was read to its end. */
  public boolean caughtUp() {
    return listFollower.caughtUp();
  }

  private void handle(HttpServerExchange exchange) {
    long start = System.nanoTime();
    String[] endpoint = {"other"};
    exchange.addExchangeCompleteListener(
        (done, next) -> {
          metrics.observe(endpoint[0], done.getStatusCode(), System.nanoTime() - start);
          next.proceed();
        });
    try {
      List<String> path = Requests.segments(exchange.getRequestPath());
      if (path.size() == 1 && path.get(0).equals("events") && intake != null) {
        endpoint[0] = "events";
        events(exchange);
        return;
      }
      if (!exchange.getRequestMethod().equals(Methods.GET)) {
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
        send(exchange, 405, Answers.error(405, "only GET is answered here"));
        return;
      }
      route(exchange, path, endpoint);
    } catch (Requests.BadRequest e) {
      send(exchange, 400, Answers.error(400, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error(
          "failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), e);
      send(exchange, 500, Answers.error(500, "internal error: " + e));
    }
  }

  private void route(HttpServerExchange exchange, List<String> path, String[] endpoint)
      throws Requests.BadRequest {
    String first = path.get(0);
    if (path.size() == 1 && PAGE_FILES.containsKey(first)) {
      endpoint[0] = "page";
      sendPage(exchange, PAGE_FILES.get(first));
    } else if (path.size() == 1 && first.equals("health")) {
      endpoint[0] = "health";
      health(exchange);
    } else if (path.size() == 1 && first.equals("metrics")) {
      endpoint[0] = "metrics";
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, ServingMetrics.CONTENT_TYPE);
      exchange.getResponseSender().send(ByteBuffer.wrap(metrics.scrape()));
    } else if (path.size() == 2 && first.equals("api") && path.get(1).equals("status")) {
      endpoint[0] = "status";
      send(exchange, 200, status());
    } else if (path.size() == 2 && first.equals("api") && path.get(1).equals("quality")) {
      endpoint[0] = "quality";
      send(exchange, 200, quality.snapshot());
    } else if (path.size() == 3 && first.equals("users") && path.get(2).equals("recommendations")) {
      endpoint[0] = "recommendations";
      recommendations(exchange, Requests.userId(path.get(1)));
    } else if (path.size() == 2 && first.equals("users")) {
      endpoint[0] = "user";
      profile(exchange, Requests.userId(path.get(1)));
    } else {
      send(
          exchange,
          404,
          Answers.error(
              404, "no such endpoint; see /users/{id}/recommendations, /users/{id}, /health"));
    }
  }

  private void events(HttpServerExchange exchange) {
    if (!exchange.getRequestMethod().equals(Methods.POST)) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
      send(exchange, 405, Answers.error(405, "POST one JSON event or an array of them"));
      return;
    }
    String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      send(exchange, 415, Answers.error(415, "send application/json, not " + type));
      return;
    }
    exchange.setMaxEntitySize(settings.events().maxBodyBytes());
    String client = exchange.getSourceAddress().getAddress().getHostAddress();
    exchange.dispatch(
        intakeWorkers,
        AlwaysAnswered.of(
            "take events from " + client,
            (status, answer) -> send(exchange, status, answer),
            () -> {
              byte[] body;
              try {
                exchange.startBlocking();
                body = exchange.getInputStream().readAllBytes();
              } catch (IOException e) {
                // Undertow ends the read of a body over the limit with an IOException.
                send(
                    exchange,
                    413,
                    Answers.error(
                        413,
                        "the body is larger than "
                            + settings.events().maxBodyBytes()
                            + " bytes ("
                            + ServeOptions.EVENTS_MAX_BODY_BYTES.key()
                            + ") or was cut short: "
                            + e.getMessage()));
                return;
              }
              EventIntake.Answer answer = intake.accept(body, client, System.currentTimeMillis());
              if (answer.retryAfterSeconds() > 0) {
                exchange
                    .getResponseHeaders()
                    .put(Headers.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
              }
              send(exchange, answer.status(), answer.body());
            }));
  }

  private void recommendations(HttpServerExchange exchange, String userId)
      throws Requests.BadRequest {
    int k =
        Requests.k(Requests.query(exchange.getQueryString()), settings.defaultK(), settings.maxK());
    ServedList list = lists.list(userId);
    if (list == null) {
      list = lists.fallback();
    }
    if (list == null) {
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
      send(
          exchange,
          503,
          Answers.error(
              503,
              listFollower.caughtUp()
                  ? "no list for this user and no fallback list published yet"
                  : "still reading topic " + settings.recommendationsTopic()));
      return;
    }
    send(
        exchange, 200, Answers.recommendations(userId, list, k, items, System.currentTimeMillis()));
  }

  private void profile(HttpServerExchange exchange, String userId) throws Requests.BadRequest {
    Requests.query(exchange.getQueryString()); // a malformed query is still a 400
    exchange.dispatch(
        lookups,
        AlwaysAnswered.of(
            "look up user " + userId,
            (status, answer) -> send(exchange, status, answer),
            () -> {
              ProfileLookup.Result result = profiles.find(userId);
              if (!result.available()) {
                Map<String, Object> answer =
                    Answers.error(503, "the job's state cannot be read: " + result.reason());
                answer.put(
                    "recommendations",
                    "/users/{id}/recommendations still answers from the lists already published");
                send(exchange, 503, answer);
              } else {
                send(exchange, result.known() ? 200 : 404, ProfileLookup.answer(userId, result));
              }
            }));
  }

  private void health(HttpServerExchange exchange) {
    Map<String, Object> answer = new LinkedHashMap<>();
    boolean ready = listFollower.caughtUp();
    answer.put("status", ready ? "ready" : "starting");
    answer.put(
        "detail",
        ready
            ? "the lists topic was read to its end; lists are served as they arrive"
            : "reading topic " + settings.recommendationsTopic() + " (answers use what was read)");
    answer.put("lists", lists.size());
    answer.put("fallback", lists.fallback() != null);
    answer.put("lag", listFollower.lag());
    send(exchange, ready ? 200 : 503, answer);
  }

  private Map<String, Object> status() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("startedAt", startedAt.toString());
    answer.put("lists", lists.size());
    answer.put("fallback", lists.fallback() != null);
    answer.put("listsReceived", lists.received());
    answer.put("listsPerSecond", lists.perSecond());
    answer.put("eventsScored", quality.eventsScored());
    answer.put("eventsPerSecond", quality.eventsPerSecond());
    answer.put("modelVersion", lists.modelVersion());
    answer.put("graphVersion", lists.graphVersion());
    answer.put("items", items.size());
    Map<String, Object> topics = new LinkedHashMap<>();
    for (TopicFollower f : followers) {
      Map<String, Object> topic = new LinkedHashMap<>();
      topic.put("records", f.records());
      topic.put("rejected", f.rejected());
      topic.put("lag", f.lag());
      topic.put("caughtUp", f.caughtUp());
      topics.put(f.topic(), topic);
    }
    answer.put("topics", topics);
    return answer;
  }

  private void sendPage(HttpServerExchange exchange, String file) {
    String type =
        file.endsWith(".html")
            ? "text/html; charset=utf-8"
            : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    exchange.getResponseSender().send(ByteBuffer.wrap(page.get(file)));
  }

  private static void send(HttpServerExchange exchange, int status, Object body) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer as JSON", e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(ByteBuffer.wrap(json));
  }

  private static Map<String, byte[]> loadPage() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String file : PAGE_FILES.values()) {
      try (InputStream in = RecommendationServer.class.getResourceAsStream("status/" + file)) {
        if (in == null) {
          throw new IllegalStateException("the status page's " + file + " is not on the classpath");
        }
        files.put(file, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Requests in flight are answered (an event posted is acknowledged or refused, never left
    // unknown); new ones get a 503 until the listener is gone.
    inFlight.shutdown();
    try {
      inFlight.awaitShutdown(settings.events().ackTimeout().toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    undertow.stop();
    followers.forEach(TopicFollower::close);
    lookups.shutdownNow();
    profiles.close();
    intakeWorkers.shutdown();
    if (intake != null) {
      intake.close();
    }
  }
}
