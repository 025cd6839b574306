package io.personalize.connectors.format;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that refuses what is not UTF-8, where {@code new String(bytes, UTF_8)} would put U+FFFD in
 * its place: a record or a request that is not text must be told apart from one that is.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * The characters of {@code bytes}.
   *
   * @throws CharacterCodingException for malformed or unmappable input
   */
  public static CharBuffer decode(ByteBuffer bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(bytes);
  }
}
