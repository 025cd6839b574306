package io.personalize.online;

import java.nio.charset.StandardCharsets;

/** Stable 64-bit ids of user and item strings, for deterministic initial rows in every operator. */
public final class Ids {
  private Ids() {}

  /** FNV-1a over the UTF-8 bytes: fixed across JVMs, runs and operators. */
  public static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
