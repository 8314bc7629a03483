package io.dvo.gate.cli.client;

/**
 * What the user asked for cannot be done as asked: a message, exit code {@value ExitCodes#USAGE}.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
