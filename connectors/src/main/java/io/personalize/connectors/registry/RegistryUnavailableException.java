package io.personalize.connectors.registry;

/**
 * The registry did not give a usable answer this time (no connection, a timeout, a server error,
 * refused credentials): worth asking again later, unlike an unknown id.
 */
final class RegistryUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
