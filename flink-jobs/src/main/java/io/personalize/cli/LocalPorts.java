package io.personalize.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;

/**
 * The fixed ports a local run's Flink listens on, checked before it starts: taken, Flink fails deep
 * in its start with a stack trace, and the likely cause (another Flink on this machine, such as
 * bin/cluster's JobManager on 8081 or a demo) goes unsaid.
 */
final class LocalPorts {
  static final String QUERYABLE_STATE_PROXY = "queryable-state.proxy.ports";
  private static final List<String> KEYS =
      List.of(RestOptions.PORT.key(), QUERYABLE_STATE_PROXY, "queryable-state.server.ports");

  private LocalPorts() {}

  /**
   * @throws IllegalArgumentException naming the first port in use and its setting; a range or a
   *     port 0 (any free one) is left to Flink
   */
  static void check(ReadableConfig conf) {
    String host = conf.getOptional(RestOptions.BIND_ADDRESS).orElse("127.0.0.1");
    for (String key : KEYS) {
      Optional<Integer> fixed = fixed(conf, key);
      if (fixed.isEmpty()) {
        continue;
      }
      int port = fixed.get();
      if (inUse(host, port)) {
        throw new IllegalArgumentException(
            String.format(
                "port %d on %s (%s) is in use, by another Flink on this machine perhaps"
                    + " (bin/cluster, a demo, another run): stop it, or give -D %s=PORT",
                port, host, key, key));
      }
    }
  }

  /** The port {@code key} sets, if it names one port (not a range, not 0 for any free one). */
  static Optional<Integer> fixed(ReadableConfig conf, String key) {
    String value = conf.toMap().get(key);
    if (value == null || !value.trim().matches("[1-9][0-9]*")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(value.trim()));
  }

  private static boolean inUse(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
