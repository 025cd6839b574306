package io.personalize.connectors.json;

import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.format.DecodingException;

/**
 * A JSON record without a field its schema requires (absent, or null where null is not allowed):
 * {@link DeadLetterReason#WRONG_SCHEMA}, with the field's path, so a caller can give a missing id
 * its own reason.
 */
public final class MissingFieldException extends DecodingException {
  private static final long serialVersionUID = 1L;

  private final String field;

  MissingFieldException(String field, String message) {
    super(DeadLetterReason.WRONG_SCHEMA, message, null);
    this.field = field;
  }

  /** Path of the missing field, e.g. {@code userId}. */
  public String field() {
    return field;
  }
}
