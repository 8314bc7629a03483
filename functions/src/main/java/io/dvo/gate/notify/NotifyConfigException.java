package io.dvo.gate.notify;

/**
 * The Teams settings cannot be used. Messages name the setting and the route key, never a URL
 * (webhook URLs are secrets).
 */
public final class NotifyConfigException extends IllegalStateException {
  public NotifyConfigException(String message) {
    super(message);
  }
}
