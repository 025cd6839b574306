package io.personalize.online;

import java.nio.charset.StandardCharsets;

/** Stable 64-bit ids of user and item strings, for deterministic initial rows in every operator. */
public final class Ids {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Ids() {}

  /** FNV-1a over the UTF-8 bytes: fixed across JVMs, runs and operators. */
  public static long hash(String id) {
    // An ASCII character is its own UTF-8 byte: most ids hash without encoding the string (the
    // per-user step hashes the user's id, and an array per call showed in the compute loop).
    long h = OFFSET;
    for (int i = 0, n = id.length(); i < n; i++) {
      char c = id.charAt(i);
      if (c >= 0x80) {
        return hashUtf8(id);
      }
      h ^= c;
      h *= PRIME;
    }
    return h;
  }

  private static long hashUtf8(String id) {
    long h = OFFSET;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= PRIME;
    }
    return h;
  }
}
