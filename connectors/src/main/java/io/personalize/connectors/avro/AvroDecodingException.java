package io.personalize.connectors.avro;

import io.personalize.avro.DeadLetterReason;
import io.personalize.connectors.format.DecodingException;

/**
 * Bytes that {@link AvroCodec#decode} could not turn into a record. {@link #reason()} is the
 * dead-letter category: {@link DeadLetterReason#WRONG_SCHEMA} for a well-formed single-object
 * message whose writer schema the codec does not know (a record of another type, or of a version it
 * was not given), {@link DeadLetterReason#UNDECODABLE} for everything else.
 */
public class AvroDecodingException extends DecodingException {
  private static final long serialVersionUID = 1L;

  public AvroDecodingException(DeadLetterReason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
