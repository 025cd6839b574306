package io.personalize.serving.serve;

import io.personalize.connectors.format.StrictUtf8;
import io.personalize.validation.EventValidator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a request asks for from its raw (undecoded) path and query: percent-decoding is strict
 * (a malformed escape or bytes that are not UTF-8 are a {@link BadRequest}), user ids follow the
 * rules of the events, and k is a whole number in 1..max.
 */
final class Requests {
  private Requests() {}

  /** A request the server cannot answer as asked: a 400 with this message as the reason. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message);
    }
  }

  /** The path's segments after the leading slash, each percent-decoded. */
  static List<String> segments(String rawPath) throws BadRequest {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    List<String> segments = new ArrayList<>();
    for (String raw : path.split("/", -1)) {
      segments.add(decode(raw, "path"));
    }
    return segments;
  }

  /** A user id from the path, checked as the job checks the events' ids. */
  static String userId(String id) throws BadRequest {
    EventValidator.Rejection rejection = EventValidator.checkId("user id", id);
    if (rejection != null) {
      throw new BadRequest("malformed user id: " + rejection.detail());
    }
    return id;
  }

  /** The query's parameters (a parameter given twice is a bad request). */
  static Map<String, String> query(String rawQuery) throws BadRequest {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query");
      if (params.put(name, value) != null) {
        throw new BadRequest("query parameter '" + name + "' given more than once");
      }
    }
    return params;
  }

  /** k from the query: {@code defaultK} when absent, else a whole number in 1..maxK. */
  static int k(Map<String, String> query, int defaultK, int maxK) throws BadRequest {
    String k = query.get("k");
    if (k == null) {
      return defaultK;
    }
    int value;
    try {
      value = Integer.parseInt(k.trim().isEmpty() ? "x" : k);
    } catch (NumberFormatException e) {
      throw new BadRequest("k must be a whole number in 1.." + maxK + ": '" + shorten(k) + "'");
    }
    if (value < 1 || value > maxK) {
      throw new BadRequest("k must be in 1.." + maxK + ": " + value);
    }
    return value;
  }

  /** Strict percent-decoding ('+' stays '+': paths and ids are not form data). */
  static String decode(String raw, String where) throws BadRequest {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new BadRequest(
              "malformed percent escape in the " + where + ": '" + shorten(raw) + "'");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new BadRequest(
              "malformed percent escape in the " + where + ": '" + shorten(raw) + "'");
        }
        bytes.put((byte) (hi * 16 + lo));
        i += 2;
      } else if (c < 0x80) {
        bytes.put((byte) c);
      } else {
        throw new BadRequest("a raw non-ASCII character in the " + where);
      }
    }
    bytes.flip();
    try {
      return StrictUtf8.decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new BadRequest("the " + where + " is not UTF-8 once percent-decoded");
    }
  }

  /** A value cut for a message: never echo a megabyte back. */
  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
