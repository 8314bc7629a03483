package io.dvo.gate.store;

/**
 * The store could not answer (unreachable, throttled past retries, server error). Callers fail
 * closed: the HTTP layer answers 503, never "allow".
 */
public class StoreUnavailableException extends RuntimeException {
  private final String operation;

  public StoreUnavailableException(String operation, String message, Throwable cause) {
    super(operation + ": " + message, cause);
    this.operation = operation;
  }

  public String operation() {
    return operation;
  }
}
