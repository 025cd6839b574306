package io.personalize.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback ports: every process of the cluster binds 127.0.0.1 only. */
final class Ports {
  static final String LOOPBACK = "127.0.0.1";

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

  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
