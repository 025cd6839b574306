package io.personalize.connectors.data;

import io.personalize.model.RatingScale;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * How one layout writes its ratings file: {@code user item rating timestamp} lines.
 *
 * @param layout the layout's name, e.g. {@code "u.data"}, as in {@link Dataset#layout()}
 * @param separator the field separator
 * @param separatorName how error messages name the separator, e.g. {@code "tab-separated"}
 * @param charset the file's encoding
 * @param header the header's column names, or empty when the file has no header; a file with a
 *     header is CSV (RFC 4180 quoting)
 * @param scale the valid ratings; a rating outside it is a malformed line
 */
record RatingsFormat(
    String layout,
    String separator,
    String separatorName,
    Charset charset,
    List<String> header,
    RatingScale scale) {
  RatingsFormat {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(separator, "separator");
    Objects.requireNonNull(separatorName, "separatorName");
    Objects.requireNonNull(charset, "charset");
    header = List.copyOf(header);
    Objects.requireNonNull(scale, "scale");
  }

  /** Whether the file is CSV: a header line, and fields that may be quoted. */
  boolean csv() {
    return !header.isEmpty();
  }
}
