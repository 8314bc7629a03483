package io.dvo.gate.notify;

/**
 * What became of one webhook post after its retries. {@code error} is a short description safe to
 * store and log ("HTTP 500", "connection failed"), never a URL; null when delivered.
 */
public record DeliveryResult(boolean delivered, int attempts, String error) {}
