package io.personalize.connectors.format;

import io.personalize.avro.DeadLetterReason;
import java.util.Objects;

/**
 * Bytes that could not be turned into a record, in whichever wire format they came. {@link
 * #reason()} is the dead-letter category and the message says precisely what was wrong, for the
 * dead letter's detail.
 */
public class DecodingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  public DecodingException(DeadLetterReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The dead-letter category of the failure. */
  public DeadLetterReason reason() {
    return reason;
  }
}
