package io.personalize.connectors.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.FaultHandlerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A single-node Kafka (KRaft, broker and controller in one node) running inside this JVM, listening
 * on free ports of 127.0.0.1 only, with its data in a temporary directory deleted on {@link
 * #close()}. For the demo and the tests; ready in a few seconds.
 *
 * <p>Every internal topic has replication factor 1, consumer groups start without the initial
 * rebalance delay, and a topic created without a partition count (e.g. auto-created on first use)
 * gets 1 partition.
 *
 * <p>How it starts: the storage is formatted as {@code kafka-storage.sh format} would, then the
 * node is assembled as {@code kafka.server.KafkaRaftServer} assembles it (a shared server, a
 * controller and a broker; static one-voter quorum), with two differences:
 *
 * <ul>
 *   <li>both listeners, the clients' ({@code PLAINTEXT}) and the controller's ({@code CONTROLLER}),
 *       are server sockets bound to 127.0.0.1 before the node starts and handed to it through its
 *       socket factory: nothing listens on the wildcard address, and no other process can take a
 *       port between choosing and binding it;
 *   <li>a fatal fault (which makes a stand-alone Kafka halt its JVM) is logged and fails the start,
 *       rather than halting the demo or the tests that run the broker.
 * </ul>
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  /**
   * The listeners' backlog and receive buffer (Kafka's defaults): set on the pre-bound sockets, and
   * in the configuration to match.
   */
  private static final int LISTEN_BACKLOG = 50;

  private static final int RECEIVE_BUFFER_BYTES = 100 * 1024;

  private final KafkaNode node;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafka(KafkaNode node, String bootstrapServers) {
    this.node = node;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats and starts a new broker and waits until it accepts clients.
   *
   * @throws IllegalStateException if it does not start
   */
  public static EmbeddedKafka start() {
    KafkaNode node = new KafkaNode();
    try {
      node.start();
      String bootstrapServers = HOST + ":" + node.brokerPort;
      awaitBroker(bootstrapServers, node.faults);
      return new EmbeddedKafka(node, bootstrapServers);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      node.stop(e);
      throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
    }
  }

  /** The node: its directory, its pre-bound sockets, and once started its servers. */
  private static final class KafkaNode {
    final Faults faults = new Faults();
    final PreboundSockets sockets = new PreboundSockets();
    Path dataDir;
    int brokerPort;
    int controllerPort;
    Metrics metrics;
    SharedServer shared;
    ControllerServer controller;
    BrokerServer broker;

    void start() throws Exception {
      dataDir = Files.createTempDirectory("embedded-kafka-");
      brokerPort = sockets.bind(BROKER_LISTENER);
      controllerPort = sockets.bind(CONTROLLER_LISTENER);
      String logDir = dataDir.toAbsolutePath().toString();
      format(Uuid.randomUuid().toString(), logDir);

      KafkaConfig config = new KafkaConfig(settings(logDir, brokerPort, controllerPort), false);
      Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> dirs =
          KafkaRaftServer.initializeLogDirs(config, LOG, "[EmbeddedKafka] ");
      MetaPropertiesEnsemble ensemble = dirs._1();
      metrics = Server.initializeMetrics(config, Time.SYSTEM, ensemble.clusterId().get());
      shared =
          new SharedServer(
              config,
              ensemble,
              Time.SYSTEM,
              metrics,
              CompletableFuture.completedFuture(
                  Map.of(NODE_ID, new InetSocketAddress(HOST, controllerPort))),
              List.of(),
              faults,
              sockets);
      controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), dirs._2());
      broker = new BrokerServer(shared);
      // As KafkaRaftServer: the controller first, so that the broker finds it.
      controller.startup();
      broker.startup();
      faults.check();
    }

    /** Stops what runs and deletes the directory; what fails is added to {@code failure}. */
    void stop(Exception failure) {
      // As KafkaRaftServer: the broker first, its controlled shutdown needs the controller.
      if (broker != null) {
        run(failure, broker::shutdown);
        run(failure, broker::awaitShutdown);
      }
      if (controller != null) {
        run(failure, controller::shutdown);
        run(failure, controller::awaitShutdown);
      }
      // What the servers stop with them, when a start failed before there were servers.
      if (shared != null && broker == null) {
        run(failure, shared::stopForBroker);
      }
      if (shared != null && controller == null) {
        run(failure, shared::stopForController);
      }
      if (shared == null && metrics != null) {
        run(failure, metrics::close);
      }
      sockets.close();
      if (dataDir != null) {
        run(failure, () -> deleteRecursively(dataDir));
      }
    }

    private static void run(Exception failure, ThrowingRunnable step) {
      try {
        step.run();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * Server sockets bound to 127.0.0.1 before the node starts, handed to its listeners by name. The
   * node's socket servers own (and close) the sockets they are given.
   */
  private static final class PreboundSockets implements ServerSocketFactory {
    private final Map<String, ServerSocketChannel> unclaimed = new ConcurrentHashMap<>();

    /** Binds a socket for the listener to a free port of 127.0.0.1; returns the port. */
    int bind(String listener) throws IOException {
      ServerSocketChannel channel = ServerSocketChannel.open();
      try {
        channel.configureBlocking(false);
        // Before binding, so that a window larger than 64 KiB can be used.
        channel.socket().setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        channel.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0), LISTEN_BACKLOG);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      unclaimed.put(listener, channel);
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    public ServerSocketChannel openServerSocket(
        String listenerName, InetSocketAddress address, int listenBacklogSize, int recvBufferSize)
        throws IOException {
      ServerSocketChannel channel = unclaimed.remove(listenerName);
      if (channel == null) {
        // Not one of ours (a listener opened again): bind what the configuration says, 127.0.0.1.
        return ServerSocketFactory.INSTANCE.openServerSocket(
            listenerName, address, listenBacklogSize, recvBufferSize);
      }
      if (recvBufferSize > 0 && recvBufferSize != RECEIVE_BUFFER_BYTES) {
        channel.socket().setReceiveBufferSize(recvBufferSize);
      }
      return channel;
    }

    /** Closes the sockets no listener claimed (when the start failed early). */
    void close() {
      unclaimed
          .values()
          .removeIf(
              channel -> {
                try {
                  channel.close();
                } catch (IOException ignored) {
                  // nothing listens on it either way
                }
                return true;
              });
    }
  }

  /**
   * Fault handlers that log, and record the first fatal fault instead of halting the JVM as a
   * stand-alone Kafka does.
   */
  private static final class Faults implements FaultHandlerFactory {
    private final AtomicReference<String> fatal = new AtomicReference<>();

    @Override
    public FaultHandler build(String name, boolean isFatal, Runnable action) {
      FaultHandler logging = new LoggingFaultHandler(name, action);
      if (!isFatal) {
        return logging;
      }
      return (message, cause) -> {
        fatal.compareAndSet(null, name + ": " + message + (cause == null ? "" : ": " + cause));
        return logging.handleFault(message, cause);
      };
    }

    /** Throws if a fatal fault happened. */
    void check() {
      String fault = fatal.get();
      if (fault != null) {
        throw new IllegalStateException("fatal fault in the embedded Kafka broker: " + fault);
      }
    }
  }

  /** The broker's settings: one node, both roles, listeners on 127.0.0.1 only. */
  private static Map<String, Object> settings(String logDir, int brokerPort, int controllerPort) {
    String broker = BROKER_LISTENER + "://" + HOST + ":" + brokerPort;
    String controller = CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort;
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners", broker + "," + controller);
    props.put("advertised.listeners", broker);
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("socket.listen.backlog.size", String.valueOf(LISTEN_BACKLOG));
    props.put("socket.receive.buffer.bytes", String.valueOf(RECEIVE_BUFFER_BYTES));
    props.put("log.dirs", logDir);
    props.put("metadata.log.dir", logDir);
    // One node: every internal topic with a single replica and few partitions.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "true");
    // The log cleaner's dedupe buffer is 128 MiB by default: far more than a demo needs.
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    return props;
  }

  /**
   * Formats the storage as {@code kafka-storage.sh format} would. The formatter prints what it
   * does: keep that out of the demo's output, and show it only if formatting fails.
   */
  private static void format(String clusterId, String logDir) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(sink)
          .setClusterId(clusterId)
          .setNodeId(NODE_ID)
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(logDir)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      String output = captured.toString(StandardCharsets.UTF_8).strip();
      if (!output.isEmpty()) {
        e.addSuppressed(new IllegalStateException("formatter output: " + output));
      }
      throw e;
    }
  }

  /** Waits until the broker answers clients and lists itself as a registered, live broker. */
  private static void awaitBroker(String bootstrapServers, Faults faults)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Throwable last = null;
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()))) {
      while (System.nanoTime() < deadline) {
        faults.check();
        try {
          boolean registered =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                  .nodes()
                  .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
                  .stream()
                  .anyMatch(n -> n.id() == NODE_ID);
          if (registered) {
            return;
          }
        } catch (ExecutionException e) {
          last = e.getCause();
        }
        Thread.sleep(20);
      }
    }
    TimeoutException timeout =
        new TimeoutException(
            "the broker at " + bootstrapServers + " did not register within " + TIMEOUT);
    timeout.initCause(last);
    throw timeout;
  }

  /** The {@code host:port} list for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates topics with {@code partitions} partitions each (replication factor 1) and waits until
   * every partition's leader serves requests ({@link Topics#create}). A topic that already exists
   * is left as it is.
   *
   * @throws IllegalStateException if they cannot be created within a minute
   */
  public void createTopics(int partitions, String... topics) {
    try (Topics admin = new Topics(bootstrapServers)) {
      admin.create(partitions, Map.of(), topics);
    }
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Stops the broker and deletes its data. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    IllegalStateException failure =
        new IllegalStateException("the embedded Kafka broker did not stop cleanly");
    node.stop(failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + "]";
  }
}
