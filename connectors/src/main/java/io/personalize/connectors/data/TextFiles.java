package io.personalize.connectors.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a text file for reading, gzipped or not (told by the gzip magic bytes, not by the name), in
 * a given charset. A byte that is not valid in the charset becomes U+FFFD, which {@link LineReader}
 * reports with its line number (the decoder works on whole buffers and cannot tell the line
 * itself).
 */
final class TextFiles {
  private static final int BUFFER = 1 << 16;

  private TextFiles() {}

  /**
   * A reader of {@code file}'s text.
   *
   * @throws DataFormatException when the file is missing, not readable, or named {@code .gz} but
   *     not gzip data
   */
  static BufferedReader open(Path file, Charset charset) {
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "file not found", e);
    } catch (AccessDeniedException e) {
      throw new DataFormatException(file, "permission denied", e);
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot open: " + e, e);
    }
    try {
      BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
      boolean gzip = startsWithGzipMagic(in);
      if (!gzip && file.getFileName().toString().endsWith(".gz")) {
        throw new DataFormatException(file, "the name ends in .gz but it is not gzip data", null);
      }
      InputStream data = gzip ? new GZIPInputStream(in, BUFFER) : in;
      return new BufferedReader(
          new InputStreamReader(
              data,
              charset
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPLACE)
                  .onUnmappableCharacter(CodingErrorAction.REPLACE)),
          BUFFER);
    } catch (IOException | RuntimeException e) {
      try {
        raw.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof DataFormatException dataFormat) {
        throw dataFormat;
      }
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
  }

  private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }
}
