package io.personalize.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The TCP sockets this JVM listens on, read from Linux's /proc, for loopback-only checks. */
public final class ListeningSockets {
  private ListeningSockets() {}

  /** Whether /proc can tell (Linux). */
  public static boolean available() {
    return Files.isDirectory(Path.of("/proc/self/fd"))
        && Files.isReadable(Path.of("/proc/net/tcp"));
  }

  /** A TCP socket in the LISTEN state. */
  public record Listener(InetAddress address, int port) {
    @Override
    public String toString() {
      return (address.isAnyLocalAddress() ? "*(all interfaces)" : address.getHostAddress())
          + ":"
          + port;
    }
  }

  /**
   * The TCP sockets this JVM listens on now: the LISTEN (state 0A) entries of /proc/net/tcp and
   * /proc/net/tcp6 whose inode is one of this process's open sockets.
   */
  public static Set<Listener> now() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[") && target.endsWith("]")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed while listing
        }
      }
    }
    Set<Listener> listeners = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 10 || !"0A".equals(fields[3]) || !inodes.contains(fields[9])) {
          continue;
        }
        String[] local = fields[1].split(":");
        listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
      }
    }
    return listeners;
  }

  /** An address as /proc/net/tcp* prints it: 32-bit words in hex, each in host byte order. */
  public static InetAddress address(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int b = Integer.parseInt(hex.substring(word * 8 + i * 2, word * 8 + i * 2 + 2), 16);
        bytes[word * 4 + (littleEndian ? 3 - i : i)] = (byte) b;
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
