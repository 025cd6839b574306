package io.personalize.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** Loopback ports: every process of the cluster binds 127.0.0.1 only. */
final class Ports {
  static final String LOOPBACK = "127.0.0.1";

  /** Linux's default ephemeral port range. */
  private static final int DEFAULT_EPHEMERAL_LOW = 32768;

  private static final int DEFAULT_EPHEMERAL_HIGH = 60999;

  /** The lowest port chosen: above the well-known and most registered service ports. */
  private static final int LOWEST = 10_000;

  private static final int HIGHEST = 65_535;
  private static final int ATTEMPTS = 100;
  private static final Random RANDOM = new Random();
  private static final Set<Integer> handedOut = new HashSet<>();

  private Ports() {}

  /** {@code wanted}, or a free port when {@code wanted} is 0; a clear error when it is taken. */
  static int choose(int wanted, String what) {
    if (wanted == 0) {
      return free();
    }
    if (!isFree(wanted)) {
      throw new IllegalArgumentException(
          what + " port " + wanted + " is in use: choose another, or 0 for any free port");
    }
    return wanted;
  }

  /**
   * A free port for a process about to start, outside the kernel's ephemeral range: a port the
   * kernel hands out itself (port 0) can be taken as the source port of any outgoing connection
   * before the process binds it, and a Flink TaskManager then runs without the server it was for.
   * Never the same port twice in this JVM. Falls back to the kernel's choice when no port outside
   * the range is free.
   */
  static synchronized int free() {
    int[] ephemeral = ephemeralRange();
    // The wider of the two stretches outside the ephemeral range, above the well-known ports.
    int below = ephemeral[0] - LOWEST;
    int above = HIGHEST - ephemeral[1];
    int from = below >= above ? LOWEST : ephemeral[1] + 1;
    int span = Math.max(below, above);
    for (int attempt = 0; span > 0 && attempt < ATTEMPTS; attempt++) {
      int port = from + RANDOM.nextInt(span);
      if (!handedOut.contains(port) && isFree(port)) {
        handedOut.add(port);
        return port;
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      handedOut.add(socket.getLocalPort());
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The kernel's range of ephemeral (source) ports, from {@code
   * /proc/sys/net/ipv4/ip_local_port_range}; Linux's default where that cannot be read.
   */
  static int[] ephemeralRange() {
    try {
      String[] bounds =
          Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
    } catch (IOException | RuntimeException unreadable) {
      return new int[] {DEFAULT_EPHEMERAL_LOW, DEFAULT_EPHEMERAL_HIGH};
    }
  }

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(LOOPBACK, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
