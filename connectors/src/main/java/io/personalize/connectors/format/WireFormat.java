package io.personalize.connectors.format;

import java.util.HexFormat;

/**
 * The wire format of one record value, told by its first bytes: Avro single-object encoding starts
 * with {@code C3 01}; the schema-registry wire format with {@code 00} (then the schema id); a JSON
 * object starts with <code>{</code>, after optional JSON white space (space, tab, line feed,
 * carriage return). Nothing else is any of them: a byte-order mark, a JSON array or a bare JSON
 * value is {@link #UNKNOWN}. See docs/formats.md.
 */
public enum WireFormat {
  AVRO,
  /** Confluent's framing: {@code 00}, a 4-byte big-endian schema id, the Avro binary body. */
  REGISTRY_AVRO,
  JSON,
  UNKNOWN;

  /** The format of a record value; {@link #UNKNOWN} for null or empty bytes too. */
  public static WireFormat detect(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return UNKNOWN;
    }
    if (bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == 0x01) {
      return AVRO;
    }
    if (bytes[0] == 0x00) {
      return REGISTRY_AVRO; // however short: a cut-short framing is a dead letter that says so
    }
    for (byte b : bytes) {
      switch (b) {
        case ' ', '\t', '\n', '\r' -> {}
        case '{' -> {
          return JSON;
        }
        default -> {
          return UNKNOWN;
        }
      }
    }
    return UNKNOWN;
  }

  /** Length and the first bytes in hex, for messages about bytes that did not decode. */
  public static String describe(byte[] bytes) {
    int shown = Math.min(bytes.length, 16);
    return bytes.length
        + " bytes starting "
        + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, 0, shown)
        + (shown < bytes.length ? " ..." : "");
  }
}
