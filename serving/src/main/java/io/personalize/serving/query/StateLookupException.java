package io.personalize.serving.query;

/** A state lookup that failed for a reason other than an unknown user; the message says why. */
public class StateLookupException extends RuntimeException {
  public StateLookupException(String message) {
    super(message);
  }

  public StateLookupException(String message, Throwable cause) {
    super(message, cause);
  }
}
